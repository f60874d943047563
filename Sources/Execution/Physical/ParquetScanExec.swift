import Columnar
import Parquet
import Query
import Synchronization

/// Reads a Parquet table's projected columns: one file, or the files of a dataset that survive
/// partition pruning (directories whose `k=v` values prove the pushed filters false are never listed).
///
/// With few files, footers are read when the scan is planned: row groups whose statistics prove
/// the filters false are skipped, and the rest are split into partitions of about
/// `targetPartitionBytes` compressed bytes, one task each. With many files, tasks get whole files
/// packed by size and read each footer (and prune its row groups) themselves, so planning does not
/// open thousands of files on one thread.
public final class ParquetScanExec: ExecutionPlan, @unchecked Sendable {
    public let source: ParquetTableSource
    public let fields: [Int]
    public let filters: [Expr]
    public let limit: Int?
    public let schema: PlanSchema
    public let metrics = OperatorMetrics()
    let files: [ScanFile]
    /// What each partition reads.
    let partitions: [[ScanUnit]]
    let batchSchema: Schema
    let useStatistics: Bool
    /// Row groups left and total, when every footer was read at planning.
    let plannedRowGroups: (scanned: Int, total: Int)?
    /// The pushed filters the scan applies itself before decoding the other columns.
    let scanFilter: ParquetScanFilter?

    /// Set by a broadcast join before this scan's tasks run (dynamic partition pruning).
    private let dynamicFilter = Mutex<DynamicPartitionFilter?>(nil)
    /// Set by a broadcast join before this scan's tasks run: its build keys, as a row filter.
    private let joinKeyFilter = Mutex<JoinKeyScanFilter?>(nil)

    /// Above this many files, footers are read by the tasks.
    static let footersAtPlanning = 64

    /// A file of the scan; `reader` is set when its footer was read at planning.
    final class ScanFile: @unchecked Sendable {
        let path: String
        let size: Int
        let partitionValues: [ScalarValue]
        let reader: ParquetFileReader?
        let projection: FileProjection?

        init(path: String, size: Int, partitionValues: [ScalarValue], reader: ParquetFileReader?, projection: FileProjection?) {
            self.path = path
            self.size = size
            self.partitionValues = partitionValues
            self.reader = reader
            self.projection = projection
        }
    }

    /// Row groups of a file to read; nil rowGroups: the whole file, footer read by the task.
    struct ScanUnit {
        let file: Int
        let rowGroups: [Int]?
        /// The rows of the unit's one row group it reads, when the row group is split.
        var rows: Range<Int>? = nil
    }

