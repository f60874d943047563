import Execution
import Parquet

/// The session's configuration: Spark's keys (`spark.sql.shuffle.partitions`,
/// `spark.driver.maxResultSize`, `spark.sql.files.maxPartitionBytes`, the writers'
/// `spark.sql.parquet.compression.codec`, `spark.sql.files.maxRecordsPerFile`,
/// `spark.sql.sources.partitionOverwriteMode`, `spark.local.dir`) and Sparrow's own
/// (`sparrow.memory.limit`) set with `SET key=value`, `--conf` or `session.conf.set`.
public struct RuntimeConfig: Sendable {
    /// Keys set explicitly, in the order they were first set.
    public private(set) var entries: [(key: String, value: String)] = []
    public private(set) var execution: ExecutionConfig
    /// How directories of Parquet files are read.
    public private(set) var datasets = DatasetOptions()

    /// The codec of written Parquet files (Spark's default is snappy, Sparrow's zstd).
    public private(set) var parquetCompression: CompressionCodec = .zstd
    /// Rows per written file; 0 for no limit.
    public private(set) var maxRecordsPerFile = 0
    /// True when an overwrite of a partitioned dataset replaces only the partitions written.
    public private(set) var dynamicPartitionOverwrite = false

    public static let knownKeys = [
        "spark.sql.shuffle.partitions", "spark.driver.maxResultSize", "spark.sql.files.maxPartitionBytes",
        "spark.executor.cores", "spark.sql.parquet.filterPushdown", "spark.sql.parquet.mergeSchema",
        "spark.sql.sources.partitionColumnTypeInference.enabled", "sparrow.sql.partitionPruning.enabled",
        "spark.sql.parquet.compression.codec", "spark.sql.files.maxRecordsPerFile", "spark.sql.sources.partitionOverwriteMode",
        "sparrow.memory.limit", "spark.local.dir", "spark.shuffle.spill.compress",
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
        case "spark.sql.autoBroadcastJoinThreshold": return String(execution.autoBroadcastJoinThreshold)
        case "spark.sql.optimizer.dynamicPartitionPruning.enabled": return String(execution.dynamicPartitionPruning)
        case "spark.sql.optimizer.runtime.bloomFilter.enabled": return String(execution.runtimeKeyFilter)
        case "spark.sql.adaptive.enabled": return String(execution.adaptive.enabled)
        case "spark.sql.adaptive.coalescePartitions.enabled": return String(execution.adaptive.coalescePartitions)
        case "spark.sql.adaptive.skewJoin.enabled": return String(execution.adaptive.skewJoin)
        case "spark.sql.adaptive.coalescePartitions.initialPartitionNum": return String(execution.initialPartitions)
        case "spark.sql.adaptive.advisoryPartitionSizeInBytes": return String(execution.adaptive.advisoryPartitionBytes)
        case "spark.sql.adaptive.skewJoin.skewedPartitionFactor": return String(execution.adaptive.skewedPartitionFactor)
        case "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes": return String(execution.adaptive.skewedPartitionThresholdBytes)
        case "sparrow.sql.partitionPruning.enabled": return String(execution.partitionPruning)
        case "spark.sql.parquet.mergeSchema": return String(datasets.mergeSchema)
        case "spark.sql.sources.partitionColumnTypeInference.enabled": return String(datasets.inferPartitionTypes)
        case "spark.sql.parquet.compression.codec": return parquetCompression == .uncompressed ? "none" : parquetCompression.description.lowercased()
        case "spark.sql.files.maxRecordsPerFile": return String(maxRecordsPerFile)
        case "spark.sql.sources.partitionOverwriteMode": return dynamicPartitionOverwrite ? "DYNAMIC" : "STATIC"
        case "sparrow.memory.limit": return String(execution.memoryLimit)
        case "spark.local.dir": return execution.spillDirectory
        case "spark.shuffle.spill.compress": return String(execution.spillCompression)
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
            execution.shufflePartitionsSet = true
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
        case "spark.sql.autoBroadcastJoinThreshold":
            execution.autoBroadcastJoinThreshold = try Self.broadcastThreshold(key, value)
        case "spark.sql.optimizer.dynamicPartitionPruning.enabled":
            execution.dynamicPartitionPruning = try Self.parseBool(key, trimmed)
        case "spark.sql.optimizer.runtime.bloomFilter.enabled":
            execution.runtimeKeyFilter = try Self.parseBool(key, trimmed)
        case "spark.sql.adaptive.enabled":
            execution.adaptive.enabled = try Self.parseBool(key, trimmed)
        case "spark.sql.adaptive.coalescePartitions.enabled":
            execution.adaptive.coalescePartitions = try Self.parseBool(key, trimmed)
        case "spark.sql.adaptive.skewJoin.enabled":
            execution.adaptive.skewJoin = try Self.parseBool(key, trimmed)
        case "spark.sql.adaptive.coalescePartitions.initialPartitionNum":
            guard let n = Int(trimmed), n >= 1 else { throw SessionError.invalidConfig(key: key, value: value, expected: "a positive integer") }
            execution.adaptive.initialPartitions = n
        case "spark.sql.adaptive.advisoryPartitionSizeInBytes":
            execution.adaptive.advisoryPartitionBytes = try Self.positiveBytes(key, value)
        case "spark.sql.adaptive.coalescePartitions.minPartitionSize":
            execution.adaptive.minPartitionBytes = try Self.positiveBytes(key, value)
        case "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes":
            execution.adaptive.skewedPartitionThresholdBytes = try Self.positiveBytes(key, value)
        case "spark.sql.adaptive.skewJoin.skewedPartitionFactor":
            guard let factor = Double(trimmed), factor >= 1 else { throw SessionError.invalidConfig(key: key, value: value, expected: "a number of at least 1") }
            execution.adaptive.skewedPartitionFactor = factor
        case "spark.sql.adaptive.autoBroadcastJoinThreshold":
            execution.adaptive.autoBroadcastJoinThreshold = try Self.broadcastThreshold(key, value)
        case "spark.sql.parquet.filterPushdown":
            execution.filterPushdown = try Self.parseBool(key, trimmed)
        case "sparrow.sql.partitionPruning.enabled":
            execution.partitionPruning = try Self.parseBool(key, trimmed)
        case "spark.sql.parquet.mergeSchema":
            datasets.mergeSchema = try Self.parseBool(key, trimmed)
        case "spark.sql.sources.partitionColumnTypeInference.enabled":
            datasets.inferPartitionTypes = try Self.parseBool(key, trimmed)
        case "spark.sql.parquet.compression.codec":
            guard let codec = Self.parquetCodec(trimmed) else {
                throw SessionError.invalidConfig(key: key, value: value, expected: "snappy, gzip, lz4, zstd, brotli, none or uncompressed")
            }
            parquetCompression = codec
        case "spark.sql.files.maxRecordsPerFile":
            guard let n = Int(trimmed) else { throw SessionError.invalidConfig(key: key, value: value, expected: "a number of rows (0 for no limit)") }
            maxRecordsPerFile = max(n, 0)
        case "spark.sql.sources.partitionOverwriteMode":
            guard let dynamic = Self.partitionOverwriteMode(trimmed) else {
                throw SessionError.invalidConfig(key: key, value: value, expected: "STATIC or DYNAMIC")
            }
            dynamicPartitionOverwrite = dynamic
        case "sparrow.memory.limit":
            guard let bytes = Self.parseBytes(trimmed), bytes > 0 else {
                throw SessionError.invalidConfig(key: key, value: value, expected: "a positive size such as 512m or 2g")
            }
            execution.memoryLimit = bytes
        case "spark.local.dir":
            // Spark takes a comma-separated list to spread spills over disks; one machine uses the first.
            guard let first = trimmed.split(separator: ",").first.map({ String($0).trimmingSpaces }), !first.isEmpty else {
                throw SessionError.invalidConfig(key: key, value: value, expected: "a directory")
            }
            execution.spillDirectory = first
        case "spark.shuffle.spill.compress":
            execution.spillCompression = try Self.parseBool(key, trimmed)
        default:
            break
        }
        if let i = entries.firstIndex(where: { $0.key == key }) { entries[i].value = trimmed } else { entries.append((key, trimmed)) }
    }

    /// A size such as `10MB`, or -1 (never broadcast).
    static func broadcastThreshold(_ key: String, _ value: String) throws -> Int {
        if value.trimmingSpaces == "-1" { return -1 }
        guard let bytes = Self.parseBytes(value.trimmingSpaces) else {
            throw SessionError.invalidConfig(key: key, value: value, expected: "a size such as 10MB, or -1 to disable broadcasting")
        }
        return bytes
    }

    static func positiveBytes(_ key: String, _ value: String) throws -> Int {
        guard let bytes = Self.parseBytes(value.trimmingSpaces), bytes > 0 else {
            throw SessionError.invalidConfig(key: key, value: value, expected: "a positive size such as 16m")
        }
        return bytes
    }

    static func parseBool(_ key: String, _ value: String) throws -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw SessionError.invalidConfig(key: key, value: value, expected: "true or false")
        }
    }

    /// A Parquet codec by the name Spark gives it; `lz4` is LZ4_RAW (Sparrow does not write the
    /// deprecated Hadoop-framed LZ4).
    public static func parquetCodec(_ name: String) -> CompressionCodec? {
        switch name.lowercased() {
        case "none", "uncompressed": .uncompressed
        case "snappy": .snappy
        case "gzip": .gzip
        case "lz4", "lz4_raw", "lz4raw": .lz4Raw
        case "zstd": .zstd
        case "brotli": .brotli
        default: nil
        }
    }

    /// True for `dynamic`, false for `static` (any case), nil otherwise.
    public static func partitionOverwriteMode(_ text: String) -> Bool? {
        switch text.trimmingSpaces.lowercased() {
        case "dynamic": true
        case "static": false
        default: nil
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
