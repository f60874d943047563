import Columnar

/// What one map task of an exchange wrote, as reduce tasks find it: the task's spill files in the
/// order it wrote them, then the batches it kept in memory, each per reduce partition.
struct MapOutput: Sendable {
    var spills: [SpillFile]
    /// Per reduce partition, the batches kept in memory (written after everything spilled).
    var inMemory: [[CompactBatch]]
    /// Bytes reserved from the query's budget for `inMemory`; released when the exchange frees
    /// them or spills them.
    var reservedBytes: Int
}
