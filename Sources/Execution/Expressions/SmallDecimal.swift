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
