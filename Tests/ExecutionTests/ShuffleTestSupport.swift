import Columnar
import Foundation
import Query
@testable import Execution

/// A leaf operator whose partitions are generated rows, for shuffle tests: partition `m` has
/// `rowsPerPartition[m]` rows in batches of `batchRows`. Row `i` of partition `m` is
///
///     key   = (m * 1_000_003 + i) * 7919 % 211, NULL when i % 50 == 49
///     value = m * 1_000_000 + i                 (identifies the row and orders it)
///     text  = "r<m>-<i>", NULL when i % 13 == 5
///     color = colors[i % 5] through one dictionary per partition
///
/// so every value can be checked from `value` alone. With `failure`, the partition of that number
/// throws after yielding that many batches.
final class GeneratedSourceExec: ExecutionPlan, @unchecked Sendable {
    static let colors = ["red", "green", "blue", "a rather long colour name", ""]
    static let planSchema = PlanSchema(Schema([Field("key", .int64), Field("value", .int64), Field("text", .string), Field("color", .string)]))

    let rowsPerPartition: [Int]
    let batchRows: Int
    let failure: (partition: Int, afterBatches: Int)?
    let metrics = OperatorMetrics()

    init(rowsPerPartition: [Int], batchRows: Int, failure: (partition: Int, afterBatches: Int)? = nil) {
        self.rowsPerPartition = rowsPerPartition
        self.batchRows = batchRows
        self.failure = failure
    }

    var name: String { "GeneratedSourceExec" }
    var detail: String { "" }
    var schema: PlanSchema { Self.planSchema }
    var children: [any ExecutionPlan] { [] }
    var partitionCount: Int { rowsPerPartition.count }

    static func key(_ m: Int, _ i: Int) -> Int64? { i % 50 == 49 ? nil : Int64((m * 1_000_003 + i) * 7919 % 211) }
    static func text(_ m: Int, _ i: Int) -> String? { i % 13 == 5 ? nil : "r\(m)-\(i)" }

    func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        let rows = rowsPerPartition[partition]
        let dictionary = Column(strings: Self.colors)
        var batches: [RecordBatch] = []
        for start in stride(from: 0, to: rows, by: batchRows) {
            let range = start..<min(start + batchRows, rows)
            let keys: [Int64?] = range.map { Self.key(partition, $0) }
            let values: [Int64?] = range.map { Int64(partition * 1_000_000 + $0) }
            let columns = [
                Column(.int64, keys), Column(.int64, values), Column(strings: range.map { Self.text(partition, $0) }),
                Column(dictionary: dictionary, indices: range.map { Int32($0 % 5) }),
            ]
            batches.append(RecordBatch(schema: schema.schema, columns: columns))
        }
        let failing = failure.flatMap { $0.partition == partition ? $0.afterBatches : nil }
        return FailingStream(batches, failAfter: failing)
    }

    /// Yields its batches, or throws once `failAfter` of them have been taken.
    final class FailingStream: BatchStream {
        var batches: ArraySlice<RecordBatch>
        var remainingBeforeFailure: Int?

        init(_ batches: [RecordBatch], failAfter: Int?) {
            self.batches = batches[...]
            remainingBeforeFailure = failAfter
        }

        func next() throws -> RecordBatch? {
            if let remaining = remainingBeforeFailure {
                if remaining == 0 { throw ExecutionError.input(path: "generated", detail: "failure injected by the test") }
                remainingBeforeFailure = remaining - 1
            }
            return batches.popFirst()
        }
    }
}

/// Helpers to run an exchange by hand and look at what it gives.
enum ShuffleTestSupport {
    /// A fresh, empty parent directory for spill directories.
    static func makeSpillParent() throws -> String { try SpillDirectoryTests.makeParent() }

    static func context(_ scheduler: StageScheduler, partition: Int = 0) -> TaskContext {
        TaskContext(stageID: 99, partition: partition, cancellation: scheduler.cancellation, memory: scheduler.memory,
                    spillDirectory: scheduler.spillDirectory)
    }

    static func drain(_ stream: any BatchStream) throws -> [RecordBatch] {
        var batches: [RecordBatch] = []
        while let batch = try stream.next() { batches.append(batch) }
        return batches
    }

    /// The `value` column of batches, in order.
    static func values(_ batches: [RecordBatch]) -> [Int64] {
        batches.flatMap { batch in (0..<batch.rowCount).map { batch.columns[1].fixedWidthValue(at: $0, as: Int64.self) } }
    }

    /// Checks each row against the generator's formulas given its `value`; returns the rows that differ.
    static func mismatchedRows(_ batches: [RecordBatch]) -> Int {
        var wrong = 0
        for batch in batches {
            for row in 0..<batch.rowCount {
                let value = Int(batch.columns[1].fixedWidthValue(at: row, as: Int64.self))
                let (m, i) = (value / 1_000_000, value % 1_000_000)
                let key: Int64? = batch.columns[0].isNull(row) ? nil : batch.columns[0].fixedWidthValue(at: row, as: Int64.self)
                let text: String? = batch.columns[2].isNull(row) ? nil : batch.columns[2].stringValue(at: row)
                let color = batch.columns[3].stringValue(at: row)
                if key != GeneratedSourceExec.key(m, i) || text != GeneratedSourceExec.text(m, i) || color != GeneratedSourceExec.colors[i % 5] {
                    wrong += 1
                }
            }
        }
        return wrong
    }
}
