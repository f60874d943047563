/// How a spec maps onto the blocks an exchange stores, one per (reduce partition, map task).
extension ShufflePartitionSpec {
    /// One whole reduce partition.
    public static func reducer(_ partition: Int) -> ShufflePartitionSpec { .coalesced(partition..<(partition + 1)) }

    /// The (reduce partition, map task) blocks to read, in reading order (reduce partition by
    /// reduce partition, map task by map task); nil when the spec lies outside `reducers` ×
    /// `mapTasks`.
    func blocks(reducers: Int, mapTasks: Int) -> [(reducer: Int, mapTask: Int)]? {
        switch self {
        case .coalesced(let range):
            guard range.lowerBound >= 0, range.upperBound <= reducers else { return nil }
            return range.flatMap { r in (0..<mapTasks).map { (r, $0) } }
        case .partial(let reducer, let maps):
            guard 0 <= reducer, reducer < reducers, maps.lowerBound >= 0, maps.upperBound <= mapTasks else { return nil }
            return maps.map { (reducer, $0) }
        }
    }
}
