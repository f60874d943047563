import Columnar
import Query

/// Turns literal values into the one-row columns that kernels read scalars from.
enum LiteralColumns {
    static func column(_ value: ScalarValue) throws -> Column {
        let type = value.type
        func fixed<T: BitwiseCopyable>(_ v: T) -> Column { Column(type, [v]) }
        func unsupported() -> ExecutionError { .unsupported("a literal \(value) of type \(type)") }
        switch value.payload {
        case .null:
            return .nulls(type, count: 1)
        case .boolean(let b):
            guard type == .boolean else { throw unsupported() }
            return Column(booleans: [b])
        case .int(let v):
            switch type {
            case .int8: return fixed(try exact(Int8.self, v, value))
            case .int16: return fixed(try exact(Int16.self, v, value))
            case .int32, .date32: return fixed(try exact(Int32.self, v, value))
            case .int64, .timestamp: return fixed(v)
            case .time(let unit, _): return unit == .milliseconds ? fixed(try exact(Int32.self, v, value)) : fixed(v)
            case .uint8: return fixed(try exact(UInt8.self, v, value))
            case .uint16: return fixed(try exact(UInt16.self, v, value))
            case .uint32: return fixed(try exact(UInt32.self, v, value))
            case .uint64: return fixed(try exact(UInt64.self, v, value))
            case .float64: return fixed(Double(v))
            case .float32: return fixed(Float(v))
            case .decimal(let p, let s) where p <= 38:
                let (unscaled, overflow) = Int128(v).multipliedReportingOverflow(by: DecimalMath.powerOfTen(s))
                guard !overflow, DecimalMath.fits(unscaled, precision: p) else { throw unsupported() }
                return fixed(unscaled)
            default: throw unsupported()
            }
        case .uint(let v):
            switch type {
            case .uint64: return fixed(v)
            case .uint32: return fixed(try exact(UInt32.self, v, value))
            case .uint16: return fixed(try exact(UInt16.self, v, value))
            case .uint8: return fixed(try exact(UInt8.self, v, value))
            case .int64: return fixed(try exact(Int64.self, v, value))
            default: throw unsupported()
            }
        case .double(let d):
            switch type {
            case .float64: return fixed(d)
            case .float32: return fixed(Float(d))
            default: throw unsupported()
            }
        case .decimal(let unscaled):
            guard case .decimal(let p, _) = type, p <= 38 else { throw unsupported() }
            return fixed(unscaled)
        case .string(let s):
            guard type.layout == .variableWidth else { throw unsupported() }
            return Column(type, bytes: [Array(s.utf8)])
        case .bytes(let bytes):
            guard type.layout == .variableWidth else { throw unsupported() }
            return Column(type, bytes: [bytes])
        case .interval:
            throw ExecutionError.unsupported("an interval literal outside date or timestamp arithmetic: \(value)")
        }
    }

    private static func exact<T: FixedWidthInteger, S: BinaryInteger>(_: T.Type, _ v: S, _ value: ScalarValue) throws -> T {
        guard let result = T(exactly: v) else {
            throw ExecutionError.arithmetic(expression: value.description, detail: "out of range for \(value.type.sqlName)")
        }
        return result
    }
}
