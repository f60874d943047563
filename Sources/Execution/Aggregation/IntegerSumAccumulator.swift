import Columnar

/// `sum` of integers into BIGINT; overflow is an error (`ExecutionError.arithmetic`).
///
/// State: the BIGINT sum, NULL while the group has seen no value.
final class IntegerSumAccumulator: GroupAccumulator {
    private let kind: NumericKind
    private let name: String
    private let sums = StateArray(elementWidth: 8)
    /// Non-null values seen; 0 means the sum is NULL.
    private let counts = StateArray(elementWidth: 8)

    init(argument kind: NumericKind, name: String) {
        precondition(kind.isInteger, "integer sum of \(kind)")
        self.kind = kind
        self.name = name
    }

    func resize(groupCount: Int) {
        sums.grow(to: groupCount)
        counts.grow(to: groupCount)
    }

    var memoryBytes: Int { sums.memoryBytes + counts.memoryBytes }

    func update(_ arguments: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        let column = arguments[0]
        switch kind {
        case .int8: try add(column, Int8.self, groups, count)
        case .int16: try add(column, Int16.self, groups, count)
        case .int32: try add(column, Int32.self, groups, count)
        case .int64: try add(column, Int64.self, groups, count)
        case .uint8: try add(column, UInt8.self, groups, count)
        case .uint16: try add(column, UInt16.self, groups, count)
        case .uint32: try add(column, UInt32.self, groups, count)
        case .uint64: try add(column, UInt64.self, groups, count)
        default: preconditionFailure("integer sum of \(kind)")
        }
    }

    func merge(_ states: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        try add(states[0], Int64.self, groups, count)
    }

    private func add<T: FixedWidthInteger & BitwiseCopyable>(_ column: Column, _: T.Type, _ groups: UnsafePointer<Int32>?, _ count: Int) throws {
        var kernel = IntegerSumKernel<T>(sums: sums.pointer(as: Int64.self), counts: counts.pointer(as: Int64.self),
                                         groups: groups, count: count)
        try column.visitFixedValues(&kernel)
        if kernel.overflow {
            throw ExecutionError.arithmetic(expression: name, detail: "BIGINT overflow")
        }
    }

    func stateColumns(_ range: Range<Int>) -> [Column] { [resultColumn(range)] }

    func resultColumn(_ range: Range<Int>) -> Column {
        let counts = counts.pointer(as: Int64.self) + range.lowerBound
        return StateColumns.copy(.int64, sums.pointer(as: Int64.self) + range.lowerBound, count: range.count) { counts[$0] > 0 }
    }
}

/// Adds integers into per-group BIGINT sums, noting any overflow.
struct IntegerSumKernel<Value: FixedWidthInteger & BitwiseCopyable>: FixedValuesVisitor {
    let sums: UnsafeMutablePointer<Int64>
    let counts: UnsafeMutablePointer<Int64>
    let groups: UnsafePointer<Int32>?
    let count: Int
    var overflow = false

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Value {
        if let groups {
            // Overflow is collected in a local, without a branch per row.
            var overflowed: UInt8 = 0
            if let validity {
                for row in 0..<count where Bitmap.isSet(validity, row) { add(values.value(at: row), to: Int(groups[row]), &overflowed) }
            } else {
                for row in 0..<count { add(values.value(at: row), to: Int(groups[row]), &overflowed) }
            }
            overflow = overflow || overflowed != 0
        } else {
            // One group: keep the sum in registers.
            var sum = sums[0]
            var seen: Int64 = 0
            var overflowed = false
            for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
                let (next, o) = sum.addingReportingOverflow(Self.widen(values.value(at: row), &overflowed))
                sum = next
                overflowed = overflowed || o
                seen &+= 1
            }
            sums[0] = sum
            counts[0] &+= seen
            overflow = overflow || overflowed
        }
    }

    @inline(__always)
    private func add(_ value: Value, to group: Int, _ overflowed: inout UInt8) {
        var wideOverflow = false
        let (next, o) = sums[group].addingReportingOverflow(Self.widen(value, &wideOverflow))
        sums[group] = next
        counts[group] &+= 1
        overflowed |= (o ? 1 : 0) | (wideOverflow ? 1 : 0)
    }

    /// The value as BIGINT; UBIGINT values past Int64.max set `overflow`.
    @inline(__always)
    private static func widen(_ value: Value, _ overflow: inout Bool) -> Int64 {
        let wide = Int64(truncatingIfNeeded: value)
        if !Value.isSigned && Value.bitWidth == 64 { overflow = overflow || wide < 0 }
        return wide
    }
}
