#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Columnar
import Execution
import CSV
import Parquet
import Query
import Sparrow

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Print the rows of a Parquet file, a directory of Parquet files, or a CSV file.",
        discussion: """
        A directory is read as a dataset: the Parquet files under it, with Hive `key=value`
        directories as columns (types inferred as Spark infers them). A --where condition on those
        columns skips whole directories before they are listed.

        Examples:
          sparrow scan lineitem.parquet --limit 10
          sparrow scan sales/ --where "order_date = DATE '1995-03-01' AND region = 'EUROPE'" --analyze
          sparrow scan lineitem.parquet --select l_orderkey,l_comment --format jsonl
          sparrow scan lineitem.parquet --format null     # decode everything, print the row count
          sparrow scan sales/ --where "region = 'EUROPE'" --report scan.html
        """
    )

    @Argument(help: "The Parquet file, dataset directory or CSV file to read.")
    var path: String

    @Option(help: "Comma-separated top-level columns to read (default: all).")
    var select: String?

    @Option(help: "Print at most this many rows.")
    var limit: Int?

    @Option(name: .customLong("where"), help: ArgumentHelp("Keep the rows where this SQL condition holds; row groups whose statistics rule it out are skipped.", valueName: "condition"))
    var condition: String?

    @Flag(help: "Print the query plans (pushed filters, projected columns) instead of the rows.")
    var explain = false

    @Flag(help: "Run, then print the plan with metrics and a report per stage to stderr.")
    var analyze = false

    @Option(help: ArgumentHelp("Also write a job report to this file: one HTML page with the scan's stages, plan with metrics, and tasks.", valueName: "file.html"))
    var report: String?

    @Option(help: "Comma-separated row group numbers to read, counting from 0 (default: all).")
    var rowGroups: String?

    @Option(help: "Output format: table, csv, json, jsonl, or null (print only the row count).")
    var format: OutputFormat = .table

    @Option(help: "Decoding threads (default: one per core).")
    var threads: Int = ProcessInfoCores.count

    @Option(help: ArgumentHelp("Memory a query may keep before spilling to disk (with --where, --analyze or a directory; default a quarter of RAM).", valueName: "size"))
    var memoryLimit: String?

    @Flag(help: "Verify the CRC-32 checksums of pages that store one.")
    var verifyChecksums = false

    @OptionGroup(title: "CSV input")
    var csv: CSVOptions

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        try SQLCommand.validateMemoryLimit(memoryLimit)
        if report != nil && explain { throw ValidationError("--report runs the scan; it cannot be combined with --explain") }
    }

    func run() throws {
        StandardOutput.ignoreBrokenPipe()
        SpillDirectory.removeAllLiveOnTermination()
        runReportingErrors {
            if condition != nil || explain || analyze || report != nil || Self.isDirectory(path) {
                try scanWithQueryEngine()
                return
            }
            if try !ConvertCommand.isParquet(path) {
                try scanCSV()
                return
            }
            var options = ReadOptions()
            options.threads = threads
            options.verifyChecksums = verifyChecksums
            let reader = try ParquetFileReader(path: path, options: options)
            let fields = try select.map { try reader.fieldIndices(for: Self.splitList($0)) }
            let groups = try rowGroups.map { list in
                try Self.splitList(list).map { text in
                    guard let group = Int(text) else {
                        throw ValidationError("--row-groups takes numbers, not '\(text)'")
                    }
                    return group
                }
            }
            let batches = PrefetchingBatchReader(try reader.batches(fields: fields, rowGroups: groups))
            var remaining = limit ?? Int.max
            var output = BufferBuilder(capacity: 1 << 17)
            guard var formatter = format.makeFormatter() else {
                var rows = 0
                while remaining > 0, let batch = try batches.next() {
                    rows += min(batch.rowCount, remaining)
                    remaining -= batch.rowCount
                }
                StandardOutput.write("\(rows) rows\n")
                return
            }
            formatter.begin(schema: batches.schema, to: &output)
            while remaining > 0, let batch = try batches.next() {
                let rows = min(batch.rowCount, remaining)
                formatter.write(rows == batch.rowCount ? batch : batch.slice(0..<rows), to: &output)
                remaining -= rows
                StandardOutput.write(&output)
            }
            formatter.finish(to: &output)
            StandardOutput.write(&output, force: true)
        }
    }

    /// Prints a CSV input. Rows are printed as they are read, so types cannot change afterwards:
    /// they are inferred from the whole input unless `--sample-rows` or `--schema` says otherwise.
    private func scanCSV() throws {
        let input = try CSVInput(path: path)
        let options = try csv.readOptions(threads: threads, defaultSampleRows: Int.max)
        let reader = try CSVReader(input: input, options: options)
        let stream = try reader.batches()
        var indices: [Int]? = nil
        if let select {
            indices = try Self.splitList(select).map { name in
                guard let index = reader.names.firstIndex(of: name) else {
                    throw CSVError.invalidArgument("\(input.displayName): no column named '\(name)' (columns: \(reader.names.joined(separator: ", ")))")
                }
                return index
            }
        }
        let schema = indices.map { Schema($0.map { reader.schema.fields[$0] }) } ?? reader.schema
        var remaining = limit ?? Int.max
        var output = BufferBuilder(capacity: 1 << 17)
        var formatter = format.makeFormatter()
        formatter?.begin(schema: schema, to: &output)
        var rows = 0
        do {
            while remaining > 0, let block = try stream.next() {
                var batch = block.batch
                if let indices { batch = RecordBatch(schema: schema, columns: indices.map { batch.columns[$0] }, rowCount: batch.rowCount) }
                let take = min(batch.rowCount, remaining)
                if take < batch.rowCount { batch = batch.slice(0..<take) }
                remaining -= take
                rows += take
                formatter?.write(batch, to: &output)
                StandardOutput.write(&output)
            }
        } catch CSVError.typeWidened(let column, _) {
            throw CSVError.invalidArgument("\(input.displayName): column '\(column)' holds values the first \(options.sampleRows) rows did not show; scan without --sample-rows, or give --schema")
        }
        if formatter == nil {
            StandardOutput.write("\(rows) rows\n")
        } else {
            formatter!.finish(to: &output)
            StandardOutput.write(&output, force: true)
        }
    }

    /// Runs the scan as a query, so the condition is pushed into the reader and row groups are
    /// pruned by their statistics.
    private func scanWithQueryEngine() throws {
        if rowGroups != nil { throw ValidationError("--row-groups cannot be combined with --where, --explain, --analyze or --report") }
        let reportFile = try report.map { try JobReportFile(path: $0, command: JobReportFile.commandLine) }
        let session = Session(threads: threads)
        if let memoryLimit { try session.setConf("sparrow.memory.limit", memoryLimit) }
        let format = try Self.isDirectory(path) || ConvertCommand.isParquet(path) ? "parquet" : "csv"
        var frame = try session.read.load(path, format: format)
        if let condition { frame = try frame.filter(condition) }
        if let select { frame = frame.select(Self.splitList(select).map { Expr.column(ColumnReference($0)) }) }
        if let limit { frame = frame.limit(limit) }
        let runner = SQLRunner(session: session, options: .init(format: self.format, explain: explain, analyze: analyze, timer: false, report: reportFile))
        try runner.run(.query(frame.plan), text: reportFile?.report.command ?? "")
        try reportFile?.finish()
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `a, b,c` → ["a", "b", "c"].
    static func splitList(_ list: String) -> [String] {
        list.split(separator: ",").map { item in
            let start = item.firstIndex { !$0.isWhitespace } ?? item.endIndex
            let end = item.lastIndex { !$0.isWhitespace }.map { item.index(after: $0) } ?? start
            return String(item[start..<max(start, end)])
        }.filter { !$0.isEmpty }
    }
}
