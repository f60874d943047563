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

    private let pool: BlockMemoryPool?

    init(source: ByteSource, delimiter: UInt8, blockSize: Int, pool: BlockMemoryPool? = nil) {
        self.source = source
        self.tokenizer = Tokenizer(delimiter: delimiter)
        self.blockSize = max(blockSize, 1 << 12)
        self.pool = pool
    }

    /// The next block, or nil at the end of the input.
    func next() throws -> FieldTable? {
        var capacity = blockSize
        while true {
            if atEnd && carry == nil { return nil }
            let carried = carry?.range.count ?? 0
            let wanted = max(capacity, carried + (1 << 12))
            let (memory, size) = pool?.takeBytes(minimum: wanted)
                ?? (UnsafeMutableRawPointer.allocate(byteCount: wanted, alignment: 64), wanted)
            if let carry {
                carry.buffer.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress! + carry.range.lowerBound, byteCount: carried) }
            }
            var used = carried
            do {
                while used < size && !atEnd {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(start: memory + used, count: size - used))
                    if n == 0 { atEnd = true }
                    used += n
                }
            } catch {
                if let pool { pool.giveBytes(memory, size) } else { memory.deallocate() }
                throw error
            }
            let bytes: Buffer
            if let pool {
                bytes = Buffer(lent: memory, byteCount: used, capacity: size) { pool.giveBytes($0, $1) }
            } else {
                bytes = Buffer(lent: memory, byteCount: used, capacity: size) { pointer, _ in pointer.deallocate() }
            }
            var start = 0
            if isFirstBlock {
                isFirstBlock = false
                if bytes.byteCount >= 3 && bytes.withUnsafeBytes({ Array($0[0..<3]) }) == Self.byteOrderMark { start = 3 }
            }
            let table = FieldTable(bytes: bytes, firstLine: carryLine, pool: pool)
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
