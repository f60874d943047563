import Columnar

/// Finds, for a DISTINCT aggregate, the rows whose (group, value) pair has not been seen
/// before, so that the aggregate proper sees each distinct non-null value of a group once.
///
/// The pairs are keys of their own `GroupIndex`: a pair is new exactly when that index hands
/// out a new id for it.
final class DistinctFilter {
    private let index: GroupIndex
    private let grouped: Bool
    private var ids: [Int32] = []

    init(argumentType: DataType, grouped: Bool) throws {
        self.grouped = grouped
        index = try GroupIndex(types: grouped ? [.int32, argumentType] : [argumentType],
                               nullable: grouped ? [false, true] : [true])
    }

    var memoryBytes: Int { index.memoryBytes + ids.capacity * 4 }

    /// Rows (ascending) with a non-null value not seen before in their group.
    func newRows(_ argument: Column, groups: UnsafePointer<Int32>?, count: Int) throws -> [Int32] {
        let argument = argument.withRowValidity
        var keys = [argument]
        if let groups {
            let groupColumn = Buffer(byteCount: count * 4) { $0.copyMemory(from: UnsafeRawBufferPointer(start: groups, count: count * 4)) }
            keys.insert(Column(type: .int32, count: count, validity: nil, storage: .fixedWidth(groupColumn)), at: 0)
        }
        if ids.count < count { ids = [Int32](repeating: 0, count: count) }
        let known = index.groupCount
        try ids.withUnsafeMutableBufferPointer { try index.groupIDs(keys, count: count, into: $0.baseAddress!) }
        // A pair is new when its id is new and this is the first row with that id.
        var firstSeen = [Bool](repeating: false, count: index.groupCount - known)
        var rows: [Int32] = []
        for row in 0..<count where Int(ids[row]) >= known && !firstSeen[Int(ids[row]) - known] {
            firstSeen[Int(ids[row]) - known] = true
            if !argument.isNull(row) { rows.append(Int32(row)) }
        }
        return rows
    }
}
