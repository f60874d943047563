import Columnar
import Dispatch
import Parquet
import Query
import Synchronization

/// How a directory of Parquet files is read (Spark's keys in brackets).
public struct DatasetOptions: Sendable, Equatable {
    /// Infer partition column types from their values; off reads them all as strings
    /// (`spark.sql.sources.partitionColumnTypeInference.enabled`).
    public var inferPartitionTypes = true
    /// Read every file's footer when the table is named and merge their columns
    /// (`spark.sql.parquet.mergeSchema`); otherwise the columns come from the first files found.
    public var mergeSchema = false
    /// Types the user gives for partition columns, by lower-case name; they win over inference.
    public var partitionTypes: [String: DataType] = [:]

    public init() {}
}

/// A Parquet file of a dataset, with the typed values of its `k=v` directories.
public struct DatasetFile: Sendable {
    public let path: String
    public let size: Int
    public let partitionValues: [ScalarValue]
}

/// What one listing found: the files left after partition pruning, and what it cost.
public struct DatasetListing: Sendable {
    public var files: [DatasetFile] = []
    public var directoriesListed = 0
    /// Files in the directories that were listed (pruned directories are not listed, so their
    /// files are not counted).
    public var filesFound = 0
}

/// A directory of Parquet files in the Hive layout (`root/order_date=1995-03-01/region=EUROPE/part-….parquet`),
/// as written by Sparrow, Spark, DuckDB or pyarrow: the partition columns its directories name and the
/// columns of its files.
///
/// Naming the table reads little: the root's listing (every value of the first partition column),
/// then one path down to the first file, whose footer gives the file columns. Types of deeper
/// partition columns come from the values seen on that path; a value that later does not fit the
/// inferred type is an error that says how to read the column as a string. Scans list the tree
/// again, pruning directories by the query's predicates before listing their children.
public final class ParquetDataset: Sendable {
    public let root: String
    public let partitionColumns: [Field]
    /// The file columns: those of the first file's directory, or of all files with `mergeSchema`.
    public let fileSchema: Schema

    public init(root: String, options: DatasetOptions) throws {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        var names: [String] = []
        var levelValues: [[String?]] = []
        var samples: [String] = []
        try Self.discover(directory: root, depth: 0, names: &names, levelValues: &levelValues, samples: &samples)
        guard !samples.isEmpty else {
            throw ExecutionError.input(path: root, detail: "holds no Parquet files (hidden files and names starting with _ or . are skipped)")
        }
        var columns: [Field] = []
        for (depth, name) in names.enumerated() {
            let type = options.partitionTypes[name.lowercased()]
                ?? (options.inferPartitionTypes ? PartitionTypeInference.type(ofValues: levelValues[depth]) : .string)
            columns.append(Field(name, type, isNullable: true))
        }
        partitionColumns = columns
        let partitionNames = Set(names.map { $0.lowercased() })
        var footers = samples
        if options.mergeSchema {
            footers = try Self.listFiles(root: root, partitionColumns: columns, pruning: []).files.map(\.path)
        }
        var merged: [Field] = []
        var origin: [String: String] = [:]
        for path in footers {
            let schema: Schema
            do {
                schema = try ParquetFileReader(path: path).schema.schema
            } catch {
                throw ExecutionError.input(path: path, detail: "\(error)")
            }
            for field in schema.fields where !partitionNames.contains(field.name.lowercased()) {
                if let i = merged.firstIndex(where: { $0.name == field.name }) {
                    guard merged[i].type == field.type else {
                        throw ExecutionError.input(path: path, detail: "column '\(field.name)' is \(field.type) here but \(merged[i].type) in \(origin[field.name]!)")
                    }
                } else {
                    merged.append(Field(field.name, field.type, isNullable: true))
                    origin[field.name] = path
                }
            }
        }
        fileSchema = Schema(merged)
    }

    /// The table's columns: the file columns, then the partition columns (as Spark orders them).
    public var schema: Schema { Schema(fileSchema.fields + partitionColumns) }

    /// Walks one path down to the first directory that holds files, learning the partition column
    /// names on the way; the values seen at each depth are the siblings of that path.
    private static func discover(directory: String, depth: Int, names: inout [String], levelValues: inout [[String?]],
                                 samples: inout [String]) throws {
        let entries = try DirectoryEntries(path: directory)
        let partitions = entries.directories.compactMap { entry in HivePartitionPath.parseSegment(entry.name).map { (entry, $0) } }
        if !entries.files.isEmpty {
            guard partitions.isEmpty else {
                throw ExecutionError.input(path: directory, detail: "holds both files (\(entries.files[0].name)) and partition directories (\(partitions[0].0.name)); a dataset keeps its files at one depth")
            }
            samples = entries.files.map { directory + "/" + $0.name }
            return
        }
        if !partitions.isEmpty {
            let column = partitions[0].1.column
            if let conflict = partitions.first(where: { $0.1.column != column }) {
                throw ExecutionError.input(path: directory, detail: "partition directories name different columns: '\(column)' and '\(conflict.1.column)'")
            }
            if depth < names.count {
                guard names[depth] == column else {
                    throw ExecutionError.input(path: directory, detail: "expected partition directories for '\(names[depth])' at this depth but found '\(column)'")
                }
                levelValues[depth] += partitions.map(\.1.value)
            } else {
                names.append(column)
                levelValues.append(partitions.map(\.1.value))
            }
            for (entry, _) in partitions {
                try discover(directory: directory + "/" + entry.name, depth: depth + 1, names: &names, levelValues: &levelValues, samples: &samples)
                if !samples.isEmpty { return }
            }
            return
        }
        // Plain subdirectories (no `k=v`) are walked through without adding a column.
        for entry in entries.directories {
            try discover(directory: directory + "/" + entry.name, depth: depth, names: &names, levelValues: &levelValues, samples: &samples)
            if !samples.isEmpty { return }
        }
    }

