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
    /// Operators of this task that give memory back on request, in the order they registered.
    private let consumers = Mutex(Consumers())

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

    /// Lets `reserve` ask `consumer` for memory until the task ends.
    func register(_ consumer: any TaskMemoryConsumer) {
        consumers.withLock { $0.list.append(WeakConsumer(consumer: consumer)) }
    }

    /// Reserves `bytes` for `requester`. When the budget cannot give them, first the task's other
    /// consumers are asked to give memory back, the last registered first (they sit nearer the
    /// input; a stage's map writer, registered before its input runs, spills last), then the
    /// query's spillable holders (`MemoryBudget.reserve`). A blocking operator that waited for
    /// its input would otherwise find the budget held by the operators above it in its own task,
    /// and split its input again and again.
    func reserve(_ bytes: Int, for requester: AnyObject) throws -> Bool {
        if memory.tryReserve(bytes) { return true }
        let others = consumers.withLock { Consumers(list: $0.list.filter { $0.consumer != nil && $0.consumer !== requester }) }
        for entry in others.list.reversed() {
            guard let consumer = entry.consumer, try consumer.yieldMemory() > 0 else { continue }
            if memory.tryReserve(bytes) { return true }
        }
        return try memory.reserve(bytes)
    }
}

/// A task's memory consumers, held weakly: they hold the context. They are not `Sendable`, but
/// only the task's own thread registers and calls them.
private struct Consumers: @unchecked Sendable {
    var list: [WeakConsumer] = []
}

private struct WeakConsumer {
    weak var consumer: (any TaskMemoryConsumer)?
}

/// A flag shared by the tasks of one query.
final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
    func cancel() { flag.store(true, ordering: .relaxed) }
}
