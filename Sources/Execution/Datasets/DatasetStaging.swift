#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hidden directory a dataset write puts its files in until they are all complete, and the
/// moves that put them into the target; a failed write leaves the target as it was.
///
/// Replacing the whole target (a new target, `overwrite`) stages in a hidden sibling,
/// `<parent>/.<name>.sparrow-staging-<job>`, which is renamed to the target at the end (an
/// existing target is first renamed aside, and back if the second rename fails). Adding files
/// (`append`) or replacing partitions stages inside the target, `<target>/.sparrow-staging-<job>`,
/// so that every move is a rename within one file system; the moves are undone in reverse order
/// when one fails. Names that start with `.` are skipped by Spark, pyarrow and DuckDB, so a
/// staging directory left by a killed process is never read as data. `_SUCCESS` (empty, as
/// Hadoop's committer writes it) appears last.
final class DatasetStaging {
    enum Commit {
        /// Rename the staging directory to the target (replacing it when `replace`).
        case wholeTarget(replace: Bool)
        /// Move each file into the target's directories.
        case addFiles
        /// Move each partition directory into the target, replacing the one there.
        case replacePartitions
    }

    let target: String
    let directory: String
    let commit: Commit
    private let jobID: String
    private var madeDirectories: Set<String> = [""]
    /// Missing parents of the target that were created (as Hadoop's `mkdirs` does), removed again
    /// when the write fails.
    private var createdParents: [String] = []
    private var committed = false
    private var finished = false

    init(target: String, mode: DatasetWriteMode, partitioned: Bool, jobID: String) throws {
        self.target = target
        self.jobID = jobID
        let (parent, name) = DatasetFileSystem.split(target)
        let existing = DatasetFileSystem.kind(target)
        switch (existing, mode) {
        case (.missing, _):
            commit = .wholeTarget(replace: mode == .overwrite)
        case (_, .errorIfExists):
            throw ExecutionError.output(path: target, detail: "already exists; choose mode overwrite, append or overwrite-partitions, or another path")
        case (_, .overwrite):
            commit = .wholeTarget(replace: true)
        case (_, .overwritePartitions) where !partitioned:
            commit = .wholeTarget(replace: true)
        case (.other, _):
            throw ExecutionError.output(path: target, detail: "exists and is not a directory; only mode overwrite can replace it")
        case (.directory, .append):
            commit = .addFiles
        case (.directory, _):
            commit = .replacePartitions
        }
        if case .wholeTarget = commit {
            guard !["", ".", ".."].contains(name) else {
                throw ExecutionError.output(path: target, detail: "name the output directory by its path, not as '\(name.isEmpty ? "/" : name)'")
            }
            directory = parent + "/." + name + ".sparrow-staging-" + jobID
            if DatasetFileSystem.kind(parent) == .missing { try makeParents(parent) }
        } else {
            directory = target + "/.sparrow-staging-" + jobID
        }
        do {
            guard try DatasetFileSystem.makeDirectory(directory, concerning: target) else {
                throw ExecutionError.output(path: target, detail: "the staging directory \(directory) already exists")
            }
        } catch {
            removeCreatedParents()
            throw error
        }
    }

    /// `mkdir -p parent`, remembering what it created.
    private func makeParents(_ parent: String) throws {
        var known: Set<String> = [""]
        let relative = parent.split(separator: "/").joined(separator: "/")
        do {
            try Self.makeDirectories(relative, under: parent.hasPrefix("/") ? "" : ".", known: &known, target: target,
                                     created: &createdParents)
        } catch {
            removeCreatedParents()
            throw error
        }
    }

    private func removeCreatedParents() {
        for path in createdParents.reversed() { _ = rmdir(path) }
        createdParents = []
    }

    deinit {
        if !finished { discard() }
    }

    /// Creates `relative` (`a=1/b=2`) and its parents inside the staging directory.
    func makeDirectory(_ relative: String) throws {
        var created: [String] = []
        try Self.makeDirectories(relative, under: directory, known: &madeDirectories, target: target, created: &created)
    }

