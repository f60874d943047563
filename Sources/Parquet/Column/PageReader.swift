import Columnar

/// Walks the pages of one column chunk held in memory, decompressing each body.
///
/// Index pages and page types Sparrow does not know are skipped. The reader stops at the end of
/// the chunk's bytes or once the chunk's `num_values` have been seen, so trailing padding that
/// some writers leave does not break the read.
struct PageReader {
    let chunk: Buffer
    /// File offset of the chunk's first byte.
    let chunkFileOffset: Int
    private(set) var position = 0
    private var valuesRemaining: Int64
    private let codec: (any Codec)?
    private let verifyChecksums: Bool

    init(chunk: Buffer, chunkFileOffset: Int, numValues: Int64, codec: CompressionCodec, verifyChecksums: Bool) throws {
        self.chunk = chunk
        self.chunkFileOffset = chunkFileOffset
        self.valuesRemaining = numValues
        self.codec = codec == .uncompressed ? nil : try CodecFactory.make(codec)
        self.verifyChecksums = verifyChecksums
    }

    /// File offset of the next page header.
    var fileOffset: Int { chunkFileOffset + position }

    mutating func next() throws -> Page? {
        while position < chunk.byteCount && valuesRemaining > 0 {
            let headerOffset = fileOffset
            do {
                if let page = try readPage() { return page }
            } catch let error as ParquetError {
                throw error.at(ParquetErrorLocation(offset: headerOffset))
            }
        }
        return nil
    }

    /// Reads one page; nil for pages that carry no values (index pages, unknown types).
    private mutating func readPage() throws -> Page? {
        let headerOffset = fileOffset
        let remaining = chunk.byteCount - position
        let (header, headerLength) = try chunk.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: raw[position...]), baseOffset: headerOffset)
            let header = try PageHeader(from: &reader)
            return (header, reader.offset)
        }
        let compressedSize = Int(header.compressedPageSize)
        let uncompressedSize = Int(header.uncompressedPageSize)
        guard compressedSize >= 0, uncompressedSize >= 0 else {
            throw ParquetError.corrupt("page header has negative sizes (compressed \(compressedSize), uncompressed \(uncompressedSize))")
        }
        guard compressedSize <= remaining - headerLength else {
            throw ParquetError.corrupt("page of \(compressedSize) bytes runs past the end of its column chunk (\(remaining - headerLength) bytes left)")
        }
        let bodyStart = position + headerLength
        position = bodyStart + compressedSize
        let raw = ByteRange(chunk, start: bodyStart, count: compressedSize)

        if verifyChecksums, let expected = header.crc {
            let actual = raw.withUnsafeBytes(PageChecksum.crc32)
            guard actual == UInt32(bitPattern: expected) else {
                throw ParquetError.corrupt("page checksum mismatch (stored \(UInt32(bitPattern: expected)), computed \(actual))")
            }
        }

        switch header.type {
        case .dictionaryPage:
            guard header.dictionaryPageHeader != nil else {
                throw ParquetError.corrupt("dictionary page without a dictionary page header")
            }
            return Page(header: header, fileOffset: headerOffset,
                        body: try decompress(raw, uncompressedSize: uncompressedSize), levels: nil)
        case .dataPage:
            guard let dataHeader = header.dataPageHeader else {
                throw ParquetError.corrupt("data page without a data page header")
            }
            valuesRemaining -= Int64(dataHeader.numValues)
            return Page(header: header, fileOffset: headerOffset,
                        body: try decompress(raw, uncompressedSize: uncompressedSize), levels: nil)
        case .dataPageV2:
            guard let v2 = header.dataPageHeaderV2 else {
                throw ParquetError.corrupt("data page v2 without a data page v2 header")
            }
            valuesRemaining -= Int64(v2.numValues)
            let levelLength = Int(v2.repetitionLevelsByteLength) + Int(v2.definitionLevelsByteLength)
            guard v2.repetitionLevelsByteLength >= 0, v2.definitionLevelsByteLength >= 0,
                  levelLength <= compressedSize, levelLength <= uncompressedSize else {
                throw ParquetError.corrupt("data page v2 level lengths (\(v2.repetitionLevelsByteLength) + \(v2.definitionLevelsByteLength)) exceed the page size")
            }
            let levels = ByteRange(chunk, start: bodyStart, count: levelLength)
            let values = ByteRange(chunk, start: bodyStart + levelLength, count: compressedSize - levelLength)
            let body = v2.isCompressed ?? true
                ? try decompress(values, uncompressedSize: uncompressedSize - levelLength)
                : values
            return Page(header: header, fileOffset: headerOffset, body: body, levels: levels)
        default:
            return nil
        }
    }

    private func decompress(_ input: ByteRange, uncompressedSize: Int) throws -> ByteRange {
        // An empty body (e.g. a v2 page of only nulls) has nothing to decompress.
        if uncompressedSize == 0 && input.count == 0 { return input }
        guard let codec else {
            guard input.count == uncompressedSize else {
                throw ParquetError.corrupt("uncompressed page holds \(input.count) bytes but its header says \(uncompressedSize)")
            }
            return input
        }
        // Pages are decoded and dropped (a dictionary page lasts its row group): pooled memory.
        let output = BufferPool.shared.buffer(byteCount: uncompressedSize)
        try input.withUnsafeBytes { try codec.decompress($0, into: UnsafeMutableRawBufferPointer(start: output.baseAddress, count: uncompressedSize)) }
        return ByteRange(output)
    }
}
