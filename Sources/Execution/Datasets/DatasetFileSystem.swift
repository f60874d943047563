#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The few file system operations dataset reads and writes need, as thin throwing wrappers over
/// POSIX calls; errors name the path and the system's reason.
enum DatasetFileSystem {
    enum Kind {
        case missing, directory, other
    }

    /// What is at `path`, not following a final symbolic link.
    static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .directory }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            // A link to a directory counts as the directory (a target given through a link).
            var target = stat()
            if stat(path, &target) == 0, (target.st_mode & S_IFMT) == S_IFDIR { return .directory }
        }
        return .other
    }

    /// The size of a file in bytes; nil when it cannot be read (`reason` says why).
    static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static var reason: String { String(cString: strerror(errno)) }

    /// Creates one directory; false when something already exists there.
    @discardableResult
    static func makeDirectory(_ path: String, concerning target: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        if errno == EEXIST { return false }
        throw ExecutionError.output(path: target, detail: "cannot create the directory \(path): \(reason)")
    }

    static func rename(_ from: String, _ to: String, concerning target: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw ExecutionError.output(path: target, detail: "cannot move \(from) to \(to): \(reason)")
        }
    }

    /// Writes an empty file, replacing one that is there.
    static func writeEmptyFile(_ path: String, concerning target: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ExecutionError.output(path: target, detail: "cannot create \(path): \(reason)") }
        close(descriptor)
    }

    /// Removes a file or a directory tree; errors are ignored (it is cleanup of hidden paths).
    static func removeTree(_ path: String) {
        guard kind(path) != .missing else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The last path component and the directory holding it (`.` for a bare name).
    static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let parent = slash == path.startIndex ? "/" : String(path[..<slash])
        return (parent, String(path[path.index(after: slash)...]))
    }
}
