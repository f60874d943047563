import Columnar
import Dispatch

/// Reads batches ahead on a background thread, so that decoding the next batches overlaps with
/// whatever the caller does with the current one (encoding it, formatting it).
///
/// At most `depth` decoded batches wait in memory. Dropping the reader (or `cancel()`) stops the
/// background work after the batch it is decoding.
public final class PrefetchingBatchReader: @unchecked Sendable {
    public let schema: Schema
    private let state: State
    private var exhausted = false

    /// What the background thread shares with the reader. The thread holds only this, so that
    /// dropping the reader cancels it instead of being kept alive by it.
    private final class State: @unchecked Sendable {
        let source: BatchReader
        /// Created at 0 and signalled up to the depth: libdispatch traps when a semaphore is freed
        /// below the value it was created with, which happens when reading stops early.
        let freeSlots = DispatchSemaphore(value: 0)
        let filledSlots = DispatchSemaphore(value: 0)
        let lock = DispatchQueue(label: "sparrow.prefetch")
        var ready: [Result<RecordBatch?, Error>] = []
        var cancelled = false

        init(source: BatchReader, depth: Int) {
            self.source = source
            for _ in 0..<max(1, depth) { freeSlots.signal() }
        }

        func produce() {
            while true {
                freeSlots.wait()
                if lock.sync(execute: { cancelled }) { return }
                let result = Result { try source.next() }
                lock.sync { ready.append(result) }
                filledSlots.signal()
                guard case .success(.some) = result else { return }
            }
        }
    }

    public init(_ source: BatchReader, depth: Int = 2) {
        self.schema = source.schema
        let state = State(source: source, depth: depth)
        self.state = state
        DispatchQueue.global().async { state.produce() }
    }

    deinit { cancel() }

    /// The next batch, or nil after the last; rethrows the reader's error.
    public func next() throws -> RecordBatch? {
        if exhausted { return nil }
        state.filledSlots.wait()
        let result = state.lock.sync { state.ready.removeFirst() }
        state.freeSlots.signal()
        switch result {
        case .success(let batch):
            if batch == nil { exhausted = true }
            return batch
        case .failure(let error):
            exhausted = true
            throw error
        }
    }

    /// Stops reading ahead.
    public func cancel() {
        state.lock.sync { state.cancelled = true }
        state.freeSlots.signal()
    }
}
