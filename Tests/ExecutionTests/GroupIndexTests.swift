import Columnar
import Testing
@testable import Execution

/// Group ids of one integer key against their definition: dense ids in the order of each key's
/// first appearance, NULL a group of its own. Keys of a small range (the table's window), keys
/// around and beyond its edges, extreme values, and enough groups to outgrow the window.
struct GroupIndexTests {
    /// The ids by definition: a dictionary of the keys seen so far.
    static func expectedIDs(_ batches: [[Int64?]]) -> [Int32] {
        var ids: [Int64?: Int32] = [:]
        return batches.flatMap { batch in
            batch.map { key in
                if let id = ids[key] { return id }
                let id = Int32(ids.count)
                ids[key] = id
                return id
            }
        }
    }

    /// The ids GroupIndex gives, batch by batch, and the key values it gives back per group.
    static func groupIDs(_ batches: [[Int64?]], nullable: Bool) throws -> (ids: [Int32], keys: [Int64?]) {
        let index = try GroupIndex(types: [.int64], nullable: [nullable])
        var ids: [Int32] = []
        for batch in batches {
            var out = [Int32](repeating: -1, count: batch.count)
            try out.withUnsafeMutableBufferPointer { try index.groupIDs([Column(.int64, batch)], count: batch.count, into: $0.baseAddress!) }
            ids += out
        }
        let column = index.keyColumns(0..<index.groupCount)[0]
        return (ids, (0..<column.count).map { column.isNull($0) ? nil : column.fixedWidthValue(at: $0, as: Int64.self) })
    }

    static func check(_ batches: [[Int64?]]) throws {
        let expected = Self.expectedIDs(batches)
        for nullable in [true, false] where nullable || !batches.joined().contains(nil) {
            let (ids, keys) = try Self.groupIDs(batches, nullable: nullable)
            let firstDifference = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(ids.count == expected.count)
            #expect(firstDifference == nil, "row \(firstDifference.map { "\($0.offset): \($0.element.0), expected \($0.element.1)" } ?? "")")
            // Each group's key is the key of the first row with its id.
            var firstKeys: [Int32: Int64?] = [:]
            for (key, id) in zip(batches.joined(), expected) where firstKeys[id] == nil { firstKeys[id] = key }
            #expect(keys == (0..<keys.count).map { firstKeys[Int32($0)]! })
        }
    }

    @Test func smallRangeWithNulls() throws {
        // d_group-like keys: 0 ..< 100 in a scrambled order, a hot key, NULLs.
        let batches: [[Int64?]] = (0..<3).map { (b: Int) -> [Int64?] in
            (0..<5_000).map { (i: Int) -> Int64? in
                if i % 41 == 3 { return nil }
                return i % 5 < 2 ? 42 : Int64((i * 7919 + b) % 100)
            }
        }
        try Self.check(batches)
    }

    @Test func keysAroundTheWindowsEdges() throws {
        // The first key places the window; the others fall below, inside and above it, and
        // wrap around (negative keys, the extremes).
        let first: [Int64?] = [10_000]
        let spread: [Int64?] = (0..<6_000).map { (i: Int) -> Int64? in
            let shift: Int64 = i % 2 == 0 ? 9_000 : 0
            return Int64(i % 3_000) * 7 - 1_000 + shift
        }
        let extremes: [Int64?] = [Int64.min, Int64.max, Int64.min + 1, Int64.max - 1, -1, 0, 10_000 - 256, 10_000 + 767, 10_000 + 768, nil]
        try Self.check([first + spread, extremes + spread.reversed()])
    }

    @Test func groupsOutgrowingTheWindow() throws {
        // 20,000 groups: the table grows past the size that uses the window, in the middle of
        // a batch; the keys seen before go on finding the same groups.
        let batches: [[Int64?]] = (0..<4).map { (b: Int) -> [Int64?] in
            (0..<12_000).map { (i: Int) -> Int64? in Int64((i * 104_729 + b * 3_001) % 20_000) - 500 }
        }
        try Self.check(batches)
    }

    // MARK: A lone dictionary-encoded key

    /// A batch of `indices` into `dictionary` (nil: a NULL row).
    static func dictionaryBatch(_ dictionary: Column, _ indices: [Int32?]) -> Column {
        let validity: Buffer? = indices.contains(nil) ? Bitmap.buffer(from: indices.map { $0 != nil }, count: indices.count) : nil
        return Column(type: dictionary.type, count: indices.count, validity: validity, nullCount: indices.filter { $0 == nil }.count,
                      storage: .dictionary(indices: Buffer(copying: indices.map { $0 ?? 0 }), dictionary: dictionary))
    }

    /// Each batch's values, decoded.
    static func values(_ column: Column) -> [Int64?] {
        let plain = column.materialized()
        return (0..<plain.count).map { plain.isNull($0) ? nil : plain.fixedWidthValue(at: $0, as: Int64.self) }
    }

