import Columnar
import Foundation
import Testing
@testable import Execution

/// Spill frames: every storage kind and type round-trips, with nulls, slices, empty batches and
/// shared dictionaries; damaged frames and files are thrown errors.
@Suite struct BatchSerializerTests {
    /// The rows of `batches` as JSON Lines, the form compared (it renders every type exactly).
    static func jsonLines(_ batches: [RecordBatch], schema: Schema) -> String {
        var output = BufferBuilder(capacity: 1 << 12)
        var formatter = JSONLinesFormatter()
        formatter.begin(schema: schema, to: &output)
        for batch in batches { formatter.write(batch, to: &output) }
        formatter.finish(to: &output)
        return output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// One frame of `batches`, decoded again.
    static func roundTrip(_ batches: [RecordBatch], schema: Schema, compress: Bool = true) throws -> [RecordBatch] {
        let serializer = BatchSerializer(compress: compress)
        for batch in batches { serializer.append(batch) }
        let bytes = serializer.finishFrame { Array($0) }
        return try decode(bytes, schema: schema)
    }

    static func decode(_ bytes: [UInt8], schema: Schema) throws -> [RecordBatch] {
        let deserializer = BatchDeserializer(schema: schema, path: "memory", frameOffset: 0)
        return try bytes.withUnsafeBytes { frame in
            let header = try SpillFrame.Header(frame, corrupt: { deserializer.corrupt($0) })
            return try deserializer.decode(header, body: UnsafeRawBufferPointer(rebasing: frame[SpillFrame.headerSize...]))
        }
    }

    /// A batch with a column of every type, `rows` rows, nulls every few rows when `nulls`.
    static func allTypes(rows: Int, nulls: Bool, seed: Int = 0) -> RecordBatch {
        func present(_ i: Int, _ every: Int) -> Bool { !nulls || (i + seed) % every != 0 }
        let range = 0..<rows
        let strings = Column(strings: range.map { (i: Int) -> String? in present(i, 3) ? "s\((i + seed) * 7919 % 1000)-\(String(repeating: "x", count: i % 5))" : nil })
        let elementField = Field("element", .int32)
        let listLengths: [Int?] = range.map { (i: Int) -> Int? in present(i, 4) ? i % 3 : nil }
        let listCount: Int = listLengths.reduce(0) { (sum: Int, length: Int?) -> Int in sum + (length ?? 0) }
        let listItems: [Int32?] = (0..<listCount).map { (i: Int) -> Int32? in i % 7 == 0 ? nil : Int32(i - 50) }
        let listValues = Column(.int32, listItems)
        let keyField = Field("key", .string, isNullable: false)
        let valueField = Field("value", .int64)
        let mapLengths: [Int?] = range.map { (i: Int) -> Int? in present(i, 5) ? (i + 1) % 3 : nil }
        let entries: Int = mapLengths.reduce(0) { (sum: Int, length: Int?) -> Int in sum + (length ?? 0) }
        let mapKeys = Column(strings: (0..<entries).map { (i: Int) -> String? in "k\(i)" })
        let mapItems: [Int64?] = (0..<entries).map { (i: Int) -> Int64? in i % 4 == 1 ? nil : Int64(i) * 1_000_000_007 }
        let mapValues = Column(.int64, mapItems)
        let structFields = [Field("a", .int32), Field("b", .string)]
        let structInts: [Int32?] = range.map { (i: Int) -> Int32? in i % 6 == 1 ? nil : Int32(i) }
        let structStrings: [String?] = range.map { (i: Int) -> String? in i % 2 == 0 ? "b\(i)" : nil }
        let structPresent: [Bool]? = nulls ? range.map { (i: Int) -> Bool in i % 7 != 3 } : nil
        let structColumn = Column(structure: structFields, children: [Column(.int32, structInts), Column(strings: structStrings)],
                                  present: structPresent)
        let dictionaryValues = Column(strings: ["red", "green", "", "a much longer dictionary entry"])
        let dictionaryColumn = Column(dictionary: dictionaryValues, indices: range.map { (i: Int) -> Int32? in present(i, 6) ? Int32(i % 4) : nil })
        let integerEntries: [Int64?] = [10, nil, 30]
        let integerDictionary = Column(dictionary: Column(.int64, integerEntries), indices: range.map { (i: Int) -> Int32? in Int32(i % 3) })
        func fixed<T: BitwiseCopyable>(_ type: DataType, every: Int, _ value: (Int) -> T) -> Column {
            let values: [T?] = range.map { (i: Int) -> T? in present(i, every) ? value(i) : nil }
            return Column(type, values)
        }
        let blobs: [[UInt8]?] = range.map { (i: Int) -> [UInt8]? in present(i, 3) ? (0..<(i % 4)).map { UInt8($0) } : nil }
        let flags: [Bool?] = range.map { (i: Int) -> Bool? in present(i, 4) ? i % 3 == 0 : nil }
        let columns: [(String, Column)] = [
            ("i8", fixed(.int8, every: 2) { Int8(truncatingIfNeeded: $0 - 60) }),
            ("i16", fixed(.int16, every: 3) { Int16(truncatingIfNeeded: $0 * 300) }),
            ("i32", fixed(.int32, every: 5) { Int32($0 * 65_537 - 1_000_000) }),
            ("i64", fixed(.int64, every: 7) { Int64($0) * 9_000_000_000_001 }),
            ("u8", fixed(.uint8, every: 2) { UInt8($0 % 256) }),
            ("u16", fixed(.uint16, every: 2) { UInt16($0 % 65_536) }),
            ("u32", fixed(.uint32, every: 2) { UInt32($0) * 70_000 }),
            ("u64", fixed(.uint64, every: 2) { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }),
            ("f16", fixed(.float16, every: 3) { UInt16(0x3C00 + $0 % 100) }),
            ("f32", fixed(.float32, every: 3) { Float($0) / 8 - 3 }),
            ("f64", fixed(.float64, every: 3) { $0 % 11 == 0 ? -0.0 : Double($0) * 1.25e-3 }),
            ("dec", fixed(.decimal(precision: 18, scale: 2), every: 4) { Int128($0) * 12_345 - 99 }),
            ("dec_wide", fixed(.decimal(precision: 50, scale: 5), every: 4) { (UInt128($0) * 1_000_000_007, UInt128(0)) }),
            ("day", fixed(.date32, every: 5) { Int32(19_000 + $0) }),
            ("tod", fixed(.time(.milliseconds, isAdjustedToUTC: false), every: 5) { Int32($0 * 1000) }),
            ("ts", fixed(.timestamp(.microseconds, isAdjustedToUTC: true), every: 5) { Int64(1_700_000_000_000_000 + $0) }),
            ("flag", Column(booleans: flags)),
            ("text", strings),
            ("blob", Column(.binary, bytes: blobs)),
            ("fixed3", fixed(.fixedSizeBinary(3), every: 2) { (UInt8($0 % 256), UInt8(1), UInt8(2)) }),
            ("id", fixed(.uuid, every: 2) { UInt128($0) << 64 | 0xABCD }),
            ("span", fixed(.interval, every: 3) { (UInt32($0), UInt32(2), UInt32(3)) }),
            ("list", Column(list: elementField, values: listValues, lengths: listLengths)),
            ("map", Column(map: keyField, value: valueField, keys: mapKeys, values: mapValues, lengths: mapLengths)),
            ("record", structColumn),
            ("color", dictionaryColumn),
            ("coded", integerDictionary),
        ]
        let schema = Schema(columns.map { Field($0.0, $0.1.type) })
        return RecordBatch(schema: schema, columns: columns.map(\.1), rowCount: rows)
    }

    @Test(arguments: [0, 1, 7, 8, 9, 1000], [false, true])
    func everyTypeRoundTrips(rows: Int, nulls: Bool) throws {
        let batch = Self.allTypes(rows: rows, nulls: nulls)
        for compress in [true, false] {
            let decoded = try Self.roundTrip([batch], schema: batch.schema, compress: compress)
            #expect(decoded.count == 1)
            #expect(decoded[0].rowCount == rows)
            #expect(Self.jsonLines(decoded, schema: batch.schema) == Self.jsonLines([batch], schema: batch.schema))
            for (original, copy) in zip(batch.columns, decoded[0].columns) {
                #expect(original.nullCount == copy.nullCount)
                #expect(original.type == copy.type)
            }
        }
    }

    /// Slices (copies starting anywhere, with odd bit offsets), several batches in one frame, and
    /// batches with rows but no columns.
    @Test func slicesAndSeveralBatchesRoundTrip() throws {
        let batch = Self.allTypes(rows: 300, nulls: true, seed: 3)
        let slices = [batch.slice(0..<0), batch.slice(3..<4), batch.slice(5..<133), batch.slice(133..<300)]
        let decoded = try Self.roundTrip(slices, schema: batch.schema)
        #expect(decoded.map(\.rowCount) == [0, 1, 128, 167])
        #expect(Self.jsonLines(decoded, schema: batch.schema) == Self.jsonLines(slices, schema: batch.schema))
        let noColumns = RecordBatch(schema: Schema([]), columns: [], rowCount: 42)
        let counted = try Self.roundTrip([noColumns, noColumns], schema: Schema([]))
        #expect(counted.map(\.rowCount) == [42, 42])
    }

    /// A dictionary shared by many batches is stored once per frame; one larger than its column is
    /// stored as the values it selects.
    @Test func dictionariesAreWrittenOnceOrMaterialized() throws {
        let entries = Column(strings: (0..<2000).map { "entry number \($0) with some padding to make it long" })
        let schema = Schema([Field("s", .string)])
        let batches = (0..<50).map { b in
            RecordBatch(schema: schema, columns: [Column(dictionary: entries, indices: (0..<100).map { Int32(($0 * 37 + b) % 2000) })])
        }
        let serializer = BatchSerializer(compress: false)
        serializer.expect(batches)
        for batch in batches { serializer.append(batch) }
        let shared = serializer.finishFrame { Array($0) }
        let dictionaryBytes = entries.byteSize
        // 50 batches of 100 indices each; the dictionary once.
        #expect(shared.count < dictionaryBytes + 50 * 100 * 4 + 50 * 200)
        #expect(Self.jsonLines(try Self.decode(shared, schema: schema), schema: schema) == Self.jsonLines(batches, schema: schema))

        // One small batch over the big dictionary: its 3 values only.
        let small = RecordBatch(schema: schema, columns: [Column(dictionary: entries, indices: [5, nil, 1999])])
        let serializerSmall = BatchSerializer(compress: false)
        serializerSmall.append(small)
        let bytes = serializerSmall.finishFrame { Array($0) }
        #expect(bytes.count < 1000)
        #expect(Self.jsonLines(try Self.decode(bytes, schema: schema), schema: schema) == Self.jsonLines([small], schema: schema))
    }

    @Test func compressionShrinksRepetitiveData() throws {
        let schema = Schema([Field("v", .int64)])
        let batch = RecordBatch(schema: schema, columns: [Column(.int64, (0..<100_000).map { Int64($0 % 10) })])
        let compressed = BatchSerializer(compress: true)
        compressed.append(batch)
        let size = compressed.finishFrame { $0.count }
        #expect(size < 800_000 / 20)
    }

    /// Every single-byte change to a frame, with its checksums fixed up so the structural checks
    /// are what must catch it: each decode throws or gives well-formed batches, and never traps.
    @Test func damagedFramesAreErrorsNotTraps() throws {
        let batch = Self.allTypes(rows: 20, nulls: true)
        let schema = batch.schema
        let serializer = BatchSerializer(compress: false)
        serializer.append(batch)
        serializer.append(batch.slice(2..<9))
        let frame = serializer.finishFrame { Array($0) }
        var thrown = 0
        // Every byte of the header and metadata; every fifth of the data area.
        let metadataEnd = SpillFrame.headerSize + 4 + Int(frame[8]) + Int(frame[9]) << 8
        for position in Array(0..<metadataEnd) + Array(stride(from: metadataEnd, to: frame.count, by: 5)) {
            var damaged = frame
            damaged[position] ^= 0x5A
            Self.fixChecksums(&damaged)
            do {
                // Accepted changes are ones to values or padding: the batches are still well formed.
                for batch in try Self.decode(damaged, schema: schema) { batch.columns.forEach(Self.touch) }
            } catch let error as ExecutionError {
                #expect(error.description.hasPrefix("memory: corrupt spill frame at byte 0"))
                thrown += 1
            }
        }
        #expect(thrown > metadataEnd / 4)
        // Without fixing the checksums every change is caught.
        for position in stride(from: 0, to: frame.count, by: 7) {
            var damaged = frame
            damaged[position] ^= 0x01
            #expect(throws: ExecutionError.self) { _ = try Self.decode(damaged, schema: schema) }
        }
        // Truncated anywhere.
        for length in stride(from: 0, to: frame.count, by: 5) {
            #expect(throws: ExecutionError.self) { _ = try Self.decode(Array(frame[0..<length]), schema: schema) }
        }
        // Decoded against another schema.
        let other = Schema(schema.fields.map { Field($0.name, $0.type == .int32 ? .int64 : $0.type) })
        #expect(throws: ExecutionError.self) { _ = try Self.decode(frame, schema: other) }
    }

    /// Reads every offset-addressed byte and dictionary entry of a column, which a malformed one
    /// would trap on.
    static func touch(_ column: Column) {
        switch column.storage {
        case .variableWidth:
            var total = 0
            for row in 0..<column.count { total &+= column.withBytes(at: row) { $0.reduce(0) { $0 &+ Int($1) } } }
            _ = total
        case .dictionary, .list, .structure:
            _ = column.materialized().byteSize
            if case .structure(let children) = column.storage { children.forEach(touch) }
            if case .list(_, let values) = column.storage {
                for row in 0..<column.count { _ = column.listRange(at: row) }
                touch(values)
            }
        default:
            _ = column.byteSize
        }
    }

    /// Recomputes a frame's body and header checksums after a change.
    static func fixChecksums(_ frame: inout [UInt8]) {
        guard frame.count >= SpillFrame.headerSize else { return }
        frame.withUnsafeMutableBytes { bytes in
            let body = SpillFrame.checksum(UnsafeRawBufferPointer(rebasing: bytes[SpillFrame.headerSize...]))
            bytes.storeBytes(of: body.littleEndian, toByteOffset: 32, as: UInt32.self)
            let header = SpillFrame.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<36]))
            bytes.storeBytes(of: header.littleEndian, toByteOffset: 36, as: UInt32.self)
        }
    }

    /// A file of three segments (one empty) read back segment by segment, its index from disk,
    /// and the same file cut short or damaged.
    @Test func spillFilesRoundTripAndFailCleanly() throws {
        let parent = try SpillDirectoryTests.makeParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directory = SpillDirectory(parent: parent)
        let batch = Self.allTypes(rows: 5000, nulls: true)
        let segments = [[batch.slice(0..<2500), batch.slice(2500..<2600)], [], [batch.slice(2600..<5000)]]
        let path = try directory.newFilePath(prefix: "test", extension: "data")
        let writer = try SpillFileWriter(path: path, serializer: BatchSerializer())
        for segment in segments { try writer.writeSegment(segment) }
        let file = try writer.finish()
        #expect(file.segments.count == 3)
        #expect(file.segments[1].isEmpty)
        #expect(try SpillFile.readIndex(path: path) == file.segments)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size == file.byteCount)
        func read(_ range: Range<Int>, from path: String) throws -> [RecordBatch] {
            let reader = SpillSegmentReader(path: path, range: range, schema: batch.schema)
            var batches: [RecordBatch] = []
            while let next = try reader.next() { batches.append(next) }
            return batches
        }
        for (segment, range) in zip(segments, file.segments) {
            #expect(Self.jsonLines(try read(range, from: path), schema: batch.schema) == Self.jsonLines(segment, schema: batch.schema))
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let damagedPath = path + ".damaged"
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: damagedPath))
            #expect(throws: ExecutionError.self) {
                for range in file.segments { _ = try read(range, from: damagedPath) }
                _ = try SpillFile.readIndex(path: damagedPath)
            }
        }
        for position in stride(from: 3, to: bytes.count, by: max(1, bytes.count / 40)) {
            var damaged = bytes
            damaged[position] ^= 0x10
            try damaged.write(to: URL(fileURLWithPath: damagedPath))
            #expect(throws: ExecutionError.self) {
                for range in file.segments { _ = try read(range, from: damagedPath) }
                _ = try SpillFile.readIndex(path: damagedPath)
            }
        }
        directory.remove()
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }
}
