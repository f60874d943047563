import Columnar

/// A fixed-width value type a kernel loops over, with Spark's ordering.
///
/// Integers, decimals (unscaled `Int128`), dates and timestamps order as integers. Floats follow
/// Spark: NaN equals NaN and is greater than every other value, and -0.0 equals 0.0.
protocol OrderedValue: BitwiseCopyable, Sendable {
    associatedtype Key: Hashable & Sendable
    static func isEqual(_ a: Self, _ b: Self) -> Bool
    static func isLess(_ a: Self, _ b: Self) -> Bool
    /// A hashable stand-in for the value under `isEqual` (floats normalise NaN and -0.0).
    var key: Key { get }
}

extension OrderedValue where Self: FixedWidthInteger {
    @inline(__always) static func isEqual(_ a: Self, _ b: Self) -> Bool { a == b }
    @inline(__always) static func isLess(_ a: Self, _ b: Self) -> Bool { a < b }
    @inline(__always) var key: Self { self }
}

extension Int8: OrderedValue {}
extension Int16: OrderedValue {}
extension Int32: OrderedValue {}
extension Int64: OrderedValue {}
extension UInt8: OrderedValue {}
extension UInt16: OrderedValue {}
extension UInt32: OrderedValue {}
extension UInt64: OrderedValue {}
extension Int128: OrderedValue {}

extension Double: OrderedValue {
    @inline(__always) static func isEqual(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
    @inline(__always) static func isLess(_ a: Double, _ b: Double) -> Bool { a < b || (!a.isNaN && b.isNaN) }
    var key: UInt64 { isNaN ? Double.nan.bitPattern : (self == 0 ? 0 : bitPattern) }
}

extension Float: OrderedValue {
    @inline(__always) static func isEqual(_ a: Float, _ b: Float) -> Bool { a == b || (a.isNaN && b.isNaN) }
    @inline(__always) static func isLess(_ a: Float, _ b: Float) -> Bool { a < b || (!a.isNaN && b.isNaN) }
    var key: UInt32 { isNaN ? Float.nan.bitPattern : (self == 0 ? 0 : bitPattern) }
}

/// A decimal of at most 18 digits, stored as an `Int128` like every decimal but compared by its
/// low 64 bits, which hold the whole value (two's complement, little-endian): half the work of
/// a 128-bit comparison in the loops of TPC-H-like predicates on DECIMAL(15,2).
struct SmallDecimal: OrderedValue {
    var low: Int64
    var high: Int64

    @inline(__always) static func isEqual(_ a: SmallDecimal, _ b: SmallDecimal) -> Bool { a.low == b.low }
    @inline(__always) static func isLess(_ a: SmallDecimal, _ b: SmallDecimal) -> Bool { a.low < b.low }
    var key: Int64 { low }
}

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

extension Column {
    /// The values of a plain fixed-width column as `T`.
    @inline(__always)
    func values<T>(_ type: T.Type) -> UnsafePointer<T> {
        guard case .fixedWidth(let data) = storage else { preconditionFailure("\(self.type) is not plain fixed width") }
        return UnsafePointer(data.baseAddress.assumingMemoryBound(to: T.self))
    }

    /// The bits of a plain boolean column.
    var bitsBuffer: Buffer {
        guard case .bits(let bits) = storage else { preconditionFailure("\(type) is not plain boolean") }
        return bits
    }
}