    public init(source: ParquetTableSource, fields: [Int], filters: [Expr], limit: Int?, schema: PlanSchema,
                config: ExecutionConfig) throws {
        self.source = source
        self.fields = fields
        self.filters = filters
        self.limit = limit
        self.schema = schema
        useStatistics = config.filterPushdown
        batchSchema = Schema(fields.map { source.schema.fields[$0] })
        scanFilter = config.filterPushdown ? ParquetScanFilter(filters: filters, output: schema) : nil

        // The files to read, and what finding them cost.
        var found: [(path: String, size: Int, values: [ScalarValue])] = []
        if let file = source.file {
            found = [(source.path, file.file.size, [])]
            metrics.filesTotal.store(1, ordering: .relaxed)
        } else if let dataset = source.dataset {
            let listing = try dataset.listFiles(pruning: config.partitionPruning ? filters : [])
            found = listing.files.map { ($0.path, $0.size, $0.partitionValues) }
            metrics.directoriesListed.store(listing.directoriesListed, ordering: .relaxed)
            metrics.filesTotal.store(listing.filesFound, ordering: .relaxed)
        }

        // Units with their sizes: row groups of files opened now, or whole files.
        var units: [(unit: ScanUnit, bytes: Int)] = []
        var files: [ScanFile] = []
        if found.count <= Self.footersAtPlanning {
            var scanned = 0
            var total = 0
            var filesScanned = 0
            for (index, entry) in found.enumerated() {
                let reader = try source.file ?? ParquetTableSource.open(entry.path)
                let projection = try FileProjection(reader: reader, table: source, fields: fields, partitionValues: entry.values)
                files.append(ScanFile(path: entry.path, size: entry.size, partitionValues: entry.values, reader: reader, projection: projection))
                let groups = Self.rowGroups(of: reader, filters: useStatistics ? filters : [])
                total += reader.rowGroupCount
                scanned += groups.count
                if !groups.isEmpty { filesScanned += 1 }
                for group in groups {
                    units.append((ScanUnit(file: index, rowGroups: [group]),
                                  max(1, Self.compressedBytes(reader, rowGroup: group, fields: projection.fileFields))))
                }
            }
            plannedRowGroups = (scanned, total)
            metrics.rowGroupsTotal.store(total, ordering: .relaxed)
            metrics.rowGroupsPruned.store(total - scanned, ordering: .relaxed)
            metrics.filesScanned.store(filesScanned, ordering: .relaxed)
        } else {
            for (index, entry) in found.enumerated() {
                files.append(ScanFile(path: entry.path, size: entry.size, partitionValues: entry.values, reader: nil, projection: nil))
                units.append((ScanUnit(file: index, rowGroups: nil), max(1, entry.size)))
            }
            plannedRowGroups = nil
        }
        self.files = files

        // Enough partitions to keep every worker busy to the end, but not tiny ones: a stage ends
        // with its last task, and the other workers wait for it, up to a whole task. With 16
        // tasks per worker rather than 4, the skewed join's 4M-row scan (31 row groups) runs 31
        // tasks of one row group instead of 10 of three, and the query is 7% faster.
        let totalBytes = units.reduce(0) { $0 + $1.bytes }
        let target = min(config.maxPartitionBytes, max(1 << 20, totalBytes / (config.threads * 16)))
        units = Self.splittingLargeRowGroups(units, files: files, target: target, threads: config.threads)
        var partitions: [[ScanUnit]] = []
        var current: [ScanUnit] = []
        var bytes = 0
        for (unit, size) in units {
            if !current.isEmpty && bytes + size > target {
                partitions.append(current)
                current = []
                bytes = 0
            }
            current.append(unit)
            bytes += size
        }
        if !current.isEmpty { partitions.append(current) }
        self.partitions = partitions.isEmpty ? [[]] : partitions
    }

    /// The units with each row group of more than twice `target` bytes cut into up to `threads`
    /// row ranges of whole batches, read by as many tasks: a table written in few row groups of
    /// unequal size (TPC-H customer: 131,072 rows and 18,928) would otherwise keep one worker on
    /// the large one while the others wait. Each range's task decompresses the whole column
    /// chunks, but decodes its own rows only.
    static func splittingLargeRowGroups(_ units: [(unit: ScanUnit, bytes: Int)], files: [ScanFile], target: Int,
                                        threads: Int) -> [(unit: ScanUnit, bytes: Int)] {
        units.flatMap { unit, bytes -> [(unit: ScanUnit, bytes: Int)] in
            guard threads > 1, bytes > 2 * target, let groups = unit.rowGroups, groups.count == 1,
                  let reader = files[unit.file].reader else { return [(unit, bytes)] }
            let rows = Int(reader.metadata.rowGroups[groups[0]].numRows)
            let batchRows = reader.options.batchSize
            let batches = (rows + batchRows - 1) / batchRows
            let pieces = min(bytes / target, batches, threads)
            guard pieces > 1 else { return [(unit, bytes)] }
            return (0..<pieces).map { piece in
                let start = batches * piece / pieces * batchRows
                let end = min(rows, batches * (piece + 1) / pieces * batchRows)
                return (ScanUnit(file: unit.file, rowGroups: groups, rows: start..<end), bytes / pieces)
            }
        }
    }

    /// The row groups of a file that the filters' statistics do not rule out.
    static func rowGroups(of reader: ParquetFileReader, filters: [Expr]) -> [Int] {
        guard !filters.isEmpty else { return Array(0..<reader.rowGroupCount) }
        let pruner = StatisticsPruner(reader: reader)
        return (0..<reader.rowGroupCount).filter { pruner.mayMatch(rowGroup: $0, conjuncts: filters) }
    }

