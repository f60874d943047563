import Columnar
import Query

/// `sum` and `avg` of DECIMAL(p, s) in `Int128`, as Spark: the sum has type
/// DECIMAL(min(38, p + 10), s) and becomes NULL as soon as a running sum needs more digits
/// (non-ANSI mode); `avg` divides that sum by the count into DECIMAL(min(38, p + 4), s + 4).
///
/// State (both): (DECIMAL(min(38, p + 10), s) sum, NULL after an overflow; BIGINT count).
///
/// Implementation notes: an overflowed sum is kept as `Int128.min`, outside every precision.
/// When p + 10 ≤ 38 no sum of fewer than 10^10 values of p digits can leave p + 10 digits, so
/// raw input is then added without the per-row range check.
final class DecimalSumAccumulator: GroupAccumulator {
    /// Computed, not stored: a stored `Int128.min` would be initialised lazily, checked per row.
    static var overflowed: Int128 { .min }

    private let isAverage: Bool
    private let inputPrecision: Int
    private let scale: Int
    let sumPrecision: Int
    private let bound: Int128
    private let averageType: (precision: Int, scale: Int)
    private let divisionType: (precision: Int, scale: Int)
    private let sums = StateArray(elementWidth: 16)
    private let counts = StateArray(elementWidth: 8)
    private var rowsAdded = 0
    private var groupCount = 0

    init(precision: Int, scale: Int, isAverage: Bool) {
        precondition(precision <= 38, "decimal sum of DECIMAL(\(precision), \(scale))")
        self.isAverage = isAverage
        self.inputPrecision = precision
        self.scale = scale
        self.sumPrecision = min(38, precision + 10)
        self.bound = DecimalArithmetic.maxUnscaled(precision: sumPrecision)
        self.averageType = (min(38, precision + 4), min(38, scale + 4))
        guard case .decimal(let p, let s) = DecimalTyping.arithmetic(.divide, sumPrecision, scale, 20, 0) else {
            preconditionFailure("decimal division typed as a non-decimal")
        }
        self.divisionType = (p, s)
    }

    func resize(groupCount: Int) {
        self.groupCount = groupCount
        sums.grow(to: groupCount)
        counts.grow(to: groupCount)
    }

    var memoryBytes: Int { sums.memoryBytes + counts.memoryBytes }

    func update(_ arguments: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        rowsAdded += count
        let checked = inputPrecision + 10 > 38 || rowsAdded >= 10_000_000_000
        // Values of at most 32 digits, 65,536 at a time, cannot carry a sum that was within
        // ±10^38 past Int128's ±1.7·10^38: such a batch is added unchecked and the sums checked
        // after it, when there are few enough groups to check them all. (A sum already marked
        // overflowed, Int128.min, lands outside ±10^38 whatever is added and is marked again.)
        let deferred = checked && inputPrecision <= 32 && count <= 65_536 && groupCount <= max(16, count / 64)
        let sums = sums.pointer(as: Int128.self)
        var kernel = DecimalSumKernel(sums: sums, counts: counts.pointer(as: Int64.self),
                                      countsValues: true, checked: checked && !deferred, bound: bound, groups: groups, count: count,
                                      groupCount: groupCount)
        try arguments[0].visitFixedValues(&kernel)
        if deferred {
            for group in 0..<groupCount where sums[group] > bound || sums[group] < -bound {
                sums[group] = Self.overflowed
            }
        }
    }

    func merge(_ states: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        let sums = sums.pointer(as: Int128.self)
        var sumKernel = DecimalSumKernel(sums: sums, counts: counts.pointer(as: Int64.self),
                                         countsValues: false, checked: true, bound: bound, groups: groups, count: count,
                                         groupCount: groupCount)
        try states[0].visitFixedValues(&sumKernel)
        var countKernel = Int64AddKernel(sums: counts.pointer(as: Int64.self), groups: groups, count: count)
        try states[1].visitFixedValues(&countKernel)
        // A NULL partial sum with values behind it is an overflow.
        if let validity = states[0].withRowValidity.validity?.baseAddress {
            let partialCounts = states[1].materialized()
            for row in 0..<count where !Bitmap.isSet(validity, row) && partialCounts.fixedWidthValue(at: row, as: Int64.self) > 0 {
                sums[groups.map { Int($0[row]) } ?? 0] = Self.overflowed
            }
        }
    }

    func stateColumns(_ range: Range<Int>) -> [Column] {
        let sums = sums.pointer(as: Int128.self) + range.lowerBound
        let counts = counts.pointer(as: Int64.self) + range.lowerBound
        return [StateColumns.copy(.decimal(precision: sumPrecision, scale: scale), sums, count: range.count) { sums[$0] != Self.overflowed },
                StateColumns.copy(.int64, counts, count: range.count) { _ in true }]
    }

