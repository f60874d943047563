import Columnar
import Foundation
import Synchronization

/// Runs a physical plan the way Spark's DAG scheduler does, on one machine: the plan is cut into
/// stages at its exchanges; stages run bottom-up, each as one task per partition on the executor
/// pool; the last (result) stage's output goes to the driver.
public final class StageScheduler: Sendable {
    public let pool: ExecutorPool
    /// The memory the query's operators share (`sparrow.memory.limit`).
    public let memory: MemoryBudget
    /// Where the query's operators spill (under `spark.local.dir`); removed when a run ends.
    public let spillDirectory: SpillDirectory
    let cancellation = Cancellation()
    private let reports = Mutex<[StageReport]>([])
    /// The error that cancelled the query, so tasks stopped by the cancellation do not hide it.
    private let cause = Mutex<(any Error)?>(nil)
    private let stageRoots = Mutex(StageRoots())
    private let decisions = Mutex<[AdaptiveDecision]>([])

    /// Adaptive execution's settings and the broadcast threshold it converts joins under; nil
    /// runs plans as planned.
    let adaptive: (config: AdaptiveConfig, broadcastThreshold: Int)?

    public init(pool: ExecutorPool, adaptive: AdaptiveConfig? = nil, broadcastThreshold: Int = -1,
                memoryLimit: Int = MemoryBudget.defaultLimit, spillParent: String = FileManager.default.temporaryDirectory.path,
                spillCompression: Bool = true) {
        self.pool = pool
        self.adaptive = adaptive.flatMap { $0.enabled ? ($0, $0.autoBroadcastJoinThreshold ?? broadcastThreshold) : nil }
        memory = MemoryBudget(limit: memoryLimit)
        spillDirectory = SpillDirectory(parent: spillParent, compress: spillCompression)
        // Free blocks the pool keeps are outside the budget: a quarter of it at most.
        BufferPool.shared.keepAtMost(min(64 << 20, memoryLimit / 4))
    }

    /// Re-plans stages from the sizes their shuffles really had (when AQE is on).
    private var adaptivePlanner: AdaptivePlanner? {
        adaptive.map { AdaptivePlanner(config: $0.config, broadcastThreshold: $0.broadcastThreshold, threads: pool.threads, scheduler: self) }
    }

    /// What ran, stage by stage, in the order stages finished.
    public var stageReports: [StageReport] { reports.withLock { $0 } }

    /// The adaptive re-planning decisions taken so far, in order.
    public var adaptiveDecisions: [AdaptiveDecision] { decisions.withLock { $0 } }

    /// Notes a decision of adaptive execution, for `--analyze` and the job report.
    public func record(_ decision: AdaptiveDecision) {
        decisions.withLock { $0.append(decision) }
    }

    /// The stage `plan` was the root of (an exchange: the stage that wrote it; the plan's root: the
    /// result stage), or nil if no stage of this scheduler started from it.
    public func stageID(of plan: any ExecutionPlan) -> Int? {
        stageRoots.withLock { $0.stageID(of: plan) }
    }

    /// The next stage id, noted as `root`'s stage.
    private func beginStage(root: any ExecutionPlan) -> Int {
        stageRoots.withLock { $0.begin(root: root) }
    }

    private func makeReport(id: Int, root: any ExecutionPlan, input: any ExecutionPlan, taskSeconds: [Double],
                            taskRows: [Int], wallSeconds: Double) -> StageReport {
        StageReport(id: id, root: root, input: input, taskSeconds: taskSeconds, taskRows: taskRows,
                    wallSeconds: wallSeconds, stageOf: { self.stageID(of: $0) })
    }

    /// Runs every stage below `plan`'s own stage and, if `plan` is an exchange, that stage too.
    /// Stages run innermost first; sibling stages, which read nothing of each other (a shuffled
    /// join's two sides, the broadcasts of a chain of joins), run at once and share the workers,
    /// so a stage of one small task does not leave the other workers idle. With AQE, each
    /// stage's shuffle reads are re-planned just before it runs, and a shuffled join runs its
    /// likely-small side first, to become a broadcast join if it is.
    func prepare(_ plan: any ExecutionPlan) throws {
        try prepareInputs(of: plan)
        if let exchange = Self.exchange(plan), !exchange.isMaterialized {
            try runMapStages([exchange])
        }
    }

