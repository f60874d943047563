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
