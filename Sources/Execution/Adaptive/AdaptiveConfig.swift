/// The settings of adaptive query execution, with Spark's keys. The sizes are scaled down from
/// Spark's cluster defaults (64 MB advisory, 256 MB skew threshold) for one machine, whose
/// partitions are read from memory by a handful of cores.
public struct AdaptiveConfig: Sendable {
    /// `spark.sql.adaptive.enabled`.
    public var enabled = true
    /// Hash shuffles start with this many partitions and are coalesced from there
    /// (`spark.sql.adaptive.coalescePartitions.initialPartitionNum`; Spark's 200), unless
    /// `spark.sql.shuffle.partitions` was set.
    public var initialPartitions = 200
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
