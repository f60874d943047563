import Columnar
import Dispatch

/// Reads batches ahead on a background thread, so that decoding the next batches overlaps with
/// whatever the caller does with the current one (encoding it, formatting it).
///
/// At most `depth` decoded batches wait in memory. Dropping the reader (or `cancel()`) stops the
/// background work after the batch it is decoding.
public final class PrefetchingBatchReader: @unchecked Sendable {
    public let schema: Schema
    private let source: BatchReader
    private let freeSlots: DispatchSemaphore
    private let filledSlots = DispatchSemaphore(value: 0)
    private let lock = DispatchQueue(label: "sparrow.prefetch")
    private var ready: [Result<RecordBatch?, Error>] = []
    private var cancelled = false
    private var exhausted = false

    public init(_ source: BatchReader, depth: Int = 2) {
        self.source = source
        self.schema = source.schema
        self.freeSlots = DispatchSemaphore(value: max(1, depth))
        DispatchQueue.global().async { [self] in produce() }
    }

    deinit { cancel() }

    private func produce() {
        while true {
            freeSlots.wait()
            if lock.sync(execute: { cancelled }) { return }
            let result = Result { try source.next() }
            lock.sync { ready.append(result) }
            filledSlots.signal()
            switch result {
            case .success(.some): continue
            default: return
            }
        }
    }

    /// The next batch, or nil after the last; rethrows the reader's error.
    public func next() throws -> RecordBatch? {
        if exhausted { return nil }
        filledSlots.wait()
        let result = lock.sync { ready.removeFirst() }
        freeSlots.signal()
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
        lock.sync { cancelled = true }
        freeSlots.signal()
    }
}
