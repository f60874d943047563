/// Which part of an exchange's output one reduce task reads, as Spark's AQE specs say it:
/// adaptive execution coalesces small reduce partitions into one task and splits a skewed one
/// across several (each reading some of the map tasks' blocks).
///
/// Batches come in a fixed order: reduce partition by reduce partition, and within one, map task
/// by map task (each map task's spilled batches before those it kept in memory, as written).
public enum ShufflePartitionSpec: Sendable, Hashable, CustomStringConvertible {
    /// Reduce partitions `startReducer..<endReducer` read as one (Spark's CoalescedPartitionSpec);
    /// a plain reduce task reads `p..<p+1`.
    case coalesced(startReducer: Int, endReducer: Int)
    /// The blocks of map tasks `startMap..<endMap` of one reduce partition (Spark's
    /// PartialReducerPartitionSpec), for splitting a skewed partition.
    case partialReducer(reducer: Int, startMap: Int, endMap: Int)
    /// The blocks of one map task for reduce partitions `startReducer..<endReducer` (Spark's
    /// PartialMapperPartitionSpec), for reading a shuffle locally by map task.
    case partialMapper(mapIndex: Int, startReducer: Int, endReducer: Int)

    /// One whole reduce partition.
    public static func reducer(_ partition: Int) -> ShufflePartitionSpec {
        .coalesced(startReducer: partition, endReducer: partition + 1)
    }

    public var description: String {
        switch self {
        case .coalesced(let start, let end): end == start + 1 ? "reducer \(start)" : "reducers \(start)..<\(end)"
        case .partialReducer(let reducer, let start, let end): "reducer \(reducer), map tasks \(start)..<\(end)"
        case .partialMapper(let map, let start, let end): "map task \(map), reducers \(start)..<\(end)"
        }
    }

    /// The (reduce partition, map task) blocks to read, in reading order; nil when the spec lies
    /// outside `reducers` × `mapTasks`.
    func blocks(reducers: Int, mapTasks: Int) -> [(reducer: Int, mapTask: Int)]? {
        switch self {
        case .coalesced(let start, let end):
            guard 0 <= start, start <= end, end <= reducers else { return nil }
            return (start..<end).flatMap { r in (0..<mapTasks).map { (r, $0) } }
        case .partialReducer(let reducer, let start, let end):
            guard 0 <= reducer, reducer < reducers, 0 <= start, start <= end, end <= mapTasks else { return nil }
            return (start..<end).map { (reducer, $0) }
        case .partialMapper(let map, let start, let end):
            guard 0 <= map, map < mapTasks, 0 <= start, start <= end, end <= reducers else { return nil }
            return (start..<end).map { ($0, map) }
        }
    }
}
