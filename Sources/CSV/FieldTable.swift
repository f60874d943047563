import Columnar

/// The fields of a block of whole CSV records: where each field's text is, and where each record
/// starts, as offsets into the block's bytes.
///
/// Fields are stored column-major per record (record `r`'s fields are `recordFields[r] ..<
/// recordFields[r + 1]`). A field's text excludes its enclosing quotes; `escapedQuotes` marks the
/// fields whose text still holds doubled quotes (`""`) to be collapsed when the value is copied.
final class FieldTable: @unchecked Sendable {
    /// The block's bytes; fields point into them.
    let bytes: Buffer
    /// 1-based line number of the block's first byte.
    let firstLine: Int
    /// Where the fields and records are; see `Arrays`.
    var arrays: Arrays

    static let quoted: UInt8 = 1
    static let escapedQuotes: UInt8 = 2

    /// The table's arrays, kept together so that a pool can lend them to the next block.
    struct Arrays: @unchecked Sendable {
        var fieldStarts = RawArray<Int32>()
        var fieldEnds = RawArray<Int32>()
        var fieldFlags = RawArray<UInt8>()
        /// Index of each record's first field, plus one past the last field.
        var recordFields = RawArray<Int32>()
        /// Byte range of each record, its line end included.
        var recordStarts = RawArray<Int32>()
        var recordEnds = RawArray<Int32>()
        /// 1-based physical line of each record.
        var recordLines = RawArray<Int>()
        /// Per record: `RecordProblem` bits (0 for a well-formed record).
        var recordProblems = RawArray<UInt8>()

        func deallocate() {
            fieldStarts.deallocate()
            fieldEnds.deallocate()
            fieldFlags.deallocate()
            recordFields.deallocate()
            recordStarts.deallocate()
            recordEnds.deallocate()
            recordLines.deallocate()
            recordProblems.deallocate()
        }

        /// Empties every array, keeping its memory.
        mutating func removeAll() {
            fieldStarts.truncate(to: 0)
            fieldEnds.truncate(to: 0)
            fieldFlags.truncate(to: 0)
            recordFields.truncate(to: 0)
            recordStarts.truncate(to: 0)
            recordEnds.truncate(to: 0)
            recordLines.truncate(to: 0)
            recordProblems.truncate(to: 0)
        }
    }

    private let pool: BlockMemoryPool?

    init(bytes: Buffer, firstLine: Int, pool: BlockMemoryPool? = nil) {
        self.bytes = bytes
        self.firstLine = firstLine
        self.pool = pool
        arrays = pool?.takeArrays() ?? Arrays()
        arrays.recordFields.append(0)
    }

    deinit {
        if let pool {
            arrays.removeAll()
            pool.giveArrays(arrays)
        } else {
            arrays.deallocate()
        }
    }

    // Read access to the arrays (their elements are read and written in place).
    var fieldStarts: RawArray<Int32> { arrays.fieldStarts }
    var fieldEnds: RawArray<Int32> { arrays.fieldEnds }
    var fieldFlags: RawArray<UInt8> { arrays.fieldFlags }
    var recordFields: RawArray<Int32> { arrays.recordFields }
    var recordStarts: RawArray<Int32> { arrays.recordStarts }
    var recordEnds: RawArray<Int32> { arrays.recordEnds }
    var recordLines: RawArray<Int> { arrays.recordLines }
    var recordProblems: RawArray<UInt8> { arrays.recordProblems }

    var recordCount: Int { recordLines.count }

    var fieldCount: Int { fieldStarts.count }

    func fieldCount(ofRecord record: Int) -> Int {
        Int(recordFields[record + 1] - recordFields[record])
    }

    /// The raw text of a record, line ends included, for messages and the rejects file.
    func rawText(ofRecord record: Int) -> String {
        let start = Int(recordStarts[record])
        var end = Int(recordEnds[record])
        // Drop the record's own line end.
        let base = bytes.baseAddress.assumingMemoryBound(to: UInt8.self)
        if end > start && base[end - 1] == 0x0A { end -= 1 }
        if end > start && base[end - 1] == 0x0D { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(start: bytes.baseAddress + start, count: end - start), as: UTF8.self)
    }

    /// The text of field `index`, quotes removed and doubled quotes collapsed.
    func text(ofField index: Int) -> String {
        let start = Int(fieldStarts[index])
        let bytes = UnsafeRawBufferPointer(start: self.bytes.baseAddress + start, count: Int(fieldEnds[index]) - start)
        if fieldFlags[index] & Self.escapedQuotes == 0 { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes, as: UTF8.self).replacingQuotes()
    }
}

/// What can be wrong with a record at the tokenizer level (bits of `FieldTable.recordProblems`).
enum RecordProblem {
    /// The input ended inside a quoted field.
    static let unterminatedQuote: UInt8 = 1
    /// Text follows a closing quote before the next delimiter or line end.
    static let textAfterQuote: UInt8 = 2

    static func describe(_ bits: UInt8) -> String {
        bits & unterminatedQuote != 0 ? "unterminated quoted field at the end of the input"
            : "text after a closing quote (quotes inside a field must be doubled)"
    }
}

extension String {
    /// `""` → `"`.
    func replacingQuotes() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        var previousWasQuote = false
        for scalar in unicodeScalars {
            if scalar == "\"" {
                if previousWasQuote { previousWasQuote = false; continue }
                previousWasQuote = true
            } else {
                previousWasQuote = false
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
