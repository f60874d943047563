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
}
