/// The sizes an exchange's map tasks wrote, which adaptive execution plans the next stage by
/// (Spark's MapOutputStatistics, plus the per-map-task detail that skew splitting needs).
///
/// Bytes are the batches' in-memory size as reduce tasks will hold them (dictionary columns count
/// their indices and the share of the dictionary they use), whether the batches stayed in memory
/// or were spilled; the spill files' compressed size is in `ShuffleMetrics`.
public struct MapOutputStatistics: Sendable, Equatable {
    /// `[map task][reduce partition]` bytes and rows.
    public let bytesByMapTask: [[Int]]
    public let rowsByMapTask: [[Int]]

    public init(bytesByMapTask: [[Int]], rowsByMapTask: [[Int]]) {
        self.bytesByMapTask = bytesByMapTask
        self.rowsByMapTask = rowsByMapTask
    }

    public var mapTasks: Int { bytesByMapTask.count }
    public var reducers: Int { bytesByMapTask.first?.count ?? 0 }

    /// Bytes per reduce partition, over all map tasks.
    public var bytesByPartition: [Int] { Self.columnSums(bytesByMapTask, width: reducers) }
    public var rowsByPartition: [Int] { Self.columnSums(rowsByMapTask, width: reducers) }

    static func columnSums(_ rows: [[Int]], width: Int) -> [Int] {
        var sums = [Int](repeating: 0, count: width)
        for row in rows { for (i, value) in row.enumerated() { sums[i] += value } }
        return sums
    }
}