    @Test func dictionaryKeysGroupByTheirValues() throws {
        // Two entries of the first dictionary hold the same value and must share a group;
        // entries no row uses must not become groups. Batches share a dictionary, switch to
        // another, hold plain values or NULL rows in between, and come back to the first.
        let first = Column(.int64, [5, 7, 5, -3, 100, 9_999, Int64.min] as [Int64?])
        let second = Column(.int64, [-3, 8, 100, 6] as [Int64?])
        let batches: [Column] = [
            Self.dictionaryBatch(first, [1, 1, 0, 2, 3, 1, 0, 6]),
            Self.dictionaryBatch(first, (0..<3_000).map { Int32(($0 * 7) % 5) }),
            Self.dictionaryBatch(second, [3, 0, 1, 1, 2]),
            Column(.int64, [6, 42, 5, 42] as [Int64?]),
            Self.dictionaryBatch(second, [2, nil, 0, 3, nil]),
            Self.dictionaryBatch(first, [4, 5, 2, 6]),
        ]
        let decoded = batches.map(Self.values)
        let expected = Self.expectedIDs(decoded)
        let index = try GroupIndex(types: [.int64], nullable: [true])
        var ids: [Int32] = []
        for batch in batches {
            var out = [Int32](repeating: -1, count: batch.count)
            try out.withUnsafeMutableBufferPointer { try index.groupIDs([batch], count: batch.count, into: $0.baseAddress!) }
            ids += out
        }
        let firstDifference = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(ids.count == expected.count)
        #expect(firstDifference == nil, "row \(firstDifference.map { "\($0.offset): \($0.element.0), expected \($0.element.1)" } ?? "")")
        let distinct = Set(decoded.joined().map { $0.map(String.init) ?? "NULL" })
        #expect(index.groupCount == distinct.count)
        let keys = Self.values(index.keyColumns(0..<index.groupCount)[0])
        var firstKeys: [Int32: Int64?] = [:]
        for (key, id) in zip(decoded.joined(), expected) where firstKeys[id] == nil { firstKeys[id] = key }
        #expect(keys == (0..<keys.count).map { firstKeys[Int32($0)]! })
    }

    @Test func dictionaryFloatKeysGroupNegativeAndPositiveZero() throws {
        let dictionary = Column(.float64, [0.0, -0.0, 1.5] as [Double?])
        let index = try GroupIndex(types: [.float64], nullable: [true])
        let batch = Self.dictionaryBatch(dictionary, [1, 2, 0, 1, 2])
        var ids = [Int32](repeating: -1, count: 5)
        try ids.withUnsafeMutableBufferPointer { try index.groupIDs([batch], count: 5, into: $0.baseAddress!) }
        #expect(ids == [0, 1, 0, 0, 1])
    }

    @Test func dictionaryIndexOutOfRangeIsAnError() throws {
        let dictionary = Column(.int64, [1, 2] as [Int64?])
        let index = try GroupIndex(types: [.int64], nullable: [true])
        for bad: Int32 in [2, -1] {
            let batch = Self.dictionaryBatch(dictionary, [0, bad, 1])
            var ids = [Int32](repeating: -1, count: 3)
            #expect(throws: ExecutionError.self) {
                try ids.withUnsafeMutableBufferPointer { try index.groupIDs([batch], count: 3, into: $0.baseAddress!) }
            }
        }
        // The failed batches left no groups behind that a good batch would see.
        let good = Self.dictionaryBatch(dictionary, [1, 0])
        var ids = [Int32](repeating: -1, count: 2)
        try ids.withUnsafeMutableBufferPointer { try index.groupIDs([good], count: 2, into: $0.baseAddress!) }
        #expect(ids == [0, 1])
    }

    /// Dictionaries that share their values buffer but not their length (one a prefix of the
    /// other) map their entries alike, and the longer one's last entries are in range.
    @Test func dictionariesSharingValuesButNotLength() throws {
        let values = Buffer(copying: [10, 20, 30, 40] as [Int64])
        let short = Column(type: .int64, count: 2, validity: nil, storage: .fixedWidth(values))
        let long = Column(type: .int64, count: 4, validity: nil, storage: .fixedWidth(values))
        let index = try GroupIndex(types: [.int64], nullable: [true])
        var ids: [Int32] = []
        for batch in [Self.dictionaryBatch(short, [1, 0, 1]), Self.dictionaryBatch(long, [3, 1, 2, 0])] {
            var out = [Int32](repeating: -1, count: batch.count)
            try out.withUnsafeMutableBufferPointer { try index.groupIDs([batch], count: batch.count, into: $0.baseAddress!) }
            ids += out
        }
        #expect(ids == [0, 1, 0, 2, 0, 3, 1])
    }
}
