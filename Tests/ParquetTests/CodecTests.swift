import Columnar
import Testing

@testable import Parquet

/// Every codec `CodecFactory` can make.
private let allCodecs: [CompressionCodec] = [.uncompressed, .snappy, .gzip, .brotli, .lz4, .zstd, .lz4Raw]

/// What page data looks like at the extremes: incompressible, and one phrase over and over.
private enum Content: CaseIterable, Sendable {
    case random, repetitive

    func bytes(_ count: Int) -> [UInt8] {
        switch self {
        case .random:
            var generator = SeededGenerator(seed: UInt64(count))
            return generator.bytes(count)
        case .repetitive:
            let phrase = Array("2024-01-31,Sparrow,12.30,true;".utf8)
            return (0..<count).map { phrase[$0 % phrase.count] }
        }
    }
}

/// Compresses `data` with `codec` and returns the compressed bytes.
private func compress(_ data: [UInt8], with codec: any Codec) throws -> [UInt8] {
    var builder = BufferBuilder()
    try data.withUnsafeBytes { try codec.compress($0, into: &builder) }
    return builder.withUnsafeBytes { Array($0) }
}

/// Decompresses `compressed` into exactly `count` bytes.
private func decompress(_ compressed: [UInt8], count: Int, with codec: any Codec) throws -> [UInt8] {
    try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        try compressed.withUnsafeBytes { try codec.decompress($0, into: UnsafeMutableRawBufferPointer(buffer)) }
        initialized = count
    }
}

/// Expects decompressing `compressed` into `count` bytes to throw `ParquetError.corrupt`.
private func expectCorrupt(
    _ compressed: [UInt8], count: Int, with codec: any Codec, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: ParquetError.self, comment, sourceLocation: sourceLocation) {
        _ = try decompress(compressed, count: count, with: codec)
    }
    if let error, case .corrupt = error {} else if let error {
        Issue.record("expected .corrupt, got \(error)", sourceLocation: sourceLocation)
    }
}

/// FNV-1a 64, the hash the vector generator records for page payloads.
private func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return hash
}

private func bigEndian32(_ value: Int) -> [UInt8] {
    withUnsafeBytes(of: UInt32(value).bigEndian) { Array($0) }
}

@Suite struct CodecTests {
    // MARK: Round trips