    /// Runs the stages `plan`'s stage reads (the exchanges below it, the first on each path),
    /// each after the stages it reads in turn.
    private func prepareInputs(of plan: any ExecutionPlan) throws {
        let adaptive = adaptivePlanner
        var inputs: [any ExchangeStage] = []
        func walk(_ node: any ExecutionPlan) throws {
            if let adaptive, let join = node as? HashJoinExec, join.distribution == .partitioned {
                _ = try adaptive.convertToBroadcastIfSmall(join) { try self.prepare($0) }
            }
            for child in node.children {
                guard let exchange = Self.exchange(child) else {
                    try walk(child)
                    continue
                }
                guard !exchange.isMaterialized, !inputs.contains(where: { $0 === exchange }) else { continue }
                try prepareInputs(of: exchange)
                inputs.append(exchange)
            }
        }
        try walk(plan)
        try runMapStages(inputs)
    }

    /// `plan` as an exchange, if it is one. Casts to the classes: a cast to the protocol would
    /// search the binary's conformance records once per operator type.
    private static func exchange(_ plan: any ExecutionPlan) -> (any ExchangeStage)? {
        if let shuffle = plan as? ShuffleExchangeExec { return shuffle }
        if let broadcast = plan as? BroadcastExchangeExec { return broadcast }
        return nil
    }

    /// Re-plans the reads of the exchanges' stages, then runs those stages together.
    private func runMapStages(_ exchanges: [any ExchangeStage]) throws {
        guard !exchanges.isEmpty else { return }
        let adaptive = adaptivePlanner
        for exchange in exchanges { adaptive?.planStage(exchange.input) }
        try runStages(exchanges.map { $0.mapStage(scheduler: self) })
    }

    /// Runs the stages below the result stage and re-plans the result stage's reads.
    private func prepareResultStage(_ plan: any ExecutionPlan) throws {
        try prepare(plan)
        adaptivePlanner?.planStage(plan)
    }

    /// Runs the stage whose tasks pull from `input`'s partitions, recording a report under `root`.
    func runStage(root: any ExecutionPlan, input: any ExecutionPlan,
                  _ task: @escaping @Sendable (Int, TaskContext) throws -> Int) throws {
        try runStages([StageRun(root: root, input: input, task: task)])
    }

    /// Runs stages that read nothing of each other at once: their tasks, the first stage's
    /// first, go to the workers as one queue. Stage ids are taken in order before any task
    /// starts, and reports are recorded in that order, so both are the same on every run. A
    /// stage's wall time runs from the start of its first task to the end of its last.
    func runStages(_ stages: [StageRun]) throws {
        let ids = stages.map { beginStage(root: $0.root) }
        let counts = stages.map { $0.input.partitionCount }
        // Stage s has the tasks firstTask[s] ..< firstTask[s + 1] of the queue.
        let firstTask = counts.reduce(into: [0]) { $0.append($0.last! + $1) }
        let tasks = stages.map(\.task)
        let taskTimes = Mutex(counts.map { [Double](repeating: 0, count: $0) })
        let taskRows = Mutex(counts.map { [Int](repeating: 0, count: $0) })
        // Each stage's first task start and last task end, in seconds from `start`.
        let spans = Mutex([(first: Double, last: Double)?](repeating: nil, count: stages.count))
        let start = ContinuousClock.now
        let cancellation = self.cancellation
        let memory = self.memory
        let spillDirectory = self.spillDirectory
        do {
            try pool.run(tasks: firstTask.last!) { index in
                var stage = 0
                while index >= firstTask[stage + 1] { stage += 1 }
                let partition = index - firstTask[stage]
                let context = TaskContext(stageID: ids[stage], partition: partition, cancellation: cancellation, memory: memory, spillDirectory: spillDirectory)
                let taskStart = ContinuousClock.now
                let rows: Int
                do {
                    rows = try tasks[stage](partition, context)
                } catch {
                    self.cancel(because: error)
                    throw error
                }
                let end = ContinuousClock.now
                taskTimes.withLock { $0[stage][partition] = (end - taskStart).seconds }
                taskRows.withLock { $0[stage][partition] = rows }
                let (first, last) = ((taskStart - start).seconds, (end - start).seconds)
                spans.withLock { $0[stage] = $0[stage].map { (min($0.first, first), max($0.last, last)) } ?? (first, last) }
            }
        } catch {
            for stage in stages { stage.failed() }
            if case ExecutionError.cancelled = error { throw cause.withLock { $0 } ?? ExecutionError.cancelled }
            throw error
        }
        let (times, rows, stageSpans) = (taskTimes.withLock { $0 }, taskRows.withLock { $0 }, spans.withLock { $0 })
        for (s, stage) in stages.enumerated() {
            let report = makeReport(id: ids[s], root: stage.root, input: stage.input, taskSeconds: times[s],
                                    taskRows: rows[s], wallSeconds: stageSpans[s].map { $0.last - $0.first } ?? 0)
            reports.withLock { $0.append(report) }
            stage.completed()
        }
    }

