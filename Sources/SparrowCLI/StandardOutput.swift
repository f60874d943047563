#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Buffered writes to standard output, flushed in large chunks.
///
/// A closed pipe (`sparrow scan … | head`) ends the program quietly with status 0, as Unix tools do.
struct StandardOutput {
    /// Bytes gathered before a write(2).
    static let flushThreshold = 1 << 16

    static func write(_ buffer: inout BufferBuilder, force: Bool = false) {
        guard force || buffer.count >= flushThreshold else { return }
        buffer.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(1, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { exit(0) }
                    StandardError.write("sparrow: error: cannot write to standard output: \(String(cString: strerror(errno)))\n")
                    exit(1)
                }
                done += n
            }
        }
        buffer.removeAll()
    }

    static func write(_ text: String) {
        var buffer = BufferBuilder(capacity: text.utf8.count + 1)
        buffer.append(contentsOf: Array(text.utf8))
        write(&buffer, force: true)
    }

    /// Makes writes to a closed pipe fail with EPIPE instead of killing the process.
    static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }
}

/// Reports a user-facing error on standard error and exits with status 1.
func fail(_ message: String) -> Never {
    StandardError.write("sparrow: error: \(message)\n")
    exit(1)
}

/// Runs `body`, turning any error into a one-line message and exit status 1.
func runReportingErrors(_ body: () throws -> Void) {
    do {
        try body()
    } catch {
        fail(String(describing: error))
    }
}

/// Unbuffered writes to standard error (messages, progress).
enum StandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(2, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                done += n
            }
        }
    }
}
