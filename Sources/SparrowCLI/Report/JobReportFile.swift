#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Sparrow

/// The file of `--report FILE.html`: the report grows by one query at a time and is rewritten
/// after each, so a script that fails midway still leaves the page of what ran (the failed query
/// included). Every write goes to a temporary file beside the target and is renamed over it, so
/// the file is never seen half-written.
final class JobReportFile {
    let path: String
    private(set) var report: JobReport
    private var written = false

    /// Fails now, before any query runs, when the file cannot be created where asked.
    init(path: String, command: String) throws {
        guard !path.isEmpty else { throw SessionError.invalidArgument("--report needs a file name") }
        self.path = path
        report = JobReport(command: command)
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw SessionError.invalidArgument("\(path): cannot write the report: it is a directory")
        }
        let directory = Self.directory(of: path)
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SessionError.invalidArgument("\(path): cannot write the report: no directory \(directory)")
        }
        guard access(directory, W_OK) == 0 else {
            throw SessionError.invalidArgument("\(path): cannot write the report: directory \(directory) is not writable")
        }
    }

    func add(_ query: QueryReport) throws {
        report.queries.append(query)
        try write()
    }

    /// Writes the page if no query has (a script of SET statements still gets one).
    func finish() throws {
        if !written { try write() }
    }

    func write() throws {
        let html = Array(report.html().utf8)
        let temporary = Self.directory(of: path) + "/." + Self.fileName(of: path) + ".tmp-\(getpid())"
        func failure(_ action: String) -> SessionError {
            SessionError.invalidArgument("\(path): cannot write the report (\(action): \(String(cString: strerror(errno))))")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("create \(temporary)") }
        var done = 0
        let wrote = html.withUnsafeBytes { bytes -> Bool in
            while done < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        guard wrote, fsync(descriptor) == 0 else {
            let error = failure("write")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = failure("rename")
            unlink(temporary)
            throw error
        }
        written = true
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func fileName(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// This process's command line as a shell would take it back (`sparrow sql -f 'my q.sql'`).
    static var commandLine: String {
        let arguments = ["sparrow"] + CommandLine.arguments.dropFirst()
        return arguments.map { argument in
            let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./=:,+@%".unicodeScalars.contains($0)
            }
            return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
