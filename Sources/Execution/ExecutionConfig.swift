import Foundation

/// The settings execution reads, with Spark's configuration keys where Spark has one.
public struct ExecutionConfig: Sendable {
    /// Executor worker threads (`--threads`; default one per core).
    public var threads: Int
    /// Partitions after a hash exchange (`spark.sql.shuffle.partitions`). Spark's 200 suits a
    /// cluster; one machine wants a few per core.
    public var shufflePartitions: Int
    /// Compressed bytes of row groups per scan task (`spark.sql.files.maxPartitionBytes`); scans
    /// use less when that would leave workers idle.
    public var maxPartitionBytes: Int
    /// The most bytes `collect()` brings to the driver (`spark.driver.maxResultSize`, default 1g).
    public var maxResultBytes: Int
    /// Skip partition directories whose values prove the filters false
    /// (`sparrow.sql.partitionPruning.enabled`; off only to measure what pruning saves).
    public var partitionPruning = true
    /// Skip row groups whose statistics prove the filters false (`spark.sql.parquet.filterPushdown`).
    public var filterPushdown = true
    /// The most bytes a query's operators keep in memory before they spill to disk
    /// (`sparrow.memory.limit`, `--memory-limit`; default a quarter of physical memory).
    public var memoryLimit = MemoryBudget.defaultLimit
    /// Where queries create their spill directories (`spark.local.dir`; default the system's
    /// temporary directory, `$TMPDIR` or /tmp).
    public var spillDirectory = FileManager.default.temporaryDirectory.path
    /// Compress spill files with LZ4 (`spark.shuffle.spill.compress`, as Spark does by default);
    /// off trades disk space for CPU when the spill directory is fast.
    public var spillCompression = true
    /// The largest estimated size of a join side that is broadcast instead of shuffled
    /// (`spark.sql.autoBroadcastJoinThreshold`, 10 MB; -1 never broadcasts without a hint).
    public var autoBroadcastJoinThreshold = 10 << 20
    /// Let a broadcast join's keys skip the partitions of a dataset it probes
    /// (`spark.sql.optimizer.dynamicPartitionPruning.enabled`).
    public var dynamicPartitionPruning = true
    /// Let a broadcast join's keys filter the rows of the Parquet scan it probes before the
    /// scan decodes their other columns (`spark.sql.optimizer.runtime.bloomFilter.enabled`).
    public var runtimeKeyFilter = true
    /// Adaptive query execution (`spark.sql.adaptive.*`).
    public var adaptive = AdaptiveConfig()
    /// Whether `spark.sql.shuffle.partitions` was set; if not, adaptive execution starts hash
    /// shuffles at `adaptive.initialPartitions` and coalesces them.
    public var shufflePartitionsSet = false

    /// The partitions adaptive execution starts hash shuffles with: as set, or scaled to the threads.
    public var initialPartitions: Int {
        adaptive.initialPartitions ?? AdaptiveConfig.initialPartitions(threads: threads)
    }

    /// The partitions of a hash shuffle as planned, before adaptive execution coalesces them.
    public var hashShufflePartitions: Int {
        adaptive.enabled && !shufflePartitionsSet ? initialPartitions : shufflePartitions
    }

    public init(threads: Int) {
        self.threads = max(1, threads)
        shufflePartitions = max(2, self.threads * 2)
        maxPartitionBytes = 128 << 20
        maxResultBytes = 1 << 30
    }
}
