import Foundation
import Synchronization

/// The executor's worker threads: a stage's tasks are handed out in partition order to up to
/// `threads` workers; the driver waits for the stage to finish.
public struct ExecutorPool: Sendable {
    public let threads: Int

    public init(threads: Int) { self.threads = max(1, threads) }

    /// Runs `task(0) … task(count - 1)` on the workers and returns when all have finished. The
    /// first error cancels the tasks not yet started and is rethrown.
    public func run(tasks count: Int, _ task: @escaping @Sendable (Int) throws -> Void) throws {
        guard count > 0 else { return }
        let next = Atomic<Int>(0)
        let failure = Mutex<(any Error)?>(nil)
        let workers = min(threads, count)
        let done = DispatchSemaphore(value: 0)
        let work: @Sendable () -> Void = {
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count, failure.withLock({ $0 == nil }) else { break }
                do {
                    try task(index)
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
            done.signal()
        }
        for _ in 1..<workers {
            let thread = Thread {
                HugePageHeap.adviseThisThreadsArena()
                work()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        // The calling thread is one of the workers (its heap may have grown since last time).
        HugePageHeap.adviseThisThreadsArena()
        work()
        for _ in 0..<workers { done.wait() }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
