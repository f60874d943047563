import ArgumentParser

@main
struct SparrowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparrow",
        abstract: "A columnar data engine: Parquet reader and writer, CSV conversion, SQL."
    )
}