    /// The files of the dataset in directories the conjuncts do not rule out (all without any).
    public func listFiles(pruning conjuncts: [Expr] = []) throws -> DatasetListing {
        try Self.listFiles(root: root, partitionColumns: partitionColumns, pruning: conjuncts)
    }

    static func listFiles(root: String, partitionColumns: [Field], pruning conjuncts: [Expr]) throws -> DatasetListing {
        var listing = DatasetListing()
        try list(directory: root, depth: 0, values: [], columns: partitionColumns,
                 pruner: PartitionPruner(columns: partitionColumns, conjuncts: conjuncts), into: &listing)
        return listing
    }

    private static func list(directory: String, depth: Int, values: [ScalarValue], columns: [Field],
                             pruner: PartitionPruner, into listing: inout DatasetListing) throws {
        let entries = try DirectoryEntries(path: directory)
        listing.directoriesListed += 1
        if depth < columns.count {
            let column = columns[depth]
            var children: [(name: String, value: ScalarValue)] = []
            for entry in entries.directories {
                guard let (name, raw) = HivePartitionPath.parseSegment(entry.name) else {
                    // A plain directory inside the tree: walk through it at the same depth.
                    try list(directory: directory + "/" + entry.name, depth: depth, values: values, columns: columns, pruner: pruner, into: &listing)
                    continue
                }
                guard name == column.name else {
                    throw ExecutionError.input(path: directory + "/" + entry.name, detail: "expected a partition directory for '\(column.name)' at this depth")
                }
                guard let value = PartitionTypeInference.value(raw, as: column.type) else {
                    throw ExecutionError.input(path: directory + "/" + entry.name,
                                               detail: "partition value '\(raw ?? "")' is not a \(column.type.sqlName), the type of '\(column.name)' (inferred from other directories unless a schema gave it); SET spark.sql.sources.partitionColumnTypeInference.enabled=false reads partition columns as strings")
                }
                children.append((entry.name, value))
            }
            if !entries.files.isEmpty {
                throw ExecutionError.input(path: directory + "/" + entries.files[0].name, detail: "is a file where partition directories for '\(column.name)' were expected")
            }
            let keep = pruner.keep(depth: depth, ancestors: values, children: children.map(\.value))
            let kept = zip(children, keep).filter(\.1).map(\.0)
            if kept.count < 16 {
                for child in kept {
                    try list(directory: directory + "/" + child.name, depth: depth + 1, values: values + [child.value], columns: columns, pruner: pruner, into: &listing)
                }
                return
            }
            // Many directories: list them on all cores (listing is system calls, mostly).
            let results = Mutex([Result<DatasetListing, any Error>?](repeating: nil, count: kept.count))
            DispatchQueue.concurrentPerform(iterations: kept.count) { i in
                let result = Result { () throws -> DatasetListing in
                    var part = DatasetListing()
                    try list(directory: directory + "/" + kept[i].name, depth: depth + 1, values: values + [kept[i].value],
                             columns: columns, pruner: pruner, into: &part)
                    return part
                }
                results.withLock { $0[i] = result }
            }
            for result in results.withLock({ $0 }) {
                let part = try result!.get()
                listing.files += part.files
                listing.directoriesListed += part.directoriesListed
                listing.filesFound += part.filesFound
            }
            return
        }
        if let partition = entries.directories.first(where: { HivePartitionPath.parseSegment($0.name) != nil }) {
            throw ExecutionError.input(path: directory + "/" + partition.name, detail: "is a partition directory deeper than the dataset's \(columns.count) partition level(s)")
        }
        for entry in entries.directories {
            try list(directory: directory + "/" + entry.name, depth: depth, values: values, columns: columns, pruner: pruner, into: &listing)
        }
        listing.filesFound += entries.files.count
        for file in entries.files {
            let path = directory + "/" + file.name
            guard let size = DatasetFileSystem.size(path) else { throw ExecutionError.input(path: path, detail: DatasetFileSystem.reason) }
            listing.files.append(DatasetFile(path: path, size: size, partitionValues: values))
        }
    }
}
