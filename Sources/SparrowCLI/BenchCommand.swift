import ArgumentParser

/// `sparrow bench`: benchmarks that generate their own data and report on Sparrow alone (the
/// comparisons with DuckDB and polars are Python programs under tools/bench).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a built-in benchmark on generated data.",
        subcommands: [PruningBenchCommand.self]
    )
}
