/// A stage ready to run: one task per partition of `input`, reported under `root` (the exchange
/// it writes, or the plan's root for the result stage). A task returns the rows it produced.
struct StageRun {
    let root: any ExecutionPlan
    let input: any ExecutionPlan
    let task: @Sendable (Int, TaskContext) throws -> Int
    /// Runs on the driver once every task of the stage succeeded.
    var completed: () -> Void = {}
    /// Runs on the driver when the stage, or a stage run with it, failed: gives back what the
    /// finished tasks hold.
    var failed: () -> Void = {}
}

/// An exchange: the end of a stage, whose output the stages above read once it ran.
protocol ExchangeStage: ExecutionPlan {
    var input: any ExecutionPlan { get }
    var isMaterialized: Bool { get }
    /// The stage that writes the exchange's output; `completed` keeps it.
    func mapStage(scheduler: StageScheduler) -> StageRun
}
