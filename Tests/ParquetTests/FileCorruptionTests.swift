import Columnar
import Foundation
import Testing
@testable import Parquet

/// Damaged files (bytes flipped in pages and footers, ranges overwritten, truncations) must give
/// errors, never traps, hangs or huge allocations. A trap would kill the test process, so reaching
/// the end of each test is the assertion; the time limit catches hangs.
@Suite(.timeLimit(.minutes(5))) struct FileCorruptionTests {
    static let sources = [
        "alltypes_tiny_pages.parquet", "byte_stream_split.zstd.parquet", "datapage_v2.snappy.parquet",
        "delta_binary_packed.parquet", "delta_encoding_optional_column.parquet", "delta_length_byte_array.parquet",
        "fixed_length_decimal.parquet", "hadoop_lz4_compressed.parquet", "nested_lists.snappy.parquet",
        "nullable.impala.parquet", "rle_boolean_encoding.parquet", "concatenated_gzip_members.parquet",
    ]

    enum Mutation: CaseIterable {
        case flipBytes, flipFooterBytes, overwriteRange, truncate, truncateFooter
    }

    /// Applies one random mutation to `bytes`.
    static func mutate(_ bytes: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var damaged = bytes
        let n = bytes.count
        let footerLength = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        let footerStart = max(4, n - 8 - footerLength)
        switch Mutation.allCases.randomElement(using: &random)! {
        case .flipBytes:
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let i = Int.random(in: 4..<(n - 8), using: &random)
                damaged[i] ^= UInt8.random(in: 1...255, using: &random)
            }
        case .flipFooterBytes:
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let i = Int.random(in: footerStart..<(n - 8), using: &random)
                damaged[i] ^= UInt8.random(in: 1...255, using: &random)
            }
        case .overwriteRange:
            let start = Int.random(in: 4..<(n - 8), using: &random)
            let length = min(Int.random(in: 1...64, using: &random), n - 8 - start)
            for i in start..<(start + length) { damaged[i] = UInt8.random(in: 0...255, using: &random) }
        case .truncate:
            damaged = Array(bytes.prefix(Int.random(in: 0..<n, using: &random)))
        case .truncateFooter:
            // Keep a valid-looking tail so the reader gets as far as the footer.
            let cut = Int.random(in: 1..<max(2, footerLength), using: &random)
            damaged = Array(bytes[..<(n - 8 - cut)]) + Array(bytes[(n - 8)...])
        }
        return damaged
    }

    static func readEverything(_ path: String, verifyChecksums: Bool) throws {
        var options = ReadOptions()
        options.batchSize = 17
        options.threads = 1
        options.verifyChecksums = verifyChecksums
        let reader = try ParquetFileReader(path: path, options: options)
        let batches = try reader.batches()
        while let batch = try batches.next() {
            // Render the values too: the formatters trust what the reader hands them.
            var formatter = JSONLinesFormatter()
            var output = BufferBuilder(capacity: 1024)
            formatter.begin(schema: batch.schema, to: &output)
            formatter.write(batch, to: &output)
        }
    }

    @Test(arguments: sources)
    func damagedFilesFailCleanly(name: String) throws {
        let original = try TestData.bytes(of: TestData.parquetTesting.appendingPathComponent("data/" + name))
        var random = SeededGenerator(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        let path = TestData.temporaryPath(name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var failures = 0
        // SPARROW_FUZZ_ROUNDS raises the count for a longer hunt outside CI.
        let rounds = ProcessInfo.processInfo.environment["SPARROW_FUZZ_ROUNDS"].flatMap(Int.init) ?? 150
        for _ in 0..<rounds {
            let damaged = Self.mutate(original, &random)
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            do {
                try Self.readEverything(path, verifyChecksums: Bool.random(using: &random))
            } catch is ParquetError {
                failures += 1
            }
        }
        // Most damage must be noticed; some flips land in unused bytes or plain values.
        #expect(failures > rounds / 5)
    }

    @Test func damagedSparrowFilesFailCleanly() throws {
        let batch = RoundTripTests.sampleBatch(rows: 300)
        var properties = WriterProperties()
        properties.dataPageSize = 512
        properties.rowGroupRows = 120
        properties.pageChecksums = true
        let source = TestData.temporaryPath("source.parquet")
        let writer = try ParquetFileWriter(path: source, schema: batch.schema, properties: properties)
        try writer.write(batch)
        try writer.close()
        let original = try TestData.bytes(of: URL(fileURLWithPath: source))
        try? FileManager.default.removeItem(atPath: source)
        var random = SeededGenerator(seed: 99)
        let path = TestData.temporaryPath("damaged.parquet")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<300 {
            try Data(Self.mutate(original, &random)).write(to: URL(fileURLWithPath: path))
            do { try Self.readEverything(path, verifyChecksums: Bool.random(using: &random)) } catch is ParquetError {}
        }
    }
}
