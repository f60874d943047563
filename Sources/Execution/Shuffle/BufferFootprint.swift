import Columnar

/// The memory a growing set of batches holds, each buffer counted once however many columns and
/// batches share it (a row group's dictionary, a batch passed on whole): what a map task reserves.
///
/// Buffers are told apart by identity, which is sound only while they are alive, so the owner
/// keeps every batch it added until `reset()`.
struct BufferFootprint {
    private var seen: Set<ObjectIdentifier> = []
    private(set) var bytes = 0

    /// Adds the batch's buffers; returns the bytes not counted before.
    mutating func add(_ batch: RecordBatch) -> Int {
        var added = 0
        for column in batch.columns { add(column, &added) }
        bytes += added
        return added
    }

    /// Adds the buffers a shuffle keeps of a batch; returns the bytes not counted before.
    mutating func add(_ batch: CompactBatch) -> Int {
        var added = 0
        for stored in batch.columns {
            switch stored {
            case .plain(let column): add(column, &added)
            case .offsets(_, let validity, _, _, _, let data):
                if let validity { add(validity, &added) }
                add(data, &added)
            }
        }
        bytes += added
        return added
    }

    private mutating func add(_ column: Column, _ added: inout Int) {
        if let validity = column.validity { add(validity, &added) }
        switch column.storage {
        case .fixedWidth(let values), .bits(let values): add(values, &added)
        case .variableWidth(let offsets, let data):
            add(offsets, &added)
            add(data, &added)
        case .dictionary(let indices, let dictionary):
            add(indices, &added)
            add(dictionary, &added)
        case .list(let offsets, let values):
            add(offsets, &added)
            add(values, &added)
        case .structure(let children):
            for child in children { add(child, &added) }
        }
    }

    private mutating func add(_ buffer: Buffer, _ added: inout Int) {
        if seen.insert(ObjectIdentifier(buffer)).inserted { added += buffer.capacity }
    }

    mutating func reset() {
        seen.removeAll(keepingCapacity: true)
        bytes = 0
    }
}
