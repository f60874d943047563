import Columnar

/// Reads an input as a sequence of blocks of whole records, tokenized: the sequential first stage
/// of reading CSV (the conversion of blocks to columns then runs in parallel).
///
/// Each block owns its bytes. The bytes of a record cut by the end of a block are carried over to
/// the start of the next; a record larger than a block grows the block. Used by one thread at a
/// time.
final class BlockTokenizer: @unchecked Sendable {
    private let source: ByteSource
    private let tokenizer: Tokenizer
    private let blockSize: Int
    private var carry: (buffer: Buffer, range: Range<Int>)?
    private var carryLine = 1
    private var atEnd = false
    private var isFirstBlock = true

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    init(source: ByteSource, delimiter: UInt8, blockSize: Int) {
        self.source = source
        self.tokenizer = Tokenizer(delimiter: delimiter)
        self.blockSize = max(blockSize, 1 << 12)
    }

    /// The next block, or nil at the end of the input.
    func next() throws -> FieldTable? {
        var capacity = blockSize
        while true {
            if atEnd && carry == nil { return nil }
            var builder = BufferBuilder(capacity: capacity + (carry?.range.count ?? 0))
            if let carry {
                carry.buffer.withUnsafeBytes { builder.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[carry.range])) }
            }
            let target = max(capacity, builder.count + (1 << 12))
            while builder.count < target && !atEnd {
                let wanted = target - builder.count
                try builder.appendUninitialized(maxByteCount: wanted) { space in
                    let n = try source.read(into: space)
                    if n == 0 { atEnd = true }
                    return n
                }
            }
            let bytes = builder.finish()
            var start = 0
            if isFirstBlock {
                isFirstBlock = false
                if bytes.byteCount >= 3 && bytes.withUnsafeBytes({ Array($0[0..<3]) }) == Self.byteOrderMark { start = 3 }
            }
            let table = FieldTable(bytes: bytes, firstLine: carryLine)
            let stop = bytes.withUnsafeBytes { raw in
                tokenizer.tokenize(raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: bytes.byteCount - start,
                                   isFinal: atEnd, into: table, offsetBase: start)
            }
            let stopOffset = stop.offset + start
            if stopOffset < bytes.byteCount {
                carry = (bytes, stopOffset..<bytes.byteCount)
                carryLine = stop.line
            } else {
                carry = nil
            }
            if table.recordCount == 0 && !atEnd {
                // One record is larger than the block: read with a larger one.
                capacity *= 2
                continue
            }
            if table.recordCount == 0 { return nil }
            return table
        }
    }
}
