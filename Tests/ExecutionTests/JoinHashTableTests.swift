import Columnar
import Query
import Testing
@testable import Execution

/// The join table's pairs against a dictionary of the same keys: for distinct build keys and
/// repeated ones (chains), one and two key words, one key in a narrow range (direct slots) or
/// spread wide (hashed), NULL keys on both sides, probes through the Bloom filter or not, and
/// calls whose pairs fill up mid-block.
struct JoinHashTableTests {
    /// Build keys: `count` distinct values `i * 7919 % count * 3 + 1000` (a permutation, spaced
    /// so that probes fall between them and below them), NULL at every 97th row; `repeatLast`
    /// makes the last row's key equal the first's. `spread` adds 2^40 to every other row's key,
    /// so that the keys span far more values than direct slots take.
    static func buildKeys(count: Int, repeatLast: Bool, spread: Bool = false) -> [Int64?] {
        var keys: [Int64?] = (0..<count).map { i in
            i % 97 == 5 ? nil : Int64(i * 7919 % count * 3 + 1000) + (spread && i % 2 == 1 ? 1 << 40 : 0)
        }
        if repeatLast { keys[count - 1] = keys[0] }
        return keys
    }

    /// Probe keys 0, 1, 2, … (every third one can match), NULL at every 89th row.
    static func probeKeys(count: Int) -> [Int64?] {
        (0..<count).map { $0 % 89 == 7 ? nil : Int64($0) }
    }

    /// The pairs of equal, non-NULL keys, in probe order, then build order: each probe row
    /// looks its key up in a dictionary of the build rows by key.
    static func expectedPairs(_ probe: [[Int64?]], _ build: [[Int64?]]) -> [[Int]] {
        var rowsByKey: [[Int64]: [Int]] = [:]
        for b in build[0].indices {
            let key = build.compactMap { $0[b] }
            if key.count == build.count { rowsByKey[key, default: []].append(b) }
        }
        return probe[0].indices.flatMap { p -> [[Int]] in
            let key = probe.compactMap { $0[p] }
            guard key.count == probe.count else { return [] }
            return (rowsByKey[key] ?? []).map { [p, $0] }
        }
    }

