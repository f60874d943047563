import Columnar
import Dispatch

/// One converted block: a batch and what was rejected while making it.
public struct CSVBatch: Sendable {
    public var batch: RecordBatch
    public var rejects: [RejectedRecord]
    /// Records left out (a record with several problems counts once).
    public var droppedRows: Int
    /// Fields set to null under `MalformedRecordPolicy.null`.
    public var nulledFields: Int
}

/// The batches of a CSV input, in input order.
///
/// A background thread reads and tokenizes blocks one after another; each block is then converted
/// to columns on a worker thread, several at once, and handed out in order. At most
/// `threads + 1` blocks are in flight, and their memory is recycled, which bounds memory whatever
/// the input size. Dropping the stream stops the background work.
public final class CSVBatchStream: @unchecked Sendable {
    public let schema: Schema
    private let state: State
    private var finished = false

    /// A block being converted; `done` is signalled when `result` is set.
    private final class Slot: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var result: Result<CSVBatch?, Error> = .success(nil)
    }

    /// What the background thread shares with the stream (the thread holds only this).
    private final class State: @unchecked Sendable {
        let lock = DispatchQueue(label: "sparrow.csv.stream")
        /// Created at 0 and signalled up to the limit: libdispatch traps when a semaphore is freed
        /// below its initial value, which happens when reading stops early.
        let freeSlots = DispatchSemaphore(value: 0)
        let queued = DispatchSemaphore(value: 0)
        var slots: [Slot] = []
        var cancelled = false
    }

    init(reader: CSVReader) throws {
        schema = reader.schema
        let state = State()
        self.state = state
        let inFlight = max(1, reader.options.threads) + 1
        for _ in 0..<inFlight { state.freeSlots.signal() }
        let blocks = BlockTokenizer(source: try reader.input.open(), delimiter: reader.delimiter,
                                    blockSize: reader.options.blockSize, pool: BlockMemoryPool(limit: inFlight + 2))
        let converter: @Sendable (FieldTable, Bool) throws -> CSVBatch = { table, isFirst in
            let block = try BlockConverter(
                table: table, names: reader.names, types: reader.types, declared: reader.declared,
                policy: reader.options.onError, fileName: reader.input.displayName,
                skipFirstRecord: isFirst && reader.hasHeader
            ).convert()
            return CSVBatch(batch: block.batch, rejects: block.rejects, droppedRows: block.droppedRows,
                            nulledFields: block.nulledFields)
        }
        DispatchQueue.global().async {
            var isFirst = true
            while true {
                state.freeSlots.wait()
                if state.lock.sync(execute: { state.cancelled }) { return }
                let slot = Slot()
                state.lock.sync { state.slots.append(slot) }
                state.queued.signal()
                do {
                    guard let table = try blocks.next() else {
                        slot.done.signal()  // result: end of input
                        return
                    }
                    let first = isFirst
                    isFirst = false
                    DispatchQueue.global().async {
                        slot.result = Result { try converter(table, first) }
                        slot.done.signal()
                    }
                } catch {
                    slot.result = .failure(error)
                    slot.done.signal()
                    return
                }
            }
        }
    }

    deinit { cancel() }

    /// The next converted block, or nil at the end; rethrows reading and conversion errors
    /// (including `CSVError.typeWidened`).
    public func next() throws -> CSVBatch? {
        guard !finished else { return nil }
        state.queued.wait()
        let slot = state.lock.sync { state.slots.removeFirst() }
        slot.done.wait()
        state.freeSlots.signal()
        switch slot.result {
        case .success(let batch):
            if batch == nil { finished = true }
            return batch
        case .failure(let error):
            finished = true
            throw error
        }
    }

    /// Stops reading ahead.
    public func cancel() {
        state.lock.sync { state.cancelled = true }
        state.freeSlots.signal()
    }
}
