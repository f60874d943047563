import Columnar
import Query
import Testing
@testable import Execution

/// Group-by over every key type of `AggregationTestTable`, against DuckDB's results.
struct AggregationGroupingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let keys: [String]
        let expected: [[String?]]
        var testDescription: String { "GROUP BY " + keys.joined(separator: ", ") }
    }

    static let cases: [Case] = [
        Case(keys: ["k_int"], expected: AggregationExpected.by_int),
        Case(keys: ["k_str"], expected: AggregationExpected.by_str),
        Case(keys: ["k_bool"], expected: AggregationExpected.by_bool),
        Case(keys: ["k_dbl"], expected: AggregationExpected.by_dbl),
        Case(keys: ["k_date"], expected: AggregationExpected.by_date),
        Case(keys: ["k_dec"], expected: AggregationExpected.by_dec),
        Case(keys: ["k_ts"], expected: AggregationExpected.by_ts),
        Case(keys: ["k_str", "k_bool"], expected: AggregationExpected.by_str_by_bool),
    ]

    /// The aggregates that have a partial state (all but the DISTINCT ones).
    static let twoPhaseAggregates = AggregationTestTable.aggregates.filter { !$0.spec.distinct }

    static func expectedWithoutDistinct(_ rows: [[String?]], keyCount: Int) -> [[String?]] {
        rows.map { Array($0.prefix(keyCount + twoPhaseAggregates.count)) }
    }

    func complete(_ keys: [String], ranges: [Range<Int>] = AggregationTestTable.batchRanges) throws -> [RecordBatch] {
        let aggregator = try GroupedAggregator(keyTypes: keys.map(AggregationTestTable.type),
                                               aggregates: AggregationTestTable.aggregates.map(\.spec), mode: .complete)
        try AggregationTestTable.feed(aggregator, keys: keys, aggregates: AggregationTestTable.aggregates, ranges: ranges)
        return aggregator.finish()
    }

    @Test(arguments: cases)
    func completeModeMatchesDuckDB(_ test: Case) throws {
        let batches = try complete(test.keys)
        #expect(batches.allSatisfy { $0.schema.fields.map(\.type) == batches[0].schema.fields.map(\.type) })
        expectSameGroups(renderedRows(batches), test.expected, keyCount: test.keys.count)
    }

    @Test(arguments: cases)
    func resultTypesAreSparks(_ test: Case) throws {
        let aggregator = try GroupedAggregator(keyTypes: test.keys.map(AggregationTestTable.type),
                                               aggregates: AggregationTestTable.aggregates.map(\.spec), mode: .complete)
        let types = aggregator.outputSchema.fields.dropFirst(test.keys.count).map(\.type)
        // sum(int) BIGINT, sum(decimal(12,3)) DECIMAL(22,3), avg(decimal(12,3)) DECIMAL(16,7), avg DOUBLE…
        #expect(Array(types) == [.int64, .int64, .int64, .int64, .float64, .float64, .decimal(precision: 22, scale: 3),
                                 .float64, .float64, .decimal(precision: 16, scale: 7), .int32, .int32, .float64, .float64,
                                 .decimal(precision: 12, scale: 3), .decimal(precision: 12, scale: 3), .string, .string,
                                 .boolean, .boolean, .date32, .date32, AggregationTestTable.type("v_ts"),
                                 AggregationTestTable.type("v_ts"), .int64, .int64, .float64])
        #expect(try renderedRows(complete(test.keys)).allSatisfy { $0.count == types.count + test.keys.count })
    }

    /// Spark's plan: partial aggregates per input split, then the final aggregate over their states.
    @Test(arguments: cases)
    func partialThenFinalMatchesDuckDB(_ test: Case) throws {
        let keyTypes = test.keys.map(AggregationTestTable.type)
        let specs = Self.twoPhaseAggregates.map(\.spec)
        let partials = try (0..<3).map { _ in try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .partial) }
        let ranges = stride(from: 0, to: AggregationTestTable.rowCount, by: 250).map { $0..<min($0 + 250, AggregationTestTable.rowCount) }
        for (i, range) in ranges.enumerated() {
            try AggregationTestTable.feed(partials[i % 3], keys: test.keys, aggregates: Self.twoPhaseAggregates,
                                          ranges: [range], mixEncodings: false)
        }
        let final = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .final)
        for partial in partials {
            #expect(partial.outputSchema.fields.count == test.keys.count + specs.reduce(0) { $0 + $1.partialStateTypes.count })
            for batch in partial.finish() { try feedStates(final, batch, keyCount: test.keys.count) }
        }
        let finalRows = renderedRows(final.finish())
        expectSameGroups(finalRows, Self.expectedWithoutDistinct(test.expected, keyCount: test.keys.count), keyCount: test.keys.count)
        // And the same as one aggregator in complete mode.
        let complete = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .complete)
        try AggregationTestTable.feed(complete, keys: test.keys, aggregates: Self.twoPhaseAggregates)
        expectSameGroups(finalRows, renderedRows(complete.finish()), keyCount: test.keys.count)
    }

    /// The middle steps of a DISTINCT aggregation's plan keep every aggregate's answer: partial
    /// states merged by `.merge` aggregators (one state row per group out), those merged again by
    /// a `.partial` aggregator that takes states (`mergesStates`), then the final aggregation.
    @Test(arguments: cases)
    func mergeModeAndMergedStatesKeepTheAnswer(_ test: Case) throws {
        let keyTypes = test.keys.map(AggregationTestTable.type)
        let specs = Self.twoPhaseAggregates.map(\.spec)
        let merges = try (0..<2).map { _ in try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .merge) }
        for (i, ranges) in [[0..<700], [700..<1900], [1900..<3000]].enumerated() {
            let partial = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .partial)
            try AggregationTestTable.feed(partial, keys: test.keys, aggregates: Self.twoPhaseAggregates, ranges: ranges, mixEncodings: false)
            for batch in partial.finish() { try feedStates(merges[i % 2], batch, keyCount: test.keys.count) }
        }
        let regrouped = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .partial,
                                              mergesStates: Array(repeating: true, count: specs.count))
        // The same states passed on row by row, as a partial aggregation that stops grouping does.
        let final = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .final)
        let fromRows = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .final)
        for merge in merges {
            let batches = merge.finish()
            #expect(batches.allSatisfy { $0.schema == merge.stateSchema })
            #expect(batches.reduce(0) { $0 + $1.rowCount } == merge.groupCount)
            for batch in batches {
                try feedStates(regrouped, batch, keyCount: test.keys.count)
                let keys = Array(batch.columns.prefix(test.keys.count))
                var next = test.keys.count
                let states = specs.map { spec -> [Column] in
                    defer { next += spec.partialStateTypes.count }
                    return Array(batch.columns[next..<(next + spec.partialStateTypes.count)])
                }
                try feedStates(fromRows, try regrouped.rowStates(keys: keys, arguments: states, count: batch.rowCount), keyCount: test.keys.count)
            }
        }
        for batch in regrouped.finish() { try feedStates(final, batch, keyCount: test.keys.count) }
        let expected = Self.expectedWithoutDistinct(test.expected, keyCount: test.keys.count)
        expectSameGroups(renderedRows(final.finish()), expected, keyCount: test.keys.count)
        expectSameGroups(renderedRows(fromRows.finish()), expected, keyCount: test.keys.count)
    }

    /// As Spark's exchange: partial states are hash partitioned by key, and each partition's
    /// final aggregate sees all partial states of its keys.
    @Test(arguments: cases)
    func hashExchangeBetweenPhases(_ test: Case) throws {
        let keyTypes = test.keys.map(AggregationTestTable.type)
        let specs = Self.twoPhaseAggregates.map(\.spec)
        let finals = try (0..<4).map { _ in try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .final) }
        for ranges in [[0..<1100], [1100..<1500, 1500..<3000]] {
            let partial = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .partial)
            try AggregationTestTable.feed(partial, keys: test.keys, aggregates: Self.twoPhaseAggregates, ranges: ranges)
            for batch in partial.finish() {
                let parts = HashPartitioner.partition(batch, keyColumns: Array(0..<test.keys.count), into: 4)
                #expect(parts.count == 4)
                #expect(parts.reduce(0) { $0 + $1.rowCount } == batch.rowCount)
                for (final, part) in zip(finals, parts) { try feedStates(final, part, keyCount: test.keys.count) }
            }
        }
        expectSameGroups(finals.flatMap { renderedRows($0.finish()) },
                         Self.expectedWithoutDistinct(test.expected, keyCount: test.keys.count), keyCount: test.keys.count)
    }

    /// Raw rows partitioned by key (plain and dictionary-encoded batches mixed) and aggregated
    /// per partition: a key in two partitions would show as a duplicate group.
    @Test(arguments: cases)
    func partitionedRawInputKeepsEachKeyInOnePartition(_ test: Case) throws {
        let keyTypes = test.keys.map(AggregationTestTable.type)
        let aggregates = AggregationTestTable.aggregates
        let aggregators = try (0..<3).map { _ in try GroupedAggregator(keyTypes: keyTypes, aggregates: aggregates.map(\.spec), mode: .complete) }
        for (i, range) in AggregationTestTable.batchRanges.enumerated() {
            let names = test.keys + aggregates.compactMap(\.argument)
            let columns = names.map { AggregationTestTable.column($0, range, dictionary: i % 2 == 1) }
            let schema = Schema(names.enumerated().map { Field("c\($0.offset)", AggregationTestTable.type($0.element)) })
            let batch = RecordBatch(schema: schema, columns: columns, rowCount: range.count)
            for (aggregator, part) in zip(aggregators, HashPartitioner.partition(batch, keyColumns: Array(0..<test.keys.count), into: 3)) {
                var next = test.keys.count
                let arguments = aggregates.map { aggregate -> [Column] in
                    guard aggregate.argument != nil else { return [] }
                    next += 1
                    return [part.columns[next - 1]]
                }
                try aggregator.update(keys: Array(part.columns.prefix(test.keys.count)), arguments: arguments, rowCount: part.rowCount)
            }
        }
        expectSameGroups(aggregators.flatMap { renderedRows($0.finish()) }, test.expected, keyCount: test.keys.count)
    }

    @Test func globalAggregateMatchesDuckDB() throws {
        expectSameGroups(renderedRows(try complete([])), AggregationExpected.global, keyCount: 0)
    }

    @Test func globalAggregateInTwoPhases() throws {
        let specs = Self.twoPhaseAggregates.map(\.spec)
        let final = try GroupedAggregator(keyTypes: [], aggregates: specs, mode: .final)
        for ranges in [[0..<700], [], [700..<3000]] {
            let partial = try GroupedAggregator(keyTypes: [], aggregates: specs, mode: .partial)
            try AggregationTestTable.feed(partial, keys: [], aggregates: Self.twoPhaseAggregates, ranges: ranges)
            let batches = partial.finish()
            #expect(batches.map(\.rowCount) == [1], "a global partial aggregate has one row, even without input")
            try feedStates(final, batches[0], keyCount: 0)
        }
        expectSameGroups(renderedRows(final.finish()), Self.expectedWithoutDistinct(AggregationExpected.global, keyCount: 0), keyCount: 0)
    }

    /// Batches of the output are at most 64Ki rows and the groups are in order of appearance.
    @Test func manyGroupsComeInBoundedBatches() throws {
        let count = 150_000
        let keys = Column(.int64, (0..<count).map { Int64($0 * 3) as Int64? })
        let aggregator = try GroupedAggregator(keyTypes: [.int64], aggregates: [try AggregateSpec(function: .count, argumentType: nil)], mode: .complete)
        try aggregator.update(keys: [keys], arguments: [[]])
        #expect(aggregator.groupCount == count)
        let batches = aggregator.finish()
        #expect(batches.map(\.rowCount) == [65_536, 65_536, 18_928])
        var expectedKey: Int64 = 0
        for batch in batches {
            for row in 0..<batch.rowCount {
                #expect(batch.columns[0].fixedWidthValue(at: row, as: Int64.self) == expectedKey)
                expectedKey += 3
            }
        }
    }

    /// Feeds one `.partial` output batch to a `.final` aggregator.
    func feedStates(_ final: GroupedAggregator, _ batch: RecordBatch, keyCount: Int) throws {
        var next = keyCount
        let arguments = final.aggregates.map { spec -> [Column] in
            let width = final.partialStateTypes(of: spec).count
            defer { next += width }
            return Array(batch.columns[next..<(next + width)])
        }
        try final.update(keys: Array(batch.columns.prefix(keyCount)), arguments: arguments, rowCount: batch.rowCount)
    }
}