    /// The table over `build` (key columns), split into two batches, probed with `probe`.
    static func pairs(build: [[Int64?]], probe: [[Int64?]], filtered: Bool, capacity: Int) throws -> (pairs: [[Int]], distinct: Bool, direct: Bool) {
        let names = build.indices.map { "k\($0)" }
        let schema = Schema(names.map { Field($0, .int64) })
        let half = build[0].count / 2
        let batches = [0..<half, half..<build[0].count].map { range in
            RecordBatch(schema: schema, columns: build.map { Column(.int64, Array($0[range])) }, rowCount: range.count)
        }
        let keys = try names.map { try CompiledExpression.compile(.col($0), input: PlanSchema(schema)) }
        let table = try JoinHashTable(batches: batches, schema: schema, keys: keys)
        #expect(table.wordsPerRow == build.count)

        let rowCount = probe[0].count
        let probeColumns = probe.map { Column(.int64, $0) }
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: rowCount * build.count)
        defer { words.deallocate() }
        for (j, column) in probeColumns.enumerated() { try JoinKeyWords.load(column, into: words, stride: build.count, offset: j) }
        // Probe keys without NULLs have no presence bits, as the join passes them.
        let present = JoinKeyWords.present(probeColumns, rowCount: rowCount)
        let out = JoinHashTable.Pairs(probeRows: .allocate(capacity: capacity), buildRows: .allocate(capacity: capacity), capacity: capacity)
        defer { out.probeRows.deallocate(); out.buildRows.deallocate() }
        var cursor = JoinHashTable.Cursor()
        var found: [[Int]] = []
        while cursor.row < rowCount {
            let count = (present ?? []).withUnsafeBufferPointer {
                table.matchWords(words, present: present == nil ? nil : $0.baseAddress, rowCount: rowCount, firstOnly: false,
                                 filtered: filtered, cursor: &cursor, into: out)
            }
            found += (0..<count).map { [Int(out.probeRows[$0]), Int(out.buildRows[$0])] }
        }
        return (found, table.keysAreDistinct, table.direct != nil)
    }

    /// Equal pair lists; a difference is reported by its first position, not with the lists.
    static func expectSame(_ pairs: [[Int]], _ expected: [[Int]]) {
        #expect(pairs.count == expected.count)
        let firstDifference = zip(pairs, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "pair \(firstDifference.map { "\($0.offset): \($0.element.0), expected \($0.element.1)" } ?? "")")
    }

    @Test(arguments: [false, true], [(false, true, 1_000_000), (true, false, 1_000_000), (false, false, 37), (true, true, 37)])
    func oneKeyWord(spread: Bool, options: (repeatLast: Bool, filtered: Bool, capacity: Int)) throws {
        let (repeatLast, filtered, capacity) = options
        let build = [Self.buildKeys(count: 5_000, repeatLast: repeatLast, spread: spread)]
        let probe = [Self.probeKeys(count: 16_000) + [1 << 40, Int64.min, Int64.max, -1]]
        let (pairs, distinct, direct) = try Self.pairs(build: build, probe: probe, filtered: filtered, capacity: capacity)
        #expect(distinct == !repeatLast)
        #expect(direct == !spread)
        let expected = Self.expectedPairs(probe, build)
        #expect(expected.count > (spread ? 2_000 : 4_000))
        Self.expectSame(pairs, expected)
    }

    /// Probe keys without NULLs (no presence bits), distinct build keys or not, direct or hashed.
    @Test(arguments: [false, true], [false, true])
    func oneKeyWordWithoutNulls(spread: Bool, repeatLast: Bool) throws {
        let build = [Self.buildKeys(count: 5_000, repeatLast: repeatLast, spread: spread)]
        let probe = [Self.probeKeys(count: 16_000).compactMap { $0 }.map { Optional($0) } + [1 << 40, Int64.min, Int64.max, -1]]
        #expect(JoinKeyWords.present(probe.map { Column(.int64, $0) }, rowCount: probe[0].count) == nil)
        let (pairs, distinct, direct) = try Self.pairs(build: build, probe: probe, filtered: false, capacity: 777)
        #expect(distinct == !repeatLast)
        #expect(direct == !spread)
        let expected = Self.expectedPairs(probe, build)
        #expect(expected.count > (spread ? 2_000 : 4_000))
        Self.expectSame(pairs, expected)
    }

    /// A probe column read in place, whose NULL rows hold build keys (as reused memory may): those
    /// rows match nothing, direct slots or hashed.
    @Test(arguments: [false, true])
    func nullProbeRowsHoldingBuildKeysMatchNothing(spread: Bool) throws {
        let build = Self.buildKeys(count: 5_000, repeatLast: false, spread: spread)
        let schema = Schema([Field("k0", .int64)])
        let table = try JoinHashTable(batches: [RecordBatch(schema: schema, columns: [Column(.int64, build)], rowCount: build.count)],
                                      schema: schema, keys: [try CompiledExpression.compile(.col("k0"), input: PlanSchema(schema))])
        #expect((table.direct != nil) == !spread)
        // Every row's slot holds a build key; every third row is NULL.
        let values = build.compactMap { $0 }
        let rowCount = 3_000
        let data = Buffer(copying: (0..<rowCount).map { values[$0 * 7 % values.count] })
        var validBits = [UInt8](repeating: 0, count: (rowCount + 7) / 8)
        for row in 0..<rowCount where row % 3 != 1 { validBits[row >> 3] |= UInt8(1) << UInt8(row & 7) }
        let validity = Buffer(copying: validBits)
        let probe = Column(type: .int64, count: rowCount, validity: validity, nullCount: rowCount / 3, storage: .fixedWidth(data))
        let words = try #require(JoinKeyWords.direct(probe, rowCount: rowCount))
        let present = try #require(JoinKeyWords.present([probe], rowCount: rowCount))
        let out = JoinHashTable.Pairs(probeRows: .allocate(capacity: rowCount), buildRows: .allocate(capacity: rowCount), capacity: rowCount)
        defer { out.probeRows.deallocate(); out.buildRows.deallocate() }
        var cursor = JoinHashTable.Cursor()
        let count = present.withUnsafeBufferPointer {
            table.matchWords(words, present: $0.baseAddress, rowCount: rowCount, firstOnly: false, filtered: false, cursor: &cursor, into: out)
        }
        let rows = (0..<count).map { Int(out.probeRows[$0]) }
        #expect(rows == (0..<rowCount).filter { $0 % 3 != 1 })
        for i in 0..<count { #expect(build[Int(out.buildRows[i])] == values[rows[i] * 7 % values.count]) }
    }

    @Test(arguments: [(false, true, 1_000_000), (true, false, 1_000_000), (false, false, 37), (true, true, 37)])
    func twoKeyWords(repeatLast: Bool, filtered: Bool, capacity: Int) throws {
        let first = Self.buildKeys(count: 3_000, repeatLast: repeatLast)
        // A second word that differs for about half of the probe rows whose first word matches.
        let build = [first, first.map { $0.map { ($0 - 1000) / 6 % 2 } }]
        let probeFirst = Self.probeKeys(count: 9_500)
        let probe = [probeFirst, probeFirst.indices.map { Int64($0 % 2) }]
        let (pairs, distinct, direct) = try Self.pairs(build: build, probe: probe, filtered: filtered, capacity: capacity)
        #expect(distinct == !repeatLast)
        #expect(!direct)
        let expected = Self.expectedPairs(probe, build)
        #expect(expected.count > 1_000)
        Self.expectSame(pairs, expected)
    }
}
