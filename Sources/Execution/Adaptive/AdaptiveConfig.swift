/// The settings of adaptive query execution, with Spark's keys. The sizes are scaled down from
/// Spark's cluster defaults (64 MB advisory, 256 MB skew threshold) for one machine, whose
/// partitions are read from memory by a handful of cores.
public struct AdaptiveConfig: Sendable {
    /// `spark.sql.adaptive.enabled`.
    public var enabled = true
    /// Hash shuffles start with this many partitions and are coalesced from there
    /// (`spark.sql.adaptive.coalescePartitions.initialPartitionNum`), unless
    /// `spark.sql.shuffle.partitions` was set. nil (the default): scaled to the executor threads
    /// (`initialPartitions(threads:)`) instead of Spark's 200.
    public var initialPartitions: Int?

    /// The initial partitions for `threads` executor threads: 8 per thread, at least 16 and at most
    /// Spark's 200. Every map task cuts each batch into a piece per partition, so 200 on a small
    /// machine costs more than the coalescing gains (TPC-H Q10 at SF1 spent about a fifth of its CPU
    /// on it with 2 threads); 16 still leave a median small enough that a partition holding 40% of
    /// a join side is found skewed.
    public static func initialPartitions(threads: Int) -> Int {
        min(200, max(16, 8 * threads))
    }
    /// `spark.sql.adaptive.coalescePartitions.enabled`.
    public var coalescePartitions = true
    /// The size coalesced partitions and skew slices aim for
    /// (`spark.sql.adaptive.advisoryPartitionSizeInBytes`; 16 MiB here).
    public var advisoryPartitionBytes = 16 << 20
    /// Coalescing stops short of this (`spark.sql.adaptive.coalescePartitions.minPartitionSize`, 1 MiB).
    public var minPartitionBytes = 1 << 20
    /// `spark.sql.adaptive.skewJoin.enabled`.
    public var skewJoin = true
    /// A partition is skewed when larger than this many times the median
    /// (`spark.sql.adaptive.skewJoin.skewedPartitionFactor`, 5)…
    public var skewedPartitionFactor = 5.0
    /// …and than this (`spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes`; 16 MiB here).
    public var skewedPartitionThresholdBytes = 16 << 20
    /// A shuffled join side whose shuffle output is at most this becomes a broadcast
    /// (`spark.sql.adaptive.autoBroadcastJoinThreshold`; nil: `spark.sql.autoBroadcastJoinThreshold`).
    public var autoBroadcastJoinThreshold: Int?

    public init() {}
}
