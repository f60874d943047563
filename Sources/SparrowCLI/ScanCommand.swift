import ArgumentParser
import Columnar
import Parquet

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Print the rows of a Parquet file.",
        discussion: """
        Examples:
          sparrow scan lineitem.parquet --limit 10
          sparrow scan lineitem.parquet --select l_orderkey,l_comment --format jsonl
          sparrow scan lineitem.parquet --format null     # decode everything, print the row count
        """
    )

    @Argument(help: "The Parquet file to read.")
    var path: String

    @Option(help: "Comma-separated top-level columns to read (default: all).")
    var select: String?

    @Option(help: "Print at most this many rows.")
    var limit: Int?

    @Option(help: "Output format: table, csv, json, jsonl, or null (print only the row count).")
    var format: OutputFormat = .table

    @Option(help: "Decoding threads (default: one per core).")
    var threads: Int = ProcessInfoCores.count

    @Flag(help: "Verify the CRC-32 checksums of pages that store one.")
    var verifyChecksums = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        StandardOutput.ignoreBrokenPipe()
        runReportingErrors {
            var options = ReadOptions()
            options.threads = threads
            options.verifyChecksums = verifyChecksums
            let reader = try ParquetFileReader(path: path, options: options)
            let fields = try select.map { try reader.fieldIndices(for: Self.splitColumns($0)) }
            let batches = try reader.batches(fields: fields)
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

    /// `a, b,c` → ["a", "b", "c"].
    static func splitColumns(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
