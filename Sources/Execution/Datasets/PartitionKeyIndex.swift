import Columnar

/// Gives each row the number of its partition directory (`order_date=1995-03-01/region=EUROPE`),
/// numbering directories 0, 1, 2… in order of first appearance over the whole write.
///
/// Rows are grouped by the aggregation's group table (`GroupIndex`), and each new group is named
/// once. NULL and the empty string both go to `__HIVE_DEFAULT_PARTITION__`, as in Spark, so two
/// groups can share a directory.
final class PartitionKeyIndex {
    let columnNames: [String]
    private let groups: GroupIndex
    /// Directory paths relative to the target, by directory number.
    private(set) var directories: [String] = []
    private var numberOfDirectory: [String: Int32] = [:]
    private var directoryOfGroup: [Int32] = []

    init(columnNames: [String], types: [DataType]) throws {
        self.columnNames = columnNames
        groups = try GroupIndex(types: types)
    }

    /// The directory number of each of the `count` rows of `keys`, as `Int32`s.
    func directoryNumbers(_ keys: [Column], count: Int) throws -> Buffer {
        let (buffer, ids) = OutputBuffer.allocate(count, of: Int32.self)
        try groups.groupIDs(keys, count: count, into: ids)
        if groups.groupCount > directoryOfGroup.count { try nameGroups(directoryOfGroup.count..<groups.groupCount) }
        directoryOfGroup.withUnsafeBufferPointer { directoryOf in
            for row in 0..<count { ids[row] = directoryOf[Int(ids[row])] }
        }
        return buffer
    }

    private func nameGroups(_ range: Range<Int>) throws {
        let texts = try groups.keyColumns(range).map { try PartitionValueText.texts($0) }
        for group in 0..<range.count {
            let path = columnNames.indices.map { HivePartitionPath.segment(column: columnNames[$0], value: texts[$0][group]) }
                .joined(separator: "/")
            if let number = numberOfDirectory[path] {
                directoryOfGroup.append(number)
            } else {
                let number = Int32(directories.count)
                directories.append(path)
                numberOfDirectory[path] = number
                directoryOfGroup.append(number)
            }
        }
    }
}
