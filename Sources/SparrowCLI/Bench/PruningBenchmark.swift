import Columnar
import Execution
import Foundation
import Parquet
import Sparrow

/// `sparrow bench pruning`'s work: writes the `sales` table as one Parquet file and as a
/// directory partitioned by order_date and region, then times each query of
/// `PruningQuery.standardSet` on both, with partition pruning and without.
///
/// Every run gets a new session that reads the table again, so listing the directory and reading
/// footers count in the time, as they do for a user's query. The variants take turns within a
/// round, the first one moving by one each round, so that none always runs on a cold cache.
final class PruningBenchmark {
    let dataset: SalesDataset
    let directory: String
    let runs: Int
    let threads: Int
    let quiet: Bool

    /// Rows per generated batch.
    static let batchRows = 65_536

    init(dataset: SalesDataset, directory: String, runs: Int, threads: Int, quiet: Bool) {
        self.dataset = dataset
        self.directory = directory
        self.runs = runs
        self.threads = threads
        self.quiet = quiet
    }

    var filePath: String { directory + "/sales.parquet" }
    var datasetPath: String { directory + "/sales" }

    /// What writing the table produced.
    struct Written {
        var fileSeconds: Double
        var fileBytes: Int
        var fileRowGroups: Int
        var datasetSeconds: Double
        var datasetBytes: Int
        var datasetFiles: Int
    }

    /// One query's runs.
    struct QueryResult {
        let query: PruningQuery
        /// The count the layout implies.
        let expectedRows: Int
        /// Every run of each variant, in the order they ran.
        var samples: [PruningVariant: [ScanMeasurement]] = [:]

        func median(_ variant: PruningVariant) -> Double {
            let seconds = (samples[variant] ?? []).map(\.seconds).sorted()
            guard !seconds.isEmpty else { return 0 }
            let middle = seconds.count / 2
            return seconds.count % 2 == 1 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2
        }

        /// The last run's metrics (every run reads the same).
        func last(_ variant: PruningVariant) -> ScanMeasurement? { samples[variant]?.last }

        /// Time without pruning over the variant's time.
        func speedUp(_ variant: PruningVariant) -> Double {
            let time = median(variant)
            return time > 0 ? median(.unpruned) / time : 0
        }

        var answer: String { last(.pruned)?.answer ?? "" }
    }

    // MARK: Writing

    /// Generates the rows once, batch by batch, and hands each batch to both writers: the
    /// unpartitioned file, in order-key order with the writer's default row groups (what a
    /// user's export converted to Parquet looks like), and the Hive-partitioned directory
    /// (`PartitionedDatasetWriter`, as `df.write.partitionBy("order_date", "region")`). Each
    /// writer's time is what its calls took.
    func write() throws -> Written {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let progress = ProgressBar(total: dataset.rows, unit: "rows", quiet: quiet)
        defer { progress.finish() }
        let file = try ParquetFileWriter(path: filePath, schema: SalesDataset.schema, properties: WriterProperties(),
                                         threads: threads)
        var options = PartitionedWriteOptions()
        options.partitionColumns = ["order_date", "region"]
        options.mode = .overwrite
        options.threads = threads
        // The partitioned files are written when the writer's buffer fills and at the end: a bar
        // of files then takes over from the rows' one (whose `finish` clears the line).
        let files = FileProgress(quiet: quiet)
        options.progress = { written, planned in files.update(written, of: planned) }
        let partitioned: PartitionedDatasetWriter
        do {
            partitioned = try PartitionedDatasetWriter(target: datasetPath, schema: SalesDataset.schema, options: options)
        } catch {
            file.abort()
            throw error
        }
        var fileSeconds = 0.0
        var datasetSeconds = 0.0
        do {
            var first = 0
            while first < dataset.rows {
                let count = min(Self.batchRows, dataset.rows - first)
                let batch = dataset.batch(first: first, count: count)
                let fileClock = Stopwatch()
                try file.write(batch)
                fileSeconds += fileClock.seconds
                let datasetClock = Stopwatch()
                try partitioned.write(batch)
                datasetSeconds += datasetClock.seconds
                first += count
                progress.update(first)
            }
            let fileClock = Stopwatch()
            try file.close()
            fileSeconds += fileClock.seconds
            let datasetClock = Stopwatch()
            let report = try partitioned.finish()
            datasetSeconds += datasetClock.seconds
            // Queries should not share the disk with the write-back of what was just written.
            sync()
            let reader = try ParquetFileReader(path: filePath)
            return Written(fileSeconds: fileSeconds, fileBytes: reader.file.size, fileRowGroups: reader.rowGroupCount,
                           datasetSeconds: datasetSeconds, datasetBytes: report.bytes, datasetFiles: report.files.count)
        } catch {
            file.abort()
            partitioned.abort()
            throw error
        }
    }

