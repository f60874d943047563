import Columnar
import Foundation
import Query
import Testing
@testable import Execution

/// Partial and final hash aggregation under a memory budget far below what they hold: partial
/// aggregation passes groups on early, final aggregation spills to hash buckets (recursively at
/// the smallest budget), and the answers are still DuckDB's.
@Suite struct AggregationSpillTests {
    /// `AggregationTestTable`'s rows in three partitions of 100-row batches (odd batches
    /// dictionary encoded), with the key columns then the aggregates' argument columns.
    final class TableSourceExec: ExecutionPlan, @unchecked Sendable {
        let names: [String]
        let schema: PlanSchema
        let metrics = OperatorMetrics()
        static let partitions = [0..<1200, 1200..<1201, 1201..<3000]

        init(names: [String]) {
            self.names = names
            schema = PlanSchema(Schema(names.map { Field($0, AggregationTestTable.type($0)) }))
        }

        var name: String { "TableSourceExec" }
        var detail: String { "" }
        var children: [any ExecutionPlan] { [] }
        var partitionCount: Int { Self.partitions.count }

        func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
            let rows = Self.partitions[partition]
            let batches = stride(from: rows.lowerBound, to: rows.upperBound, by: 100).enumerated().map { i, start in
                let range = start..<min(start + 100, rows.upperBound)
                return RecordBatch(schema: schema.schema, columns: names.map { AggregationTestTable.column($0, range, dictionary: i % 2 == 1) },
                                   rowCount: range.count)
            }
            return ArrayStream(batches)
        }
    }

    /// Partial aggregate → hash exchange (3 partitions) → final aggregate, as the planner builds it.
    static func plan(keys: [String]) throws -> (root: HashAggregateExec, partial: HashAggregateExec) {
        let aggregates = AggregationGroupingTests.twoPhaseAggregates
        var arguments: [String] = []
        for argument in aggregates.compactMap(\.argument) where !arguments.contains(argument) { arguments.append(argument) }
        let source = TableSourceExec(names: keys + arguments)
        let specs = aggregates.map(\.spec)
        let names = specs.map(\.name)
        let partialAggregator = try GroupedAggregator(keyTypes: keys.map(AggregationTestTable.type), aggregates: specs, mode: .partial)
        let partialSchema = PlanSchema(Schema(partialAggregator.outputSchema.fields.enumerated().map { Field("c\($0.offset)", $0.element.type) }))
        let partial = try HashAggregateExec(mode: .partial, keys: keys.map { Expr.col($0) }, specs: specs,
                                            arguments: aggregates.map { $0.argument.map { [Expr.col($0)] } ?? [] },
                                            aggregateNames: names, input: source, schema: partialSchema)
        let exchange = ShuffleExchangeExec(partitioning: .hash(keys: Array(0..<keys.count), partitions: 3), input: partial)
        var next = keys.count
        let stateArguments = specs.map { spec in
            defer { next += spec.partialStateTypes.count }
            return (next..<(next + spec.partialStateTypes.count)).map { Expr.col("c\($0)") }
        }
        let finalAggregator = try GroupedAggregator(keyTypes: keys.map(AggregationTestTable.type), aggregates: specs, mode: .final)
        let root = try HashAggregateExec(mode: .final, keys: (0..<keys.count).map { Expr.col("c\($0)") }, specs: specs,
                                         arguments: stateArguments, aggregateNames: names, input: exchange,
                                         schema: PlanSchema(finalAggregator.outputSchema))
        return (root, partial)
    }

    @Test(arguments: AggregationGroupingTests.cases, [1, 96 << 10, 1 << 30])
    func spillingAggregationMatchesDuckDB(_ test: AggregationGroupingTests.Case, memoryLimit: Int) throws {
        let parent = try ShuffleTestSupport.makeSpillParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let (root, partial) = try Self.plan(keys: test.keys)
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2), memoryLimit: memoryLimit, spillParent: parent)
        let batches = try scheduler.collect(root, maxResultBytes: .max)
        expectSameGroups(renderedRows(batches), AggregationGroupingTests.expectedWithoutDistinct(test.expected, keyCount: test.keys.count),
                         keyCount: test.keys.count)
        let groups = test.expected.count
        if memoryLimit == 1 {
            #expect(root.metrics.spillFiles > 0, "the final aggregation should have spilled")
            // Passed on early: more partial rows than groups per partition.
            #expect(partial.metrics.outputRows > 3 * groups)
        } else if memoryLimit == 1 << 30 {
            #expect(root.metrics.spillFiles == 0)
            #expect(partial.metrics.outputRows <= 3 * groups)
        }
        #expect(scheduler.memory.usedBytes == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    /// A partial aggregation that stops grouping after its first 100 rows (as it does when
    /// nearly every row makes a group) passes the later rows on as groups of their own, in every
    /// aggregate's state form, and the final aggregation still gives DuckDB's answers.
    @Test(arguments: AggregationGroupingTests.cases)
    func partialAggregationThatStopsGroupingMatchesDuckDB(_ test: AggregationGroupingTests.Case) throws {
        let (root, partial) = try Self.plan(keys: test.keys)
        partial.partialSkipThreshold = .init(probeRows: 100, ratio: 0)
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2))
        let batches = try scheduler.collect(root, maxResultBytes: .max)
        expectSameGroups(renderedRows(batches), AggregationGroupingTests.expectedWithoutDistinct(test.expected, keyCount: test.keys.count),
                         keyCount: test.keys.count)
        // Only each partition's first 100-row batch was grouped.
        #expect(partial.metrics.outputRows >= 3000 - 2 * 100 - 1)
    }

    /// A final aggregation over many groups with a budget that holds a fraction of them: it
    /// spills once into buckets that then fit, and every group comes out once with its count.
    @Test func manyGroupsSpillIntoBucketsThatFit() throws {
        let parent = try ShuffleTestSupport.makeSpillParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let input = GeneratedSourceExec(rowsPerPartition: [40_000, 30_000], batchRows: 4096)
        let count = try AggregateSpec(function: .count, argumentType: nil)
        let sum = try AggregateSpec(function: .sum, argumentType: .int64)
        let partialSchema = PlanSchema(Schema([Field("k", .int64), Field("n", .int64), Field("s", .int64)]))
        // Group by value % 20000: 20000 groups, 3 or 4 rows each.
        let key = try SQLParser.parseExpression("value % 20000L")
        let partial = try HashAggregateExec(mode: .partial, keys: [key], specs: [count, sum], arguments: [[], [.col("value")]],
                                            aggregateNames: ["n", "s"], input: input, schema: partialSchema)
        let exchange = ShuffleExchangeExec(partitioning: .hash(keys: [0], partitions: 2), input: partial)
        let root = try HashAggregateExec(mode: .final, keys: [.col("k")], specs: [count, sum], arguments: [[.col("n")], [.col("s")]],
                                         aggregateNames: ["n", "s"], input: exchange, schema: partialSchema)
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2), memoryLimit: 256 << 10, spillParent: parent)
        let batches = try scheduler.collect(root, maxResultBytes: .max)
        var expected: [Int64: (Int64, Int64)] = [:]
        for (m, rows) in [40_000, 30_000].enumerated() {
            for i in 0..<rows {
                let value = Int64(m * 1_000_000 + i)
                let entry = expected[value % 20000, default: (0, 0)]
                expected[value % 20000] = (entry.0 + 1, entry.1 + value)
            }
        }
        var seen: [Int64: (Int64, Int64)] = [:]
        var duplicates = 0
        for batch in batches {
            for row in 0..<batch.rowCount {
                let k = batch.columns[0].fixedWidthValue(at: row, as: Int64.self)
                let entry = (batch.columns[1].fixedWidthValue(at: row, as: Int64.self), batch.columns[2].fixedWidthValue(at: row, as: Int64.self))
                if seen.updateValue(entry, forKey: k) != nil { duplicates += 1 }
            }
        }
        #expect(duplicates == 0)
        #expect(seen.count == expected.count)
        #expect(seen.allSatisfy { expected[$0.key]! == $0.value })
        #expect(root.metrics.spillFiles > 0)
        #expect(root.metrics.summary.contains("spill="))
        #expect(scheduler.memory.usedBytes == 0)
        #expect(scheduler.memory.peakBytes <= 256 << 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }
}
