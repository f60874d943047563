import ArgumentParser
import Columnar
import Parquet

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a Parquet file's schema, row groups, column chunks and statistics.",
        discussion: """
        Examples:
          sparrow inspect lineitem.parquet
          sparrow inspect lineitem.parquet --json | jq '.row_groups[0].columns[0].statistics'
        """
    )

    @Argument(help: "The Parquet file to inspect.")
    var path: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        StandardOutput.ignoreBrokenPipe()
        runReportingErrors {
            let reader = try ParquetFileReader(path: path)
            let report = FileReport(reader: reader)
            StandardOutput.write(json ? report.json().rendered() + "\n" : report.text())
        }
    }
}