    // MARK: Querying

    /// Runs every query `runs` times per variant and checks the answers: every run of every
    /// variant must give the same rows, with the count the layout implies.
    func runQueries() throws -> [QueryResult] {
        let queries = PruningQuery.standardSet(for: dataset)
        let variants = PruningVariant.allCases
        let cellRows = dataset.cellRowCounts()
        let progress = ProgressBar(total: queries.count * variants.count * runs, unit: "runs", quiet: quiet)
        defer { progress.finish() }
        var results: [QueryResult] = []
        var done = 0
        for query in queries {
            var expected = 0
            for day in query.days {
                for region in query.regions { expected += cellRows[day * dataset.regions.count + region] }
            }
            var result = QueryResult(query: query, expectedRows: expected)
            for round in 0..<runs {
                let shift = round % variants.count
                for variant in variants[shift...] + variants[..<shift] {
                    let measurement = try measure(query, variant)
                    result.samples[variant, default: []].append(measurement)
                    done += 1
                    progress.update(done)
                }
            }
            try check(result)
            results.append(result)
        }
        return results
    }

    /// One run in a new session.
    func measure(_ query: PruningQuery, _ variant: PruningVariant) throws -> ScanMeasurement {
        let clock = Stopwatch()
        let session = Session(threads: threads)
        for (key, value) in variant.settings { try session.setConf(key, value) }
        try session.read.parquet(variant == .singleFile ? filePath : datasetPath).createOrReplaceTempView("sales")
        let execution = try session.sql(query.sql).queryExecution()
        let batches = try execution.collect()
        let seconds = clock.seconds
        return ScanMeasurement(plan: execution.physical, seconds: seconds, answer: Self.csv(batches, schema: execution.schema.schema))
    }

    static func csv(_ batches: [RecordBatch], schema: Schema) -> String {
        var output = BufferBuilder(capacity: 256)
        var formatter = CSVFormatter()
        formatter.begin(schema: schema, to: &output)
        for batch in batches { formatter.write(batch, to: &output) }
        formatter.finish(to: &output)
        return output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Fails unless every run of every variant gave the same answer, whose count is the one the
    /// layout implies.
    func check(_ result: QueryResult) throws {
        let reference = result.answer
        for variant in PruningVariant.allCases {
            for sample in result.samples[variant] ?? [] where sample.answer != reference {
                throw BenchError.wrongAnswer(
                    "query '\(result.query.name)' (\(result.query.sql)): \(variant.label) gave\n\(sample.answer)"
                        + "but \(PruningVariant.pruned.label) gave\n\(reference)")
            }
        }
        let lines = reference.split(separator: "\n")
        let count = lines.count == 2 ? lines[1].split(separator: ",").first.flatMap { Int($0) } : nil
        guard count == result.expectedRows else {
            throw BenchError.wrongAnswer(
                "query '\(result.query.name)' (\(result.query.sql)) counted \(count.map(String.init) ?? "?") rows, "
                    + "but the generated data holds \(result.expectedRows) that match:\n\(reference)")
        }
    }
}
