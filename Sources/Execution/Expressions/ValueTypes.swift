import Columnar

/// Calls a generic function with the Swift type that stores values of a `DataType`.
///
/// Visitors are how a kernel is specialised once per value type: `visit` is a generic method
/// called with a concrete type, so the loops it builds are compiled for that type.
protocol OrderedTypeVisitor {
    associatedtype Result
    func visit<T: OrderedValue>(_ type: T.Type) throws -> Result
}

protocol IntegerTypeVisitor {
    associatedtype Result
    func visit<T: FixedWidthInteger & OrderedValue>(_ type: T.Type) throws -> Result
}

enum ValueTypes {
    /// Visits the storage type of fixed-width ordered types; nil for other types.
    static func visitOrdered<V: OrderedTypeVisitor>(_ type: DataType, _ visitor: V) throws -> V.Result? {
        switch type {
        case .float32: return try visitor.visit(Float.self)
        case .float64: return try visitor.visit(Double.self)
        case .decimal(let precision, _) where precision <= 18: return try visitor.visit(SmallDecimal.self)
        case .decimal(let precision, _) where precision <= 38: return try visitor.visit(Int128.self)
        default:
            guard let storage = integerStorage(type) else { return nil }
            return try visitInteger(storage, IntegerAsOrdered(visitor: visitor))
        }
    }

    /// Visits the storage type of integer types (and dates, times, timestamps); nil otherwise.
    static func visitInteger<V: IntegerTypeVisitor>(_ type: DataType, _ visitor: V) throws -> V.Result? {
        switch integerStorage(type) {
        case .int8: try visitor.visit(Int8.self)
        case .int16: try visitor.visit(Int16.self)
        case .int32: try visitor.visit(Int32.self)
        case .int64: try visitor.visit(Int64.self)
        case .uint8: try visitor.visit(UInt8.self)
        case .uint16: try visitor.visit(UInt16.self)
        case .uint32: try visitor.visit(UInt32.self)
        case .uint64: try visitor.visit(UInt64.self)
        default: nil
        }
    }

    /// The integer type whose values `type` stores, if it stores integers.
    static func integerStorage(_ type: DataType) -> DataType? {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: type
        case .date32: .int32
        case .timestamp: .int64
        case .time(let unit, _): unit == .milliseconds ? .int32 : .int64
        default: nil
        }
    }

    private struct IntegerAsOrdered<V: OrderedTypeVisitor>: IntegerTypeVisitor {
        let visitor: V
        func visit<T: FixedWidthInteger & OrderedValue>(_ type: T.Type) throws -> V.Result { try visitor.visit(T.self) }
    }
}
