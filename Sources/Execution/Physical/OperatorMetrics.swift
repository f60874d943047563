import Synchronization

/// Counters one operator accumulates over all its tasks (shown by `--analyze`).
public final class OperatorMetrics: Sendable {
    let rows = Atomic<Int>(0)
    let batches = Atomic<Int>(0)
    /// Scans: compressed bytes of the column chunks read.
    let bytesRead = Atomic<Int>(0)
    /// Scans: row groups read and skipped by statistics.
    let rowGroupsScanned = Atomic<Int>(0)
    let rowGroupsPruned = Atomic<Int>(0)
    let rowGroupsTotal = Atomic<Int>(0)
    /// Dataset scans: directories listed (pruned ones are never listed), Parquet files found in
    /// them, and files read after partition pruning.
    let directoriesListed = Atomic<Int>(0)
    let filesTotal = Atomic<Int>(0)
    let filesScanned = Atomic<Int>(0)
    /// Dataset scans: files skipped at run time by a join's dynamic partition pruning.
    let filesPrunedDynamically = Atomic<Int>(0)
    /// Exchanges: bytes the map tasks wrote (in-memory size); operators that spill: bytes of
    /// spill files written and their number.
    let shuffleBytesWritten = Atomic<Int>(0)
    let spillBytesWritten = Atomic<Int>(0)
    let spillFilesWritten = Atomic<Int>(0)

    public init() {}

    func add(rows count: Int) {
        rows.add(count, ordering: .relaxed)
        batches.add(1, ordering: .relaxed)
    }

    func addShuffleWrite(bytes: Int) { shuffleBytesWritten.add(bytes, ordering: .relaxed) }

    func addSpill(bytes: Int, files: Int) {
        spillBytesWritten.add(bytes, ordering: .relaxed)
        spillFilesWritten.add(files, ordering: .relaxed)
    }

    public var outputRows: Int { rows.load(ordering: .relaxed) }
    public var shuffleWriteBytes: Int { shuffleBytesWritten.load(ordering: .relaxed) }
    public var spillBytes: Int { spillBytesWritten.load(ordering: .relaxed) }
    public var spillFiles: Int { spillFilesWritten.load(ordering: .relaxed) }
    public var readBytes: Int { bytesRead.load(ordering: .relaxed) }
    public var scannedRowGroups: Int { rowGroupsScanned.load(ordering: .relaxed) }
    public var prunedRowGroups: Int { rowGroupsPruned.load(ordering: .relaxed) }
    public var totalRowGroups: Int { rowGroupsTotal.load(ordering: .relaxed) }
    public var listedDirectories: Int { directoriesListed.load(ordering: .relaxed) }
    public var totalFiles: Int { filesTotal.load(ordering: .relaxed) }
    public var scannedFiles: Int { filesScanned.load(ordering: .relaxed) }
    public var dynamicallyPrunedFiles: Int { filesPrunedDynamically.load(ordering: .relaxed) }

    /// `rows=…` and, for scans, bytes and row groups; for exchanges and spilling operators, what
    /// they wrote.
    public var summary: String {
        var parts = ["rows=\(outputRows)"]
        if listedDirectories > 0 { parts.append("directories_listed=\(listedDirectories)") }
        if totalFiles > 0 { parts.append("files=\(scannedFiles)/\(totalFiles) listed") }
        if dynamicallyPrunedFiles > 0 { parts.append("files_pruned_at_run_time=\(dynamicallyPrunedFiles)") }
        if totalRowGroups > 0 {
            parts.append("row_groups=\(scannedRowGroups)/\(totalRowGroups) (pruned \(prunedRowGroups))")
        }
        if readBytes > 0 { parts.append("bytes_read=\(ByteCountText.text(readBytes))") }
        if shuffleWriteBytes > 0 { parts.append("shuffle_write=\(ByteCountText.text(shuffleWriteBytes))") }
        if spillFiles > 0 { parts.append("spill=\(ByteCountText.text(spillBytes)) (\(spillFiles) file\(spillFiles == 1 ? "" : "s"))") }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}

/// Human byte counts for plans and reports: `1.5 MiB`.
public enum ByteCountText {
    public static func text(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        return "\(rounded) \(units[unit])"
    }
}