    @Test(arguments: allCodecs, [0, 1, 1000, 1 << 20])
    func roundTripKeepsExistingOutput(codec: CompressionCodec, size: Int) throws {
        let compressor = try CodecFactory.make(codec)
        let decompressor = try CodecFactory.make(codec)
        let prefix: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF, 0x01]
        for content in Content.allCases {
            let data = content.bytes(size)
            var builder = BufferBuilder()
            builder.append(contentsOf: prefix)
            try data.withUnsafeBytes { try compressor.compress($0, into: &builder) }
            let written = builder.withUnsafeBytes { Array($0) }
            #expect(Array(written.prefix(prefix.count)) == prefix, "bytes already in the output were overwritten")
            let compressed = Array(written.dropFirst(prefix.count))
            // Twice through the same instance: kept C contexts must come back clean.
            #expect(try decompress(compressed, count: size, with: decompressor) == data, "\(content)")
            #expect(try decompress(compressed, count: size, with: decompressor) == data, "\(content), again")
            if content == .repetitive && size == 1 << 20 && codec != .uncompressed {
                #expect(compressed.count < size / 20, "\(codec) hardly compressed a repetitive MiB")
            }
        }
    }

    @Test(arguments: [(CompressionCodec.gzip, Array(0...9)), (.brotli, Array(0...11)),
                      (.zstd, [ZstdCodec.levelRange.lowerBound, -5, -1, 1, 3, 9, 19, 22])])
    func everyLevelRoundTrips(codec: CompressionCodec, levels: [Int]) throws {
        let data = Content.repetitive.bytes(50_000) + Content.random.bytes(10_000)
        var sizes: [Int: Int] = [:]
        for level in levels {
            let instance = try CodecFactory.make(codec, level: level)
            let compressed = try compress(data, with: instance)
            #expect(try decompress(compressed, count: data.count, with: instance) == data, "level \(level)")
            sizes[level] = compressed.count
        }
        // The lowest level stores or barely compresses, the highest compresses hardest.
        #expect(sizes[levels.first!]! > sizes[levels.last!]!)
    }

    @Test func defaultLevels() throws {
        #expect(try #require(CodecFactory.make(.zstd) as? ZstdCodec).level == 3)
        #expect(try #require(CodecFactory.make(.gzip) as? GzipCodec).level == 6)
        #expect(try #require(CodecFactory.make(.brotli) as? BrotliCodec).level == 1)
        #expect(ZstdCodec.levelRange.upperBound == 22 && ZstdCodec.levelRange.lowerBound < -1)
    }

    @Test(arguments: [(CompressionCodec.zstd, 0), (.zstd, 23), (.zstd, -131_073),
                      (.gzip, -1), (.gzip, 10), (.brotli, -1), (.brotli, 12),
                      (.snappy, 1), (.lz4, 1), (.lz4Raw, 9), (.uncompressed, 0)])
    func invalidLevelIsInvalidArgument(codec: CompressionCodec, level: Int) {
        let error = #expect(throws: ParquetError.self) { try CodecFactory.make(codec, level: level) }
        guard case .invalidArgument(let message) = error else {
            Issue.record("expected .invalidArgument, got \(String(describing: error))")
            return
        }
        #expect(message.contains(codec.description) && message.contains("\(level)"), "\(message)")
        if codec == .gzip { #expect(message.contains("0...9")) }
        if codec == .brotli { #expect(message.contains("0...11")) }
        if codec == .zstd { #expect(message.contains("1...22")) }
    }

    @Test func lzoAndUnknownCodecsAreUnsupported() {
        for codec in [CompressionCodec.lzo, CompressionCodec(rawValue: 42)] {
            let error = #expect(throws: ParquetError.self) { try CodecFactory.make(codec) }
            guard case .unsupported = error else {
                Issue.record("expected .unsupported for \(codec), got \(String(describing: error))")
                continue
            }
        }
    }

    // MARK: What the writers produce, by the formats' specs

    @Test func outputFollowsTheFormats() throws {
        let data = Content.repetitive.bytes(1000)
        // RFC 1952: gzip magic 1f 8b, method 8 (deflate).
        #expect(try compress(data, with: CodecFactory.make(.gzip)).prefix(3) == [0x1F, 0x8B, 0x08])
        // RFC 8878: zstd magic, and a frame header that records the content size.
        let zstd = try compress(data, with: CodecFactory.make(.zstd))
        #expect(zstd.prefix(4) == [0x28, 0xB5, 0x2F, 0xFD])
        #expect(zstd[4] >> 6 != 0 || zstd[4] & 0x20 != 0, "no frame content size")
        // Snappy format_description.txt: the stream starts with the length as a varint (1000 = e8 07).
        #expect(try compress(data, with: CodecFactory.make(.snappy)).prefix(2) == [0xE8, 0x07])
        #expect(try compress(data, with: CodecFactory.make(.uncompressed)) == data)
    }

    @Test(arguments: [0, 1, 1000, 128 * 1024, 128 * 1024 + 1, 1 << 20])
    func lz4WritesHadoopFraming(size: Int) throws {
        let data = Content.random.bytes(size)
        let framed = try compress(data, with: CodecFactory.make(.lz4))
        let raw = LZ4RawCodec()
        var offset = 0
        var decoded: [UInt8] = []
        while offset < framed.count {
            let expanded = framed[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let compressed = framed[offset + 4..<offset + 8].reduce(0) { $0 << 8 | Int($1) }
            #expect(expanded <= LZ4HadoopCodec.hadoopBlockSize)
            let block = Array(framed[offset + 8..<offset + 8 + compressed])
            decoded += try decompress(block, count: expanded, with: raw)
            offset += 8 + compressed
        }
        #expect(offset == framed.count)
        #expect(decoded == data)
    }

    // MARK: Data from other implementations

    @Test(arguments: CodecTestVectors.synthetic)
    func decompressesPeerOutput(vector: SyntheticVector) throws {
        let codec = try CodecFactory.make(vector.codec)
        let expected = vector.expectedBytes
        #expect(try decompress(vector.compressed, count: expected.count, with: codec) == expected)
        expectCorrupt(vector.compressed, count: expected.count + 1, with: codec, "declared one byte more")
        expectCorrupt(vector.compressed, count: expected.count - 1, with: codec, "declared one byte less")
    }

    @Test(arguments: CodecTestVectors.pages)
    func decompressesParquetTestingPages(vector: PageVector) throws {
        let page = try decompress(vector.compressed, count: vector.expectedCount, with: CodecFactory.make(vector.codec))
        #expect(fnv1a(page) == vector.expectedHash)
    }

    @Test func lz4ReadsHadoopFramingBuiltFromRawBlocks() throws {
        let rawBlock = try #require(CodecTestVectors.synthetic.first { $0.codec == .lz4Raw }).compressed
        let text = Array(CodecTestVectors.textA.utf8)
        let block = bigEndian32(text.count) + bigEndian32(rawBlock.count) + rawBlock
        let codec = try CodecFactory.make(.lz4)
        #expect(try decompress(block, count: text.count, with: codec) == text)
        #expect(try decompress(block + block, count: 2 * text.count, with: codec) == text + text)
        // A block that claims more input than there is, and blocks that leave output unfilled.
        expectCorrupt(Array(block.dropLast()), count: text.count, with: codec)
        expectCorrupt(block + block, count: 3 * text.count, with: codec)
        expectCorrupt(bigEndian32(text.count) + bigEndian32(rawBlock.count + 1) + rawBlock, count: text.count,
                      with: codec)
    }

    @Test func gzipSkipsZeroPaddingButNotGarbage() throws {
        let vector = try #require(CodecTestVectors.synthetic.first { $0.name == "gzip: Python gzip module" })
        let text = vector.expectedBytes
        let codec = try CodecFactory.make(.gzip)
        #expect(try decompress(vector.compressed + [0, 0, 0, 0], count: text.count, with: codec) == text)
        expectCorrupt(vector.compressed + [0x1F, 0x8B, 0x08, 0x00, 0x42], count: text.count, with: codec)
        expectCorrupt(vector.compressed + [0x01], count: text.count, with: codec)
    }

    // MARK: Corrupt input

    @Test(arguments: allCodecs)
    func corruptInputThrows(codec: CompressionCodec) throws {
        let instance = try CodecFactory.make(codec)
        let data = Content.repetitive.bytes(700) + Content.random.bytes(300)
        let compressed = try compress(data, with: instance)

        expectCorrupt(Array(compressed.dropLast()), count: data.count, with: instance, "missing the last byte")
        expectCorrupt(Array(compressed.prefix(compressed.count / 2)), count: data.count, with: instance, "half")
        expectCorrupt(Array(compressed.prefix(1)), count: data.count, with: instance, "one byte")
        expectCorrupt([], count: data.count, with: instance, "empty input")
        for declared in [0, data.count - 1, data.count + 1, 2 * data.count] {
            expectCorrupt(compressed, count: declared, with: instance, "declared \(declared) bytes")
        }
        var generator = SeededGenerator(seed: 7)
        for length in [1, 2, 3, 8, 9, 16, 100, 999, 1001, 4096] {
            expectCorrupt(generator.bytes(length), count: data.count, with: instance, "\(length) random bytes")
        }
        // After all those failures the kept contexts still work.
        #expect(try decompress(compressed, count: data.count, with: instance) == data)
    }

    /// Damaged streams must never trap; formats without checksums may decode them to wrong bytes,
    /// so the only requirement is: the right size, or `.corrupt`.
    @Test(arguments: allCodecs)
    func damagedStreamsNeverTrap(codec: CompressionCodec) throws {
        let instance = try CodecFactory.make(codec)
        let data = Content.repetitive.bytes(3000) + Content.random.bytes(1000)
        let compressed = try compress(data, with: instance)
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            var damaged = compressed
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<damaged.count, using: &generator)
                damaged[index] = UInt8.random(in: 0...255, using: &generator)
            }
            do {
                _ = try decompress(damaged, count: data.count, with: instance)
            } catch let error as ParquetError {
                guard case .corrupt = error else {
                    Issue.record("expected .corrupt, got \(error)")
                    return
                }
            }
        }
        #expect(try decompress(compressed, count: data.count, with: instance) == data)
    }

    /// A page header may declare a huge uncompressed size; garbage, a cut-off stream or a stream
    /// header that lies must be rejected without filling or walking the whole output.
    @Test(arguments: allCodecs)
    func hugeDeclaredSizeFailsFast(codec: CompressionCodec) throws {
        let instance = try CodecFactory.make(codec)
        let declared = 256 << 20
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: declared, alignment: 64)
        defer { output.deallocate() }
        let data = Content.repetitive.bytes(1 << 20)
        let compressed = try compress(data, with: instance)
        var generator = SeededGenerator(seed: 3)
        var inputs = [generator.bytes(64), Array(compressed.prefix(compressed.count / 2)), Array(compressed.dropLast())]
        switch codec {
        case .zstd:  // single-segment frame header with an 8-byte content size of 2^40
            inputs.append([0x28, 0xB5, 0x2F, 0xFD, 0xE0, 0, 0, 0, 0, 0, 1, 0, 0, 0x01, 0x00, 0x00])
        case .snappy:  // a length varint of 2^28
            inputs.append([0x80, 0x80, 0x80, 0x80, 0x01, 0x00])
        case .lz4:  // a Hadoop block that claims 4 GiB
            inputs.append(bigEndian32(Int(UInt32.max)) + bigEndian32(4) + [0x10, 0x41, 0x00, 0x00])
        default:
            break
        }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for input in inputs {
                #expect(throws: ParquetError.self) {
                    try input.withUnsafeBytes { try instance.decompress($0, into: output) }
                }
            }
        }
        #expect(elapsed < .seconds(1), "\(codec) took \(elapsed) to reject bad input")
    }
}