    /// Runs the plan and returns its rows in partition order. Throws `resultTooLarge` as soon as
    /// the collected batches exceed `maxResultBytes` (Spark's spark.driver.maxResultSize).
    public func collect(_ plan: any ExecutionPlan, maxResultBytes: Int) throws -> [RecordBatch] {
        defer { finish(plan) }
        try prepareResultStage(plan)
        let count = plan.partitionCount
        let results = Mutex<[[RecordBatch]]>(Array(repeating: [], count: count))
        let total = Atomic<Int>(0)
        try runStage(root: plan, input: plan) { partition, context in
            let stream = try plan.execute(partition: partition, context: context)
            var batches: [RecordBatch] = []
            while let batch = try stream.next() {
                let size = total.add(batch.byteSize, ordering: .relaxed).newValue
                if size > maxResultBytes { throw ExecutionError.resultTooLarge(bytes: size, limit: maxResultBytes) }
                batches.append(batch)
            }
            results.withLock { $0[partition] = batches }
            return batches.reduce(0) { $0 + $1.rowCount }
        }
        return results.withLock { $0.flatMap { $0 } }
    }

    /// Runs the plan and hands its batches to `consume` in partition order while later
    /// partitions are still running; at most `window` finished partitions wait in memory.
    public func stream(_ plan: any ExecutionPlan, consume: (RecordBatch) throws -> Bool) throws {
        defer { finish(plan) }
        try prepareResultStage(plan)
        let count = plan.partitionCount
        let condition = NSCondition()
        let slots = Mutex<[Result<[RecordBatch], any Error>?]>(Array(repeating: nil, count: count))
        let consumed = Atomic<Int>(0)
        let window = max(2, pool.threads * 2)
        let stageID = beginStage(root: plan)
        let cancellation = self.cancellation
        let memory = self.memory
        let spillDirectory = self.spillDirectory
        let start = ContinuousClock.now
        let taskTimes = Mutex<[Double]>(Array(repeating: 0, count: count))
        let taskRows = Mutex<[Int]>(Array(repeating: 0, count: count))
        let runnerDone = DispatchGroup()
        runnerDone.enter()
        let runner = Thread {
            defer { runnerDone.leave() }
            try? self.pool.run(tasks: count) { partition in
                // Wait until the driver is close enough, so finished output stays bounded.
                condition.lock()
                while partition - consumed.load(ordering: .relaxed) >= window && !cancellation.isCancelled { condition.wait() }
                condition.unlock()
                let taskStart = ContinuousClock.now
                let context = TaskContext(stageID: stageID, partition: partition, cancellation: cancellation, memory: memory, spillDirectory: spillDirectory)
                let result = Result<[RecordBatch], any Error> {
                    // The driver stopped early or a task failed: nothing will use this partition.
                    try context.checkCancelled()
                    let stream = try plan.execute(partition: partition, context: context)
                    var batches: [RecordBatch] = []
                    while let batch = try stream.next() { batches.append(batch) }
                    return batches
                }
                taskTimes.withLock { $0[partition] = (ContinuousClock.now - taskStart).seconds }
                if case .success(let batches) = result { taskRows.withLock { $0[partition] = batches.reduce(0) { $0 + $1.rowCount } } }
                if case .failure(let error) = result { self.cancel(because: error) }
                condition.lock()
                slots.withLock { $0[partition] = result }
                condition.broadcast()
                condition.unlock()
            }
        }
        runner.stackSize = 8 << 20
        runner.start()
        defer {
            // Stop the workers if the consumer stops early or fails, and wait for them, so no
            // task still reads the shuffle or writes a spill file when the query's files go.
            cancellation.cancel()
            condition.lock(); condition.broadcast(); condition.unlock()
            runnerDone.wait()
        }
        for partition in 0..<count {
            condition.lock()
            while slots.withLock({ $0[partition] }) == nil { condition.wait() }
            let result = slots.withLock { slots in
                let value = slots[partition]!
                slots[partition] = .success([])
                return value
            }
            consumed.store(partition + 1, ordering: .relaxed)
            condition.broadcast()
            condition.unlock()
            if case .failure(ExecutionError.cancelled) = result {
                // Another task's failure cancelled this one: report that failure.
                runnerDone.wait()
                throw cause.withLock { $0 } ?? ExecutionError.cancelled
            }
            for batch in try result.get() {
                guard try consume(batch) else { return }
            }
        }
        let report = makeReport(id: stageID, root: plan, input: plan, taskSeconds: taskTimes.withLock { $0 },
                                taskRows: taskRows.withLock { $0 }, wallSeconds: (ContinuousClock.now - start).seconds)
        reports.withLock { $0.append(report) }
    }

