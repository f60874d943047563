import Columnar
import Foundation
import Testing
@testable import Execution

/// The exchange under a memory budget: spilled and in-memory shuffles give the same partitions in
/// the same order, metrics add up, and no file outlives the query, whatever way it ends.
@Suite struct ShuffleExchangeTests {
    static let rows = [3000, 0, 5000, 1, 2500]
    static let reducers = 5
    static var totalRows: Int { rows.reduce(0, +) }

    static func exchange(failure: (partition: Int, afterBatches: Int)? = nil) -> ShuffleExchangeExec {
        ShuffleExchangeExec(partitioning: .hash(keys: [0], partitions: reducers),
                            input: GeneratedSourceExec(rowsPerPartition: rows, batchRows: 256, failure: failure))
    }

    /// Runs the map stage with `memoryLimit` and reads every reduce partition.
    static func shuffle(memoryLimit: Int, parent: String, compress: Bool = true) throws -> (partitions: [[RecordBatch]], exchange: ShuffleExchangeExec, scheduler: StageScheduler) {
        let exchange = exchange()
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2), memoryLimit: memoryLimit, spillParent: parent,
                                       spillCompression: compress)
        try scheduler.prepare(exchange)
        let context = ShuffleTestSupport.context(scheduler)
        let partitions = try (0..<reducers).map { try ShuffleTestSupport.drain(exchange.execute(partition: $0, context: context)) }
        return (partitions, exchange, scheduler)
    }

    @Test func spilledShuffleMatchesTheGeneratorAndTheInMemoryShuffle() throws {
        let parent = try ShuffleTestSupport.makeSpillParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let inMemory = try Self.shuffle(memoryLimit: 1 << 30, parent: parent)
        let spilled = try Self.shuffle(memoryLimit: 16 << 10, parent: parent)
        let uncompressed = try Self.shuffle(memoryLimit: 16 << 10, parent: parent, compress: false)
        #expect(uncompressed.exchange.shuffleMetrics.spillBytes > spilled.exchange.shuffleMetrics.spillBytes)
        #expect(inMemory.exchange.shuffleMetrics.spillFiles == 0)
        #expect(spilled.exchange.shuffleMetrics.spillFiles > 5)
        #expect(spilled.exchange.shuffleMetrics.bytesWritten > 10 * spilled.scheduler.memory.limit)
        for run in [inMemory, spilled, uncompressed] {
            // Every generated row arrives once, intact.
            let all = run.partitions.flatMap { ShuffleTestSupport.values($0) }
            let expected = Self.rows.enumerated().flatMap { m, count in (0..<count).map { Int64(m * 1_000_000 + $0) } }
            #expect(all.sorted() == expected)
            #expect(run.partitions.reduce(0) { $0 + ShuffleTestSupport.mismatchedRows($1) } == 0)
            // Within a partition: map task by map task, each in its original order.
            for partition in run.partitions {
                let values = ShuffleTestSupport.values(partition)
                #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
            }
            // Equal keys meet in one partition.
            var partitionOfKey: [Int64?: Int] = [:]
            var split = 0
            for (p, batches) in run.partitions.enumerated() {
                for batch in batches {
                    for row in 0..<batch.rowCount {
                        let key: Int64? = batch.columns[0].isNull(row) ? nil : batch.columns[0].fixedWidthValue(at: row, as: Int64.self)
                        if let other = partitionOfKey.updateValue(p, forKey: key), other != p { split += 1 }
                    }
                }
            }
            #expect(split == 0)
        }
        for p in 0..<Self.reducers {
            #expect(ShuffleTestSupport.values(spilled.partitions[p]) == ShuffleTestSupport.values(inMemory.partitions[p]))
            #expect(ShuffleTestSupport.values(uncompressed.partitions[p]) == ShuffleTestSupport.values(inMemory.partitions[p]))
        }
        for run in [inMemory, spilled, uncompressed] {
            run.scheduler.finish(run.exchange)
            #expect(run.scheduler.memory.usedBytes == 0)
            #expect(run.scheduler.memory.peakBytes <= run.scheduler.memory.limit)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    @Test func metricsAddUp() throws {
        let parent = try ShuffleTestSupport.makeSpillParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let run = try Self.shuffle(memoryLimit: 64 << 10, parent: parent)
        defer { run.scheduler.finish(run.exchange) }
        let metrics = run.exchange.shuffleMetrics
        let statistics = try #require(run.exchange.mapOutputStatistics)
        #expect(statistics.mapTasks == Self.rows.count)
        #expect(statistics.reducers == Self.reducers)
        #expect(statistics.rowsByMapTask.map { $0.reduce(0, +) } == Self.rows)
        #expect(metrics.rowsWritten == Self.totalRows)
        // Partition row counts are what the reduce tasks got.
        #expect(statistics.rowsByPartition == run.partitions.map { $0.reduce(0) { $0 + $1.rowCount } })
        #expect(metrics.rowsReadByPartition == statistics.rowsByPartition)
        #expect(metrics.bytesReadByPartition == statistics.bytesByPartition)
        #expect(statistics.bytesByPartition.reduce(0, +) == metrics.bytesWritten)
        #expect(metrics.bytesWrittenByMapTask[1] == 0)
        #expect(metrics.bytesWrittenByMapTask.allSatisfy { $0 >= 0 })
        // Each row is at least its two 8-byte integers.
        #expect(metrics.bytesWritten >= Self.totalRows * 16)
        #expect(metrics.spillFiles == metrics.spillFilesByMapTask.reduce(0, +))
        #expect(metrics.spillFilesByMapTask[1] == 0)
        #expect(metrics.spillBytes > 0)
        #expect(metrics.spillBytesRead > 0 && metrics.spillBytesRead <= metrics.spillBytes)
        #expect(run.exchange.metrics.spillFiles == metrics.spillFiles)
        #expect(run.exchange.metrics.summary.contains("spill="))
        let report = try #require(run.scheduler.stageReports.first)
        #expect(report.shuffleRowsWritten == Self.totalRows)
        #expect(report.spillFiles == metrics.spillFiles)
        #expect(report.spillBytes == metrics.spillBytes)
        #expect(report.shuffleBytesWrittenByPartition == statistics.bytesByPartition)
    }

    /// Spark's AQE specs: coalesced ranges and a reduce partition split by map tasks read what the
    /// whole partitions hold, in the documented order.
    @Test func partitionSpecsReadTheirBlocks() throws {
        let parent = try ShuffleTestSupport.makeSpillParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let run = try Self.shuffle(memoryLimit: 32 << 10, parent: parent)
        defer { run.scheduler.finish(run.exchange) }
        let exchange = run.exchange
        let context = ShuffleTestSupport.context(run.scheduler)
        func read(_ spec: ShufflePartitionSpec) throws -> [Int64] {
            ShuffleTestSupport.values(try ShuffleTestSupport.drain(exchange.read(spec, context: context)))
        }
        let whole = run.partitions.map { ShuffleTestSupport.values($0) }
        #expect(try read(.coalesced(1..<4)) == whole[1] + whole[2] + whole[3])
        #expect(try read(.coalesced(0..<5)) == whole.flatMap { $0 })
        #expect(try read(.coalesced(2..<2)).isEmpty)
        for r in 0..<Self.reducers {
            let split = try read(.partial(reducer: r, maps: 0..<2)) + read(.partial(reducer: r, maps: 2..<5))
            #expect(split == whole[r])
            // Map task 2's part of partition r: its rows of that partition, in order.
            #expect(try read(.partial(reducer: r, maps: 2..<3)) == whole[r].filter { $0 / 1_000_000 == 2 })
        }
        // Each map task's rows over all partitions are all it generated.
        for m in 0..<Self.rows.count {
            let own = try (0..<Self.reducers).flatMap { try read(.partial(reducer: $0, maps: m..<(m + 1))) }
            #expect(own.sorted() == (0..<Self.rows[m]).map { Int64(m * 1_000_000 + $0) })
        }
        let statistics = try #require(exchange.mapOutputStatistics)
        #expect(statistics.rowsByMapTask[2][3] == whole[3].filter { $0 / 1_000_000 == 2 }.count)
        // AQE's view: bytes per reduce partition, per map task.
        #expect(exchange.mapOutputBytes.count == Self.reducers)
        #expect(exchange.mapOutputBytes.map { $0.reduce(0, +) } == statistics.bytesByPartition)
        #expect(exchange.mapOutputBytes[3][2] == statistics.bytesByMapTask[2][3])
        for bad in [ShufflePartitionSpec.coalesced(3..<6), .partial(reducer: 5, maps: 0..<1), .partial(reducer: 0, maps: 0..<6)] {
            #expect(throws: ExecutionError.self) { _ = try exchange.read(bad, context: context) }
        }
    }

    /// Map output kept in memory between the stages goes to disk when a later operator reserves
    /// the room, and reads the same afterwards.
    @Test func mapOutputSpillsWhenALaterOperatorNeedsTheMemory() throws {
        let parent = try ShuffleTestSupport.makeSpillParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let limit = 4 << 20
        let exchange = Self.exchange()
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2), memoryLimit: limit, spillParent: parent)
        try scheduler.prepare(exchange)
        #expect(exchange.shuffleMetrics.spillFiles == 0)
        let held = scheduler.memory.usedBytes
        #expect(held > 0)
        let context = ShuffleTestSupport.context(scheduler)
        let before = try (0..<Self.reducers).map { ShuffleTestSupport.values(try ShuffleTestSupport.drain(exchange.execute(partition: $0, context: context))) }
        #expect(!scheduler.memory.tryReserve(limit - held + 1))
        #expect(try scheduler.memory.reserve(limit - held + 1))
        #expect(exchange.shuffleMetrics.spillFiles == Self.rows.filter { $0 > 0 }.count)
        #expect(exchange.metrics.spillFiles == exchange.shuffleMetrics.spillFiles)
        scheduler.memory.release(limit - held + 1)
        #expect(scheduler.memory.usedBytes == 0)
        let after = try (0..<Self.reducers).map { ShuffleTestSupport.values(try ShuffleTestSupport.drain(exchange.execute(partition: $0, context: context))) }
        #expect(after == before)
        // Nothing left to spill: a reservation that does not fit fails.
        #expect(try !scheduler.memory.reserve(limit + 1))
        scheduler.finish(exchange)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    @Test func statisticsAreNilBeforeTheMapStage() throws {
        let exchange = Self.exchange()
        #expect(exchange.mapOutputStatistics == nil)
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 1))
        #expect(throws: ExecutionError.self) { _ = try exchange.read(.reducer(0), context: ShuffleTestSupport.context(scheduler)) }
    }

    /// A map task that fails after others have spilled: the error comes through, the budget is
    /// whole again and the spill directory is gone.
    @Test func failedQueryLeavesNoFiles() throws {
        let parent = try ShuffleTestSupport.makeSpillParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let exchange = Self.exchange(failure: (partition: 4, afterBatches: 6))
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2), memoryLimit: 16 << 10, spillParent: parent)
        #expect(throws: ExecutionError.self) { _ = try scheduler.collect(exchange, maxResultBytes: .max) }
        #expect(exchange.shuffleMetrics.spillFiles > 0, "other tasks should have spilled before the failure")
        #expect(scheduler.memory.usedBytes == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    /// The consumer stops after the first batch (as LIMIT does): the spill directory is gone
    /// when `stream` returns, and so is the memory.
    @Test func earlyStopLeavesNoFiles() throws {
        let parent = try ShuffleTestSupport.makeSpillParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let exchange = Self.exchange()
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2), memoryLimit: 16 << 10, spillParent: parent)
        var seen = 0
        try scheduler.stream(exchange) { batch in
            seen += batch.rowCount
            return false
        }
        #expect(seen > 0)
        #expect(exchange.shuffleMetrics.spillFiles > 0)
        #expect(scheduler.memory.usedBytes == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
        // A complete run through collect cleans up as well, and gives every row.
        let again = Self.exchange()
        let second = StageScheduler(pool: ExecutorPool(threads: 2), memoryLimit: 16 << 10, spillParent: parent)
        let batches = try second.collect(again, maxResultBytes: .max)
        #expect(batches.reduce(0) { $0 + $1.rowCount } == Self.totalRows)
        #expect(ShuffleTestSupport.mismatchedRows(batches) == 0)
        #expect(second.memory.usedBytes == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    /// An unwritable spill.local.dir is an error naming it, not a crash.
    @Test func unwritableSpillDirectoryIsAnError() throws {
        let exchange = Self.exchange()
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2), memoryLimit: 16 << 10, spillParent: "/nonexistent/spill")
        do {
            _ = try scheduler.collect(exchange, maxResultBytes: .max)
            Issue.record("expected an error")
        } catch let error as ExecutionError {
            #expect(error.description.contains("/nonexistent/spill"))
        }
        #expect(scheduler.memory.usedBytes == 0)
    }
}