    /// Moves the staged `files` (paths relative to the staging directory) into the target; for
    /// `replacePartitions`, the staged `partitionDirectories` replace the target's.
    func commit(files: [String], partitionDirectories: [String]) throws {
        precondition(!finished, "staging committed or discarded twice")
        defer { discard() }
        switch commit {
        case .wholeTarget(let replace):
            try DatasetFileSystem.writeEmptyFile(directory + "/_SUCCESS", concerning: target)
            try moveWhole(replace: replace)
        case .addFiles:
            try moveIntoTarget(files)
        case .replacePartitions:
            try moveIntoTarget(partitionDirectories, replacing: true)
        }
        committed = true
    }

    /// Removes the staging directory and everything in it (and, unless committed, the target's
    /// parents it created).
    func discard() {
        finished = true
        DatasetFileSystem.removeTree(directory)
        if !committed { removeCreatedParents() }
    }

    private func moveWhole(replace: Bool) throws {
        let (parent, name) = DatasetFileSystem.split(target)
        if replace, DatasetFileSystem.kind(target) != .missing {
            let aside = parent + "/." + name + ".sparrow-replaced-" + jobID
            try DatasetFileSystem.rename(target, aside, concerning: target)
            do {
                try DatasetFileSystem.rename(directory, target, concerning: target)
            } catch {
                try? DatasetFileSystem.rename(aside, target, concerning: target)
                throw error
            }
            DatasetFileSystem.removeTree(aside)
            return
        }
        // An empty directory of our own makes rename fail rather than replace a target that
        // appeared while the files were written (rename replaces an empty directory silently).
        guard try DatasetFileSystem.makeDirectory(target, concerning: target) else {
            throw ExecutionError.output(path: target, detail: "appeared while the files were being written; nothing was changed")
        }
        do {
            try DatasetFileSystem.rename(directory, target, concerning: target)
        } catch {
            _ = rmdir(target)
            throw error
        }
    }

    /// Renames each of `paths` (relative, under the staging directory) to the same path under
    /// the target, creating directories as needed. With `replacing`, what is at a destination is
    /// first moved into the staging directory (and back if a later step fails).
    private func moveIntoTarget(_ paths: [String], replacing: Bool = false) throws {
        var known: Set<String> = [""]
        var created: [String] = []
        var moved: [(from: String, to: String)] = []
        var replaced: [(original: String, aside: String)] = []
        let trash = directory + "/.replaced"
        do {
            if replacing { try DatasetFileSystem.makeDirectory(trash, concerning: target) }
            for (index, path) in paths.enumerated() {
                let destination = target + "/" + path
                if replacing, DatasetFileSystem.kind(destination) != .missing {
                    let aside = trash + "/\(index)"
                    try DatasetFileSystem.rename(destination, aside, concerning: target)
                    replaced.append((destination, aside))
                }
                let parent = DatasetFileSystem.split(path)
                if parent.parent != "." {
                    try Self.makeDirectories(parent.parent, under: target, known: &known, target: target, created: &created)
                }
                try DatasetFileSystem.rename(directory + "/" + path, destination, concerning: target)
                moved.append((directory + "/" + path, destination))
            }
            try DatasetFileSystem.writeEmptyFile(target + "/_SUCCESS", concerning: target)
        } catch {
            for move in moved.reversed() { _ = rename(move.to, move.from) }
            for entry in replaced.reversed() { _ = rename(entry.aside, entry.original) }
            for path in created.reversed() { _ = rmdir(path) }
            throw error
        }
    }

    /// `mkdir -p root/relative`, remembering the relative paths known to exist; directories it
    /// created are appended to `created`.
    private static func makeDirectories(_ relative: String, under root: String, known: inout Set<String>,
                                        target: String, created: inout [String]) throws {
        guard !known.contains(relative) else { return }
        let parent = DatasetFileSystem.split(relative)
        if parent.parent != "." {
            try makeDirectories(parent.parent, under: root, known: &known, target: target, created: &created)
        }
        let path = root + "/" + relative
        if try DatasetFileSystem.makeDirectory(path, concerning: target) {
            created.append(path)
        } else if DatasetFileSystem.kind(path) != .directory {
            throw ExecutionError.output(path: target, detail: "\(path) exists and is not a directory")
        }
        known.insert(relative)
    }
}
