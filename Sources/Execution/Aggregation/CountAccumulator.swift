import Columnar

/// `count(*)` (rows) and `count(x)` (non-null values); state and result are one BIGINT.
final class CountAccumulator: GroupAccumulator {
    private let counts = StateArray(elementWidth: 8)
    /// count(*): every row counts, there is no argument.
    private let countsRows: Bool

    init(countsRows: Bool) {
        self.countsRows = countsRows
    }

    func resize(groupCount: Int) { counts.grow(to: groupCount) }

    var memoryBytes: Int { counts.memoryBytes }

    func update(_ arguments: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        let counts = counts.pointer(as: Int64.self)
        let column = countsRows ? nil : arguments[0].withRowValidity
        withExtendedLifetime(column) {
            guard let validity = column?.validity?.baseAddress else {
                if let groups {
                    for row in 0..<count { counts[Int(groups[row])] &+= 1 }
                } else {
                    counts[0] &+= Int64(count)
                }
                return
            }
            if let groups {
                for row in 0..<count where Bitmap.isSet(validity, row) { counts[Int(groups[row])] &+= 1 }
            } else {
                counts[0] &+= Int64(count - column!.nullCount)
            }
        }
    }

    func merge(_ states: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        var kernel = Int64AddKernel(sums: counts.pointer(as: Int64.self), groups: groups, count: count)
        try states[0].visitFixedValues(&kernel)
    }

    func stateColumns(_ range: Range<Int>) -> [Column] { [resultColumn(range)] }

    func resultColumn(_ range: Range<Int>) -> Column {
        StateColumns.copy(.int64, counts.pointer(as: Int64.self) + range.lowerBound, count: range.count) { _ in true }
    }
}

/// Adds BIGINT values (NULLs skipped) into per-group sums; for merging counts.
struct Int64AddKernel: FixedValuesVisitor {
    typealias Value = Int64
    let sums: UnsafeMutablePointer<Int64>
    let groups: UnsafePointer<Int32>?
    let count: Int

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Int64 {
        for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
            sums[groups.map { Int($0[row]) } ?? 0] &+= values.value(at: row)
        }
    }
}
