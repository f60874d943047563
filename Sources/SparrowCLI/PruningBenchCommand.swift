import ArgumentParser
import Foundation
import Parquet

/// `sparrow bench pruning`: how much partition pruning saves on a Hive-partitioned table.
struct PruningBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pruning",
        abstract: "Measure partition pruning on a generated sales table.",
        discussion: """
        Generates a `sales` table (the same rows on every run), writes it as one
        Parquet file and as a directory partitioned by order_date and region, then
        runs `SELECT count(*), sum(total_price) FROM sales WHERE <condition>` for
        one day, one week, one region, one day in one region, and no condition:
        on the directory with pruning (the default settings), without it
        (sparrow.sql.partitionPruning.enabled=false and
        spark.sql.parquet.filterPushdown=false), and on the single file. It prints
        what each scan read and the median time, checks that every run gives the
        same answer with the count the generated data implies, and exits 1
        otherwise.

        Examples:
          sparrow bench pruning
          sparrow bench pruning --rows 200000 --days 60 --html pruning.html
          sparrow bench pruning --dir bench-data/pruning --runs 5
        """
    )

    @Option(help: "Rows of the sales table.")
    var rows: Int = 1_500_000

    @Option(help: "Days of order dates, from 1992-01-01 (at least 7).")
    var days: Int = 2_406

    @Option(help: "Regions: AFRICA, AMERICA, ASIA, EUROPE, MIDDLE EAST, then REGION 6, REGION 7…")
    var regions: Int = 5

    @Option(help: "Keep the data in this directory (sales.parquet and sales/, replaced if there) instead of a temporary one.")
    var dir: String?

    @Option(help: "Also write the results as a self-contained HTML page.")
    var html: String?

    @Option(help: "Timed runs of each query and variant; the table shows the median.")
    var runs: Int = 3

    @Option(help: "Executor threads (default: one per core).")
    var threads: Int = ProcessInfoCores.count

    @Flag(help: "No progress bars.")
    var quiet = false

    func validate() throws {
        if rows < 1 { throw ValidationError("--rows must be at least 1") }
        if days < 7 { throw ValidationError("--days must be at least 7 (one of the queries reads a week)") }
        if regions < 1 { throw ValidationError("--regions must be at least 1") }
        if days > 100_000 || regions > 1_000 || days * regions > 1_000_000 {
            throw ValidationError("at most 100,000 days, 1,000 regions and 1,000,000 partitions (--days × --regions)")
        }
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        StandardOutput.ignoreBrokenPipe()
        runReportingErrors {
            let directory: String
            if let dir {
                directory = dir
            } else {
                var template = Array((NSTemporaryDirectory() + "sparrow-bench-pruning.XXXXXX").utf8CString)
                guard let made = mkdtemp(&template) else {
                    throw BenchError.io("cannot make a temporary directory in \(NSTemporaryDirectory())")
                }
                directory = String(cString: made)
            }
            defer { if dir == nil { try? FileManager.default.removeItem(atPath: directory) } }
            let dataset = SalesDataset(rows: rows, days: days, regionCount: regions)
            let benchmark = PruningBenchmark(dataset: dataset, directory: directory, runs: runs, threads: threads, quiet: quiet)
            let written = try benchmark.write()
            let results = try benchmark.runQueries()
            let report = PruningReport(dataset: dataset, benchmark: benchmark, written: written, results: results,
                                       temporary: dir == nil)
            StandardOutput.write(report.text())
            if let html {
                do {
                    try PruningHTMLReport(report: report).html().write(toFile: html, atomically: true, encoding: .utf8)
                } catch {
                    throw BenchError.io("\(html): cannot write the HTML report (\(error.localizedDescription))")
                }
            }
        }
    }
}