    /// Compressed bytes of the given fields' column chunks in a row group: what reading it costs.
    static func compressedBytes(_ reader: ParquetFileReader, rowGroup: Int, fields: [Int]) -> Int {
        let columns = reader.metadata.rowGroups[rowGroup].columns
        return fields.reduce(0) { total, field in
            total + reader.schema.leafIndices(ofField: field).reduce(0) { sum, leaf in
                sum + Int(columns[leaf].metaData?.totalCompressedSize ?? 0)
            }
        }
    }

    public var name: String { "ParquetScanExec" }
    public var detail: String {
        var text = "\(source.path) [\(schema.columns.map(\.name).joined(separator: ", "))]"
        if !filters.isEmpty { text += " PushedFilters: [\(filters.map(\.description).joined(separator: ", "))]" }
        if source.dataset != nil {
            text += " Files: \(files.count) in \(metrics.listedDirectories) directories listed"
        }
        if let plannedRowGroups { text += " RowGroups: \(plannedRowGroups.scanned) of \(plannedRowGroups.total)" }
        if let filter = dynamicFilter.withLock({ $0 }) { text += " DynamicPruning: \(filter.column) IN (\(filter.values.count) values)" }
        if let filter = joinKeyFilter.withLock({ $0 }) { text += " RuntimeFilter: [\(filter.names.joined(separator: ", "))] IN join keys" }
        if let limit { text += " Limit: \(limit)" }
        return text
    }
    public var children: [any ExecutionPlan] { [] }
    public var partitionCount: Int { partitions.count }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        guard let filter = dynamicFilter.withLock({ $0 }) else {
            return ScanStream(scan: self, units: partitions[partition][...], context: context)
        }
        let units = partitions[partition].filter { filter.allows(files[$0.file].partitionValues) }
        return ScanStream(scan: self, units: units[...], context: context)
    }

    /// Drops the rows whose keys `filter` rules out, in every task that starts after this.
    func applyJoinKeyFilter(_ filter: JoinKeyScanFilter) {
        joinKeyFilter.withLock { $0 = filter }
    }

    /// Skips the files whose partition values `filter` rules out, in every task that starts
    /// after this; the metrics stop counting them as scanned.
    func applyDynamicFilter(_ filter: DynamicPartitionFilter) {
        dynamicFilter.withLock { $0 = filter }
        // Files opened at planning were counted as scanned with their row groups then.
        var plannedGroups = [Int](repeating: 0, count: files.count)
        for unit in partitions.joined() { plannedGroups[unit.file] += unit.rowGroups?.count ?? 0 }
        var pruned = 0
        for (index, file) in files.enumerated() where !filter.allows(file.partitionValues) {
            pruned += 1
            let groups = plannedGroups[index]
            if groups > 0 {
                metrics.filesScanned.add(-1, ordering: .relaxed)
                metrics.rowGroupsPruned.add(groups, ordering: .relaxed)
            }
        }
        metrics.filesPrunedDynamically.store(pruned, ordering: .relaxed)
    }

    /// Reads one partition's units one row group at a time, so metrics count what was really read.
    final class ScanStream: BatchStream {
        let scan: ParquetScanExec
        var units: ArraySlice<ScanUnit>
        let context: TaskContext
        /// The file being read, its projection and the row groups left.
        var file: ScanFile?
        var reader: ParquetFileReader?
        var projection: FileProjection?
        var rowGroups: ArraySlice<Int> = []
        /// The rows of the current unit's row group to read (nil: all).
        var rowRange: Range<Int>?
        var batches: BatchReader?
        /// A broadcast join's keys, while they keep rows out (see `dropsJoinFilterIfUseless`).
        var joinKeys: JoinKeyScanFilter?
        /// The output columns the scan filter and the join keys read, ascending.
        var selectionColumns: [Int] = []
        /// Rows the join keys saw and kept.
        var joinKeyRows = (seen: 0, kept: 0)
        /// For the current file, when the scan filters it: the positions among the file's fields
        /// of `selectionColumns`, and of the other fields.
        var filterFields: (filter: [Int], others: [Int])?
        var constants: [Int: Column] = [:]
        var rowsLeftInGroup = 0
        var produced = 0

        init(scan: ParquetScanExec, units: ArraySlice<ScanUnit>, context: TaskContext) {
            self.scan = scan
            self.units = units
            self.context = context
            joinKeys = scan.joinKeyFilter.withLock { $0 }
            selectionColumns = Self.selectionColumns(scan.scanFilter, joinKeys)
        }

        static func selectionColumns(_ filter: ParquetScanFilter?, _ joinKeys: JoinKeyScanFilter?) -> [Int] {
            Set((filter?.columns ?? []) + (joinKeys?.columns ?? [])).sorted()
        }

        func next() throws -> RecordBatch? {
            try context.checkCancelled()
            if let limit = scan.limit, produced >= limit { return nil }
            while true {
                if let projection, projection.fileFields.isEmpty, rowsLeftInGroup > 0 {
                    // No file column needed (count(*), partition columns only): the footer's row counts.
                    let rows = min(rowsLeftInGroup, 65_536)
                    rowsLeftInGroup -= rows
                    return emit(try projection.assemble([], rows: rows, schema: scan.batchSchema, constants: &constants))
                }
                dropsJoinFilterIfUseless()
                if let batches, let projection, let filterFields {
                    if let batch = try readFiltered(batches, projection: projection, fields: filterFields) { return emit(batch) }
                } else if let batches, let projection, let batch = try read(batches) {
                    if projection.isPlain { return emit(batch) }
                    return emit(try projection.assemble(batch.columns, rows: batch.rowCount, schema: scan.batchSchema, constants: &constants))
                }
                batches = nil
                if let group = rowGroups.popFirst() {
                    try start(rowGroup: group)
                    continue
                }
                guard let unit = units.popFirst() else { return nil }
                try open(unit)
            }
        }

        /// Makes `unit`'s file current; a file without a planned footer is opened and pruned here.
        func open(_ unit: ScanUnit) throws {
            let file = scan.files[unit.file]
            if self.file !== file {
                constants = [:]
                self.file = file
            }
            rowRange = unit.rows
            if let groups = unit.rowGroups, let reader = file.reader {
                self.reader = reader
                projection = file.projection
                filterFields = projection.flatMap(filterFields(of:))
                rowGroups = groups[...]
                return
            }
            let reader = try ParquetTableSource.open(file.path)
            let projection = try FileProjection(reader: reader, table: scan.source, fields: scan.fields, partitionValues: file.partitionValues)
            let groups = ParquetScanExec.rowGroups(of: reader, filters: scan.useStatistics ? scan.filters : [])
            scan.metrics.rowGroupsTotal.add(reader.rowGroupCount, ordering: .relaxed)
            scan.metrics.rowGroupsPruned.add(reader.rowGroupCount - groups.count, ordering: .relaxed)
            if !groups.isEmpty { scan.metrics.filesScanned.add(1, ordering: .relaxed) }
            self.reader = reader
            self.projection = projection
            filterFields = filterFields(of: projection)
            rowGroups = groups[...]
        }

        /// Where `selectionColumns` are among a file's fields; nil when the file does not supply
        /// them all (a column missing from it, a partition column) or nothing selects rows.
        func filterFields(of projection: FileProjection) -> (filter: [Int], others: [Int])? {
            guard !selectionColumns.isEmpty else { return nil }
            var positions: [Int] = []
            for column in selectionColumns {
                guard case .field(let position) = projection.sources[column] else { return nil }
                positions.append(position)
            }
            let others = projection.fileFields.indices.filter { !positions.contains($0) }
            return others.isEmpty ? nil : (positions, others)
        }

        /// The next batch of the current row group with the scan filter and the join keys
        /// applied: their columns are decoded, then the others for the rows that pass only.
        /// Batches where no row passes are passed over; nil at the end of the row group.
        func readFiltered(_ batches: BatchReader, projection: FileProjection,
                          fields: (filter: [Int], others: [Int])) throws -> RecordBatch? {
            do {
                while let rows = try batches.advance() {
                    let values = try fields.filter.map { try batches.column($0) }
                    let selection = try select(values, rows: rows)
                    if selection.setCount == 0 { continue }
                    var columns = [Column?](repeating: nil, count: projection.fileFields.count)
                    if selection.setCount == rows {
                        for (position, column) in zip(fields.filter, values) { columns[position] = column }
                        for position in fields.others { columns[position] = try batches.column(position) }
                    } else {
                        let schema = Schema(selectionColumns.map { scan.batchSchema.fields[$0] })
                        let kept = BatchFilter.select(RecordBatch(schema: schema, columns: values, rowCount: rows),
                                                      mask: selection.mask, setCount: selection.setCount)
                        for (position, column) in zip(fields.filter, kept.columns) { columns[position] = column }
                        for position in fields.others { columns[position] = try batches.column(position, selection: selection) }
                    }
                    return try projection.assemble(columns.map { $0! }, rows: selection.setCount, schema: scan.batchSchema,
                                                   constants: &constants)
                }
                return nil
            } catch let error as ParquetError {
                throw ExecutionError.input(path: reader?.path ?? scan.source.path, detail: "\(error)")
            }
        }

        /// The rows of a batch that pass the scan filter and the join keys; `values` are the
        /// batch's `selectionColumns`.
        func select(_ values: [Column], rows: Int) throws -> RowSelection {
            func of(_ columns: [Int]) -> [Column] { columns.map { values[selectionColumns.firstIndex(of: $0)!] } }
            let pushed = try scan.scanFilter.map { try $0.selection(of($0.columns), rows: rows) }
            guard let joinKeys else { return pushed! }
            let keys = try joinKeys.selection(of(joinKeys.columns), rows: rows)
            joinKeyRows.seen += rows
            joinKeyRows.kept += keys.setCount
            guard let pushed else { return keys }
            let mask = BitWords.and(pushed.mask, keys.mask, count: rows)!
            return RowSelection(mask: mask, count: rows, setCount: BitWords.popCount(mask, count: rows))
        }

        /// Stops filtering by the join keys once they have kept nine rows in ten of the first
        /// 64Ki: then they only cost the key columns' hashing before the join does it again.
        func dropsJoinFilterIfUseless() {
            guard joinKeys != nil, joinKeyRows.seen >= 65_536, joinKeyRows.kept * 10 >= joinKeyRows.seen * 9 else { return }
            joinKeys = nil
            selectionColumns = Self.selectionColumns(scan.scanFilter, nil)
            filterFields = projection.flatMap(filterFields(of:))
        }

        func start(rowGroup group: Int) throws {
            guard let reader, let projection else { return }
            // A split row group counts once, with its first range.
            let counts = (rowRange?.lowerBound ?? 0) == 0
            if counts { scan.metrics.rowGroupsScanned.add(1, ordering: .relaxed) }
            if projection.fileFields.isEmpty {
                rowsLeftInGroup = rowRange?.count ?? Int(reader.metadata.rowGroups[group].numRows)
                return
            }
            if counts {
                scan.metrics.bytesRead.add(ParquetScanExec.compressedBytes(reader, rowGroup: group, fields: projection.fileFields),
                                           ordering: .relaxed)
            }
            do {
                batches = try reader.batches(fields: projection.fileFields, rowGroups: [group], rows: rowRange)
            } catch {
                throw ExecutionError.input(path: reader.path, detail: "\(error)")
            }
        }

        func read(_ batches: BatchReader) throws -> RecordBatch? {
            do {
                return try batches.next()
            } catch {
                throw ExecutionError.input(path: reader?.path ?? scan.source.path, detail: "\(error)")
            }
        }

        func emit(_ batch: RecordBatch) -> RecordBatch {
            var batch = batch
            if let limit = scan.limit, produced + batch.rowCount > limit { batch = batch.slice(0..<(limit - produced)) }
            produced += batch.rowCount
            scan.metrics.add(rows: batch.rowCount)
            return batch
        }
    }
}
