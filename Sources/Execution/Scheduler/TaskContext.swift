import Synchronization

/// What a running task knows about itself: its stage and partition, and whether the query was
/// cancelled (another task failed), which operators check between batches.
public final class TaskContext: Sendable {
    public let stageID: Int
    public let partition: Int
    let cancellation: Cancellation
    /// The query's memory budget, which operators that keep data reserve from.
    public let memory: MemoryBudget
    /// The query's directory for spill files.
    public let spillDirectory: SpillDirectory

    init(stageID: Int, partition: Int, cancellation: Cancellation, memory: MemoryBudget, spillDirectory: SpillDirectory) {
        self.stageID = stageID
        self.partition = partition
        self.cancellation = cancellation
        self.memory = memory
        self.spillDirectory = spillDirectory
    }

    func checkCancelled() throws {
        if cancellation.isCancelled { throw ExecutionError.cancelled }
    }
}

/// A flag shared by the tasks of one query.
final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
    func cancel() { flag.store(true, ordering: .relaxed) }
}
