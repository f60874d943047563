import ArgumentParser
import Columnar
import Execution
import Foundation
import Parquet
import Query
import Sparrow

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run Spark SQL over Parquet and CSV files.",
        discussion: """
        Statements are separated by ';'. Queries print their rows; CREATE TEMP VIEW, SET and DROP
        VIEW print nothing. Without a query or -f, standard input is read; at a terminal that is an
        interactive prompt.

        Examples:
          sparrow sql --table lineitem=lineitem.parquet "SELECT l_returnflag, count(*) FROM lineitem GROUP BY 1"
          sparrow sql "SELECT count(*) FROM parquet.\\`lineitem.parquet\\` WHERE l_quantity < 24"
          sparrow sql -f q1.sql --table lineitem=lineitem.parquet --analyze
          sparrow sql -f q1.sql --table lineitem=lineitem.parquet --report q1.html
        """
    )

    @Argument(help: "SQL statements to run.")
    var query: String?

    @Option(name: .shortAndLong, help: "Read the statements from this file.")
    var file: String?

    @Option(name: .long, help: ArgumentHelp("Register a file as a table (Parquet, or CSV by its extension).", valueName: "name=path"))
    var table: [String] = []

    @Option(help: "Output format: table, csv, json, jsonl, or null (print only the row count).")
    var format: OutputFormat = .table

    @Flag(help: "Print the parsed, analyzed, optimized and physical plans instead of running queries.")
    var explain = false

    @Flag(help: "Run, then print the physical plan with metrics and a report per stage to stderr.")
    var analyze = false

    @Flag(help: "Print each statement's run time to stderr.")
    var timer = false

    @Option(help: ArgumentHelp("Also write a job report to this file: one HTML page with each query's stages as a graph, its plan with metrics, and its tasks.", valueName: "file.html"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Set a configuration key (e.g. spark.sql.shuffle.partitions=8).", valueName: "key=value"))
    var conf: [String] = []

    @Option(help: "Executor threads (default: one per core).")
    var threads: Int = ProcessInfoCores.count

    @Option(help: ArgumentHelp("Memory a query may keep for shuffles before spilling to disk (sparrow.memory.limit; default a quarter of RAM).", valueName: "size"))
    var memoryLimit: String?

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        try Self.validateMemoryLimit(memoryLimit)
        if query != nil && file != nil { throw ValidationError("give a query or -f FILE, not both") }
        if report != nil && explain { throw ValidationError("--report runs the queries; it cannot be combined with --explain") }
        for entry in table + conf where !entry.contains("=") {
            throw ValidationError("'\(entry)' is not name=value")
        }
    }

    func run() throws {
        StandardOutput.ignoreBrokenPipe()
        SpillDirectory.removeAllLiveOnTermination()
        runReportingErrors {
            let reportFile = try report.map { try JobReportFile(path: $0, command: JobReportFile.commandLine) }
            let session = try makeSession()
            let options = options(report: reportFile)
            if let query {
                try SQLRunner(session: session, options: options).run(script: query, source: nil)
            } else if let file {
                let text: String
                do {
                    text = try String(contentsOfFile: file, encoding: .utf8)
                } catch {
                    throw SessionError.invalidArgument("\(file): cannot read (\(error.localizedDescription))")
                }
                try SQLRunner(session: session, options: options).run(script: text, source: file)
            } else if isatty(0) == 0 {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                try SQLRunner(session: session, options: options).run(script: String(decoding: data, as: UTF8.self), source: "<stdin>")
            } else {
                SQLRunner(session: session, options: options).interactive()
            }
            try reportFile?.finish()
        }
    }

    func options(report: JobReportFile?) -> SQLRunner.Options {
        SQLRunner.Options(format: format, explain: explain, analyze: analyze, timer: timer, report: report)
    }

    func makeSession() throws -> Session {
        let session = Session(threads: threads)
        for entry in conf {
            let (key, value) = Self.split(entry)
            try session.setConf(key, value)
        }
        if let memoryLimit { try session.setConf("sparrow.memory.limit", memoryLimit) }
        for entry in table {
            let (name, path) = Self.split(entry)
            guard !name.isEmpty, !path.isEmpty else { throw ValidationError("--table takes name=path, not '\(entry)'") }
            try session.read.load(path, format: SessionCatalog.format(ofPath: path)).createOrReplaceTempView(name)
        }
        return session
    }

    /// `--memory-limit` takes a positive size: `512m`, `2g`, `1048576`.
    static func validateMemoryLimit(_ text: String?) throws {
        guard let text else { return }
        guard let bytes = RuntimeConfig.parseBytes(text.trimmingCharacters(in: .whitespaces)), bytes > 0 else {
            throw ValidationError("--memory-limit takes a positive size such as 512m or 2g, not '\(text)'")
        }
    }

    static func split(_ entry: String) -> (String, String) {
        let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return (parts[0].trimmingCharacters(in: .whitespaces), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }
}
