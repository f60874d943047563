/// One re-planning step of adaptive query execution (AQE), as `--analyze` and the job report list it.
///
/// Recorded with `StageScheduler.record(_:)` by whoever re-plans after a shuffle map stage; `stageID`
/// is the stage whose real output sizes led to the decision.
public struct AdaptiveDecision: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Small shuffle partitions read together (spark.sql.adaptive.coalescePartitions).
        case coalesce
        /// A skewed partition of a shuffled join split into sub-partitions (spark.sql.adaptive.skewJoin).
        case skewSplit
        /// A shuffled join turned into a broadcast join because one side turned out small.
        case convertToBroadcast
    }

    public let stageID: Int
    public let kind: Kind
    /// What was decided, for people: "coalesced 200 → 6 partitions".
    public let message: String

    public init(stageID: Int, kind: Kind, message: String) {
        self.stageID = stageID
        self.kind = kind
        self.message = message
    }
}