    func resultColumn(_ range: Range<Int>) -> Column {
        let sums = sums.pointer(as: Int128.self) + range.lowerBound
        let counts = counts.pointer(as: Int64.self) + range.lowerBound
        if !isAverage {
            return StateColumns.copy(.decimal(precision: sumPrecision, scale: scale), sums, count: range.count) {
                counts[$0] > 0 && sums[$0] != Self.overflowed
            }
        }
        var averages = [Int128?](repeating: nil, count: range.count)
        for i in 0..<range.count where counts[i] > 0 && sums[i] != Self.overflowed {
            averages[i] = DecimalArithmetic.sparkAverage(sum: sums[i], count: counts[i], sumScale: scale,
                                                         intermediate: divisionType, result: averageType)
        }
        return StateColumns.fixedWidth(.decimal(precision: averageType.precision, scale: averageType.scale),
                                       count: range.count, as: Int128.self, present: { averages[$0] != nil }) { averages[$0]! }
    }
}

/// Adds decimals into per-group `Int128` sums; with `checked`, a sum that leaves `±bound`
/// (or overflows `Int128`) becomes `DecimalSumAccumulator.overflowed` and stays so.
struct DecimalSumKernel: FixedValuesVisitor {
    typealias Value = Int128
    let sums: UnsafeMutablePointer<Int128>
    let counts: UnsafeMutablePointer<Int64>
    let countsValues: Bool
    let checked: Bool
    let bound: Int128
    let groups: UnsafePointer<Int32>?
    let count: Int
    let groupCount: Int

    /// Groups up to which the unchecked grouped sum spreads rows over `lanes` copies of the sums.
    static let laneGroupLimit = 1024
    static let lanes = 4

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Int128 {
        if let groups {
            if let validity {
                for row in 0..<count where Bitmap.isSet(validity, row) { add(values.value(at: row), to: Int(groups[row])) }
            } else if checked || !countsValues {
                for row in 0..<count { add(values.value(at: row), to: Int(groups[row])) }
            } else if groupCount <= Self.laneGroupLimit && count >= 64 {
                addInLanes(values, groups)
            } else {
                // The hot path of TPC-H Q1-like sums: no nulls, no range check.
                for row in 0..<count {
                    let group = Int(groups[row])
                    sums[group] &+= values.value(at: row)
                    counts[group] &+= 1
                }
            }
        } else {
            var sum = sums[0]
            var seen: Int64 = 0
            if checked {
                for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
                    sum = Self.checkedAdd(sum, values.value(at: row), bound: bound)
                    seen &+= 1
                }
            } else {
                for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
                    sum &+= values.value(at: row)
                    seen &+= 1
                }
            }
            sums[0] = sum
            if countsValues { counts[0] &+= seen }
        }
    }

    /// The unchecked grouped sum with consecutive rows going to separate copies of the sums: with
    /// few groups, neighbouring rows often hit the same group, and one copy would make every
    /// add wait for the previous one's store.
    private func addInLanes<Source: FixedValues>(_ values: Source, _ groups: UnsafePointer<Int32>) where Source.Value == Int128 {
        let lanes = Self.lanes
        let laneSums = UnsafeMutablePointer<Int128>.allocate(capacity: lanes * groupCount)
        laneSums.initialize(repeating: 0, count: lanes * groupCount)
        let laneCounts = UnsafeMutablePointer<Int64>.allocate(capacity: lanes * groupCount)
        laneCounts.initialize(repeating: 0, count: lanes * groupCount)
        defer {
            laneSums.deallocate()
            laneCounts.deallocate()
        }
        let whole = count / lanes * lanes
        var row = 0
        while row < whole {
            let g0 = Int(groups[row]), g1 = Int(groups[row + 1]) &+ groupCount
            let g2 = Int(groups[row + 2]) &+ 2 &* groupCount, g3 = Int(groups[row + 3]) &+ 3 &* groupCount
            laneSums[g0] &+= values.value(at: row)
            laneSums[g1] &+= values.value(at: row + 1)
            laneSums[g2] &+= values.value(at: row + 2)
            laneSums[g3] &+= values.value(at: row + 3)
            laneCounts[g0] &+= 1
            laneCounts[g1] &+= 1
            laneCounts[g2] &+= 1
            laneCounts[g3] &+= 1
            row &+= lanes
        }
        while row < count {
            laneSums[Int(groups[row])] &+= values.value(at: row)
            laneCounts[Int(groups[row])] &+= 1
            row &+= 1
        }
        for group in 0..<groupCount {
            for lane in 0..<lanes {
                sums[group] &+= laneSums[group &+ lane &* groupCount]
                if countsValues { counts[group] &+= laneCounts[group &+ lane &* groupCount] }
            }
        }
    }

    @inline(__always)
    private func add(_ value: Int128, to group: Int) {
        sums[group] = checked ? Self.checkedAdd(sums[group], value, bound: bound) : sums[group] &+ value
        if countsValues { counts[group] &+= 1 }
    }

    @inline(__always)
    static func checkedAdd(_ sum: Int128, _ value: Int128, bound: Int128) -> Int128 {
        let (next, overflow) = sum.addingReportingOverflow(value)
        let outOfRange = overflow || next > bound || next < -bound || sum == DecimalSumAccumulator.overflowed
        return outOfRange ? DecimalSumAccumulator.overflowed : next
    }
}
