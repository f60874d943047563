#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The visible entries of one directory, read with `readdir(3)` and sorted by name.
///
/// Hidden and metadata entries are left out as Spark leaves them out: names starting with `_`
/// (`_SUCCESS`, `_common_metadata`, `_temporary`) or `.` (staging directories, `.crc` checksums of
/// Hadoop's local file system), and `.crc` files. A `k=v` directory name may start with `_` only
/// when it holds an `=` (`_year=2024` is a partition; Spark keeps those too).
struct DirectoryEntries {
    struct Entry {
        let name: String
        let isDirectory: Bool
    }

    var directories: [Entry] = []
    var files: [Entry] = []

    init(path: String) throws {
        guard let handle = opendir(path) else {
            throw ExecutionError.input(path: path, detail: "cannot list the directory: \(DatasetFileSystem.reason)")
        }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            guard Self.isVisible(name) else { continue }
            var isDirectory: Bool
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): isDirectory = true
            case Int32(DT_REG): isDirectory = false
            default:
                // Symbolic links (a broken one is skipped) and file systems that do not fill in d_type.
                var info = stat()
                guard stat(path + "/" + name, &info) == 0 else { continue }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isDirectory { directories.append(Entry(name: name, isDirectory: true)) } else { files.append(Entry(name: name, isDirectory: false)) }
        }
        directories.sort { $0.name < $1.name }
        files.sort { $0.name < $1.name }
    }

    static func isVisible(_ name: String) -> Bool {
        if name.hasPrefix(".") { return false }
        if name.hasPrefix("_") && !name.contains("=") { return false }
        return !name.hasSuffix(".crc")
    }
}