    /// Cancels the query's other tasks after `error`, remembering it as the cause unless it is
    /// itself a cancellation.
    func cancel(because error: any Error) {
        if case ExecutionError.cancelled = error {} else {
            cause.withLock { if $0 == nil { $0 = error } }
        }
        cancellation.cancel()
    }

    /// Ends a run of `plan`: frees what its exchanges hold and deletes the query's spill files.
    /// Operator metrics stay for `--analyze`.
    func finish(_ plan: any ExecutionPlan) {
        func release(_ plan: any ExecutionPlan) {
            if let exchange = plan as? ShuffleExchangeExec { exchange.release() }
            for child in plan.children { release(child) }
        }
        release(plan)
        spillDirectory.remove()
    }
}

/// Stage ids by the operator each stage started from. Operators are held weakly and compared by
/// identity, so an address reused by a later plan never matches a stage.
private struct StageRoots {
    struct Entry {
        weak var plan: (any ExecutionPlan)?
        let id: Int
    }

    var nextID = 0
    var entries: [ObjectIdentifier: Entry] = [:]

    mutating func begin(root: any ExecutionPlan) -> Int {
        let id = nextID
        nextID += 1
        entries[ObjectIdentifier(root)] = Entry(plan: root, id: id)
        return id
    }

    func stageID(of plan: any ExecutionPlan) -> Int? {
        guard let entry = entries[ObjectIdentifier(plan)], entry.plan === plan else { return nil }
        return entry.id
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}

extension RecordBatch {
    /// The bytes its buffers hold (shared buffers counted once per column that uses them).
    public var byteSize: Int { columns.reduce(0) { $0 + $1.byteSize } }
}

extension Column {
    public var byteSize: Int {
        var total = validity?.byteCount ?? 0
        switch storage {
        case .fixedWidth(let buffer), .bits(let buffer): total += buffer.byteCount
        case .variableWidth(let offsets, let data): total += offsets.byteCount + data.byteCount
        case .dictionary(let indices, let dictionary): total += indices.byteCount + dictionary.byteSize
        case .list(let offsets, let values): total += offsets.byteCount + values.byteSize
        case .structure(let children): total += children.reduce(0) { $0 + $1.byteSize }
        }
        return total
    }
}
