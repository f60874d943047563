import Columnar

/// `sum` of floating-point values and `avg` of integers or floating-point values, in DOUBLE
/// (as Spark, which casts each value to DOUBLE and adds in input order).
///
/// State: sum → the DOUBLE sum (NULL while empty); avg → (DOUBLE sum, BIGINT count).
final class DoubleSumAccumulator: GroupAccumulator {
    private let kind: NumericKind
    private let isAverage: Bool
    private let sums = StateArray(elementWidth: 8)
    private let counts = StateArray(elementWidth: 8)

    init(argument kind: NumericKind, isAverage: Bool) {
        precondition(kind != .decimal, "double sum of decimals")
        self.kind = kind
        self.isAverage = isAverage
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
        case .float16: try add(column, Float16.self, groups, count)
        case .float32: try add(column, Float.self, groups, count)
        case .float64: try add(column, Double.self, groups, count)
        case .decimal: preconditionFailure("double sum of decimals")
        }
    }

    private func add<T: DoubleConvertible>(_ column: Column, _: T.Type, _ groups: UnsafePointer<Int32>?, _ count: Int) throws {
        var kernel = DoubleSumKernel<T>(sums: sums.pointer(as: Double.self), counts: counts.pointer(as: Int64.self),
                                        groups: groups, count: count)
        try column.visitFixedValues(&kernel)
    }

    func merge(_ states: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        guard isAverage else { return try add(states[0], Double.self, groups, count) }
        var sumKernel = DoubleAddKernel(sums: sums.pointer(as: Double.self), groups: groups, count: count)
        try states[0].visitFixedValues(&sumKernel)
        var countKernel = Int64AddKernel(sums: counts.pointer(as: Int64.self), groups: groups, count: count)
        try states[1].visitFixedValues(&countKernel)
    }

    func stateColumns(_ range: Range<Int>) -> [Column] {
        let sums = sums.pointer(as: Double.self) + range.lowerBound
        let counts = counts.pointer(as: Int64.self) + range.lowerBound
        if isAverage {
            return [StateColumns.copy(.float64, sums, count: range.count) { _ in true },
                    StateColumns.copy(.int64, counts, count: range.count) { _ in true }]
        }
        return [StateColumns.copy(.float64, sums, count: range.count) { counts[$0] > 0 }]
    }

    func resultColumn(_ range: Range<Int>) -> Column {
        let sums = sums.pointer(as: Double.self) + range.lowerBound
        let counts = counts.pointer(as: Int64.self) + range.lowerBound
        if isAverage {
            return StateColumns.fixedWidth(.float64, count: range.count, as: Double.self, present: { counts[$0] > 0 }) {
                sums[$0] / Double(counts[$0])
            }
        }
        return StateColumns.copy(.float64, sums, count: range.count) { counts[$0] > 0 }
    }
}

/// Adds values as DOUBLE into per-group sums and counts them.
struct DoubleSumKernel<Value: DoubleConvertible>: FixedValuesVisitor {
    let sums: UnsafeMutablePointer<Double>
    let counts: UnsafeMutablePointer<Int64>
    let groups: UnsafePointer<Int32>?
    let count: Int

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Value {
        if let groups {
            if let validity {
                for row in 0..<count where Bitmap.isSet(validity, row) {
                    let group = Int(groups[row])
                    sums[group] += values.value(at: row).doubleValue
                    counts[group] &+= 1
                }
            } else {
                for row in 0..<count {
                    let group = Int(groups[row])
                    sums[group] += values.value(at: row).doubleValue
                    counts[group] &+= 1
                }
            }
        } else {
            var sum = sums[0]
            var seen: Int64 = 0
            for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
                sum += values.value(at: row).doubleValue
                seen &+= 1
            }
            sums[0] = sum
            counts[0] &+= seen
        }
    }
}

/// Adds DOUBLE values (NULLs skipped) into per-group sums; for merging partial averages.
struct DoubleAddKernel: FixedValuesVisitor {
    typealias Value = Double
    let sums: UnsafeMutablePointer<Double>
    let groups: UnsafePointer<Int32>?
    let count: Int

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Double {
        for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
            sums[groups.map { Int($0[row]) } ?? 0] += values.value(at: row)
        }
    }
}
