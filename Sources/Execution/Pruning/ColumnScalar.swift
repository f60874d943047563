import Columnar
import Query

/// Reads single values of a column as `ScalarValue`s (statistics bounds, constant folding results).
enum ColumnScalar {
    /// Value `index` of `column`, or nil for types a scalar cannot hold (nested, interval…).
    static func value(of column: Column, at index: Int) -> ScalarValue? {
        let type = column.type
        if column.isNull(index) { return .null(type) }
        if case .dictionary(let indices, let dictionary) = column.storage {
            return value(of: dictionary, at: Int(indices.load(index, as: Int32.self)))
        }
        switch type {
        case .boolean: return ScalarValue(.boolean(column.booleanValue(at: index)), type: type)
        case .int8: return ScalarValue(.int(Int64(column.fixedWidthValue(at: index, as: Int8.self))), type: type)
        case .int16: return ScalarValue(.int(Int64(column.fixedWidthValue(at: index, as: Int16.self))), type: type)
        case .int32, .date32: return ScalarValue(.int(Int64(column.fixedWidthValue(at: index, as: Int32.self))), type: type)
        case .int64, .timestamp: return ScalarValue(.int(column.fixedWidthValue(at: index, as: Int64.self)), type: type)
        case .uint8: return ScalarValue(.uint(UInt64(column.fixedWidthValue(at: index, as: UInt8.self))), type: type)
        case .uint16: return ScalarValue(.uint(UInt64(column.fixedWidthValue(at: index, as: UInt16.self))), type: type)
        case .uint32: return ScalarValue(.uint(UInt64(column.fixedWidthValue(at: index, as: UInt32.self))), type: type)
        case .uint64: return ScalarValue(.uint(column.fixedWidthValue(at: index, as: UInt64.self)), type: type)
        case .float32: return ScalarValue(.double(Double(column.fixedWidthValue(at: index, as: Float.self))), type: type)
        case .float64: return ScalarValue(.double(column.fixedWidthValue(at: index, as: Double.self)), type: type)
        case .decimal(let precision, _) where precision <= 38:
            return ScalarValue(.decimal(column.fixedWidthValue(at: index, as: Int128.self)), type: type)
        case .string, .json, .enumeration:
            return ScalarValue(.string(column.stringValue(at: index)), type: .string)
        case .binary:
            return ScalarValue(.bytes(column.withBytes(at: index) { Array($0) }), type: type)
        default:
            return nil
        }
    }
}

extension ScalarValue {
    /// Orders two non-null values of the same type family; nil when they cannot be compared
    /// (different kinds, NaN).
    func compare(to other: ScalarValue) -> ComparisonResult? {
        func order<T: Comparable>(_ a: T, _ b: T) -> ComparisonResult {
            a < b ? .less : a == b ? .equal : .greater
        }
        switch (payload, other.payload) {
        case (.boolean(let a), .boolean(let b)): return order(a ? 1 : 0, b ? 1 : 0)
        case (.int(let a), .int(let b)): return order(a, b)
        case (.uint(let a), .uint(let b)): return order(a, b)
        case (.int(let a), .uint(let b)): return a < 0 ? .less : order(UInt64(a), b)
        case (.uint(let a), .int(let b)): return b < 0 ? .greater : order(a, UInt64(b))
        case (.double(let a), .double(let b)): return a.isNaN || b.isNaN ? nil : order(a, b)
        case (.decimal(let a), .decimal(let b)):
            guard case .decimal(_, let s1) = type, case .decimal(_, let s2) = other.type, s1 == s2 else { return nil }
            return order(a, b)
        case (.string(let a), .string(let b)):
            // Parquet orders strings by their UTF-8 bytes, unsigned.
            let x = Array(a.utf8), y = Array(b.utf8)
            return x == y ? .equal : (x.lexicographicallyPrecedes(y) ? .less : .greater)
        case (.bytes(let a), .bytes(let b)): return a == b ? .equal : (a.lexicographicallyPrecedes(b) ? .less : .greater)
        default: return nil
        }
    }

    enum ComparisonResult { case less, equal, greater }
}
