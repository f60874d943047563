/// What one task of a stage reads from a materialized shuffle, as adaptive execution re-plans it
/// (Spark's CoalescedPartitionSpec and PartialReducerPartitionSpec).
public enum ShufflePartitionSpec: Sendable, Hashable {
    /// Reduce partitions `start..<end`, read as one.
    case coalesced(Range<Int>)
    /// The part of one reduce partition that map tasks `maps` wrote: a slice of a skewed partition.
    case partial(reducer: Int, maps: Range<Int>)
}
