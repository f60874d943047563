import Execution

/// The session's configuration: Spark's keys (`spark.sql.shuffle.partitions`,
/// `spark.driver.maxResultSize`, `spark.sql.files.maxPartitionBytes`) set with `SET key=value`,
/// `--conf` or `session.conf.set`.
public struct RuntimeConfig: Sendable {
    /// Keys set explicitly, in the order they were first set.
    public private(set) var entries: [(key: String, value: String)] = []
    public private(set) var execution: ExecutionConfig
    /// How directories of Parquet files are read.
    public private(set) var datasets = DatasetOptions()

    public static let knownKeys = [
        "spark.sql.shuffle.partitions", "spark.driver.maxResultSize", "spark.sql.files.maxPartitionBytes",
        "spark.executor.cores", "spark.sql.parquet.filterPushdown", "spark.sql.parquet.mergeSchema",
        "spark.sql.sources.partitionColumnTypeInference.enabled", "sparrow.sql.partitionPruning.enabled",
    ]

    public init(threads: Int) {
        execution = ExecutionConfig(threads: threads)
    }

    public func get(_ key: String) -> String? {
        if let entry = entries.first(where: { $0.key == key }) { return entry.value }
        switch key {
        case "spark.sql.shuffle.partitions": return String(execution.shufflePartitions)
        case "spark.driver.maxResultSize": return String(execution.maxResultBytes)
        case "spark.sql.files.maxPartitionBytes": return String(execution.maxPartitionBytes)
        case "spark.executor.cores": return String(execution.threads)
        case "spark.sql.parquet.filterPushdown": return String(execution.filterPushdown)
        case "sparrow.sql.partitionPruning.enabled": return String(execution.partitionPruning)
        case "spark.sql.parquet.mergeSchema": return String(datasets.mergeSchema)
        case "spark.sql.sources.partitionColumnTypeInference.enabled": return String(datasets.inferPartitionTypes)
        default: return nil
        }
    }

    /// Sets a key; known keys are validated. Unknown `spark.*` keys are kept (scripts written for
    /// Spark set many) but have no effect.
    public mutating func set(_ key: String, _ value: String) throws {
        let trimmed = value.trimmingSpaces
        switch key {
        case "spark.sql.shuffle.partitions":
            guard let n = Int(trimmed), n >= 1 else { throw SessionError.invalidConfig(key: key, value: value, expected: "a positive integer") }
            execution.shufflePartitions = n
        case "spark.driver.maxResultSize":
            guard let bytes = Self.parseBytes(trimmed) else {
                throw SessionError.invalidConfig(key: key, value: value, expected: "a size such as 512m or 2g (0 for no limit)")
            }
            execution.maxResultBytes = bytes == 0 ? Int.max : bytes
        case "spark.sql.files.maxPartitionBytes":
            guard let bytes = Self.parseBytes(trimmed), bytes > 0 else {
                throw SessionError.invalidConfig(key: key, value: value, expected: "a positive size such as 128m")
            }
            execution.maxPartitionBytes = bytes
        case "spark.executor.cores":
            guard let n = Int(trimmed), n >= 1 else { throw SessionError.invalidConfig(key: key, value: value, expected: "a positive integer") }
            execution.threads = n
        case "spark.sql.parquet.filterPushdown":
            execution.filterPushdown = try Self.parseBool(key, trimmed)
        case "sparrow.sql.partitionPruning.enabled":
            execution.partitionPruning = try Self.parseBool(key, trimmed)
        case "spark.sql.parquet.mergeSchema":
            datasets.mergeSchema = try Self.parseBool(key, trimmed)
        case "spark.sql.sources.partitionColumnTypeInference.enabled":
            datasets.inferPartitionTypes = try Self.parseBool(key, trimmed)
        default:
            break
        }
        if let i = entries.firstIndex(where: { $0.key == key }) { entries[i].value = trimmed } else { entries.append((key, trimmed)) }
    }

    static func parseBool(_ key: String, _ value: String) throws -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw SessionError.invalidConfig(key: key, value: value, expected: "true or false")
        }
    }

    /// `1024`, `64k`, `512m`, `2g`, `1t` (binary units, as Spark reads them; a `b` suffix is allowed).
    public static func parseBytes(_ text: String) -> Int? {
        var digits = text.lowercased()
        if digits.hasSuffix("b") { digits.removeLast() }
        var multiplier = 1
        if let last = digits.last, let shift = ["k": 10, "m": 20, "g": 30, "t": 40][String(last)] {
            multiplier = 1 << shift
            digits.removeLast()
        }
        guard let value = Int(digits), value >= 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }
}

extension String {
    var trimmingSpaces: String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return String(self[start..<max(start, end)])
    }
}
