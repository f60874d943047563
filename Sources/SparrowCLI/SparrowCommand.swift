import ArgumentParser

@main
struct SparrowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparrow",
        abstract: "A columnar data engine: Parquet reader and writer, CSV conversion, SQL.",
        version: "sparrow 0.1.0",
        subcommands: [ScanCommand.self, InspectCommand.self, ConvertCommand.self]
    )
}
