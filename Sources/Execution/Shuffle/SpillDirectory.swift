import Foundation
import Synchronization

/// One query's directory of spill files, `<parent>/sparrow-spill-<host>-<pid>-<uuid>`: created
/// when the first file is asked for, removed with everything in it when the query ends (the
/// scheduler calls `remove()` after success, failure, cancellation or an early stop; `deinit` is
/// the last resort).
///
/// A process killed outright (SIGKILL, a crash, the machine's OOM killer) cannot clean up, so the
/// first spill of a process into a parent directory removes the directories there that a process
/// of this machine's boot and PID namespace (`<host>`) left and that no longer runs (`<pid>`), as
/// DuckDB clears its temporary directory when it starts. Directories of other hosts or containers
/// sharing the parent, and of processes still running, are left alone.
///
/// File names are unique within the directory (`<prefix>-<n>.<ext>`, `n` counting up), so tasks
/// never need to coordinate; the files themselves are created by their writers.
public final class SpillDirectory: Sendable {
    /// Where the directory is made (`spark.local.dir`).
    public let parent: String
    /// Whether spill files are LZ4-compressed (`spark.shuffle.spill.compress`).
    public let compress: Bool
    private let state = Mutex<State>(State())

    private struct State {
        var path: String?
        var nextFile = 0
        var filesCreated = 0
    }

    public init(parent: String, compress: Bool = true) {
        self.parent = parent
        self.compress = compress
    }

    deinit { remove() }

    /// The directory while it exists (nil before the first spill and after `remove()`).
    public var path: String? { state.withLock { $0.path } }

    /// Spill file names handed out since the query began.
    public var filesCreated: Int { state.withLock { $0.filesCreated } }

    /// A path for a new file in the directory, which is created if needed; throws when the parent
    /// cannot hold it (missing, not writable), naming the parent and `spark.local.dir`.
    public func newFilePath(prefix: String, extension ext: String) throws -> String {
        Self.waitIfTerminating()
        return try state.withLock { state in
            if state.path == nil {
                let directory = parent.hasSuffix("/") && parent.count > 1 ? String(parent.dropLast()) : parent
                Self.removeAbandonedOnce(in: directory)
                let candidate = directory + "/" + Self.namePrefix + Self.processTag + "-" + UUID().uuidString.lowercased()
                // Made and registered under the lock the termination handler lists the directories
                // with, after it set `terminating`: a directory made after that listing would stay.
                let made = Self.live.withLock { live -> Int32? in
                    guard !Self.terminating.load(ordering: .sequentiallyConsistent) else { return nil }
                    guard mkdir(candidate, 0o700) == 0 else { return errno }
                    live.insert(candidate)
                    return 0
                }
                guard let made else {
                    Self.waitIfTerminating()
                    preconditionFailure("unreachable: waitIfTerminating returns only while not terminating")
                }
                guard made == 0 else {
                    Self.waitIfTerminating()
                    let reason = String(cString: strerror(made))
                    throw ExecutionError.output(path: parent, detail: "cannot create a spill directory here (\(reason)); set spark.local.dir to a writable directory")
                }
                state.path = candidate
            }
            let number = state.nextFile
            state.nextFile += 1
            state.filesCreated += 1
            return "\(state.path!)/\(prefix)-\(number).\(ext)"
        }
    }

    /// Deletes the directory and its files. A later spill makes a new directory.
    public func remove() {
        let path = state.withLock { state -> String? in
            defer { state.path = nil }
            return state.path
        }
        guard let path else { return }
        try? FileManager.default.removeItem(atPath: path)
        _ = Self.live.withLock { $0.remove(path) }
    }

    static let namePrefix = "sparrow-spill-"

    /// `<host>-<pid>`: this process among those that may share a parent directory.
    static let processTag = "\(hostKey)-\(getpid())"

    /// Eight hex digits that stand for this boot of this machine and this PID namespace (a hash of
    /// the kernel's boot id and the namespace's inode): process ids mean something only within it.
    static let hostKey: String = {
        let bootID = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
        var namespace = stat()
        let namespaceID = stat("/proc/self/ns/pid", &namespace) == 0 ? UInt64(namespace.st_ino) : 0
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(bootID.utf8) + withUnsafeBytes(of: namespaceID.littleEndian, Array.init) {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(UInt32(truncatingIfNeeded: hash ^ (hash >> 32)), radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }()

    /// Parent directories swept of abandoned spill directories by this process.
    private static let swept = Mutex<Set<String>>([])

    /// `removeAbandoned(in:)`, the first time a query of this process spills into `parent`.
    private static func removeAbandonedOnce(in parent: String) {
        guard swept.withLock({ $0.insert(parent).inserted }) else { return }
        removeAbandoned(in: parent)
    }

    /// Removes the spill directories in `parent` made by processes of this host key that are not
    /// running any more; returns their paths.
    @discardableResult
    static func removeAbandoned(in parent: String) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return [] }
        let ours = namePrefix + hostKey + "-"
        var removed: [String] = []
        for entry in entries where entry.hasPrefix(ours) {
            // <pid>-<uuid> after the host key.
            guard let pid = Int32(entry.dropFirst(ours.count).prefix { $0 != "-" }), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) == -1 && errno == ESRCH else { continue }
            let path = parent + "/" + entry
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// The directories of all queries running in the process.
    private static let live = Mutex<Set<String>>([])
    /// Set once a termination signal has deleted the directories.
    private static let terminating = Atomic<Bool>(false)
    private static let terminationSources = Mutex<[any DispatchSourceSignal]>([])

    /// Called where a missing spill file or directory would be reported: after a termination
    /// signal deleted them that is expected, and the thread waits for the signal to end the
    /// process rather than report an error that would end it first with another status.
    static func waitIfTerminating() {
        guard terminating.load(ordering: .sequentiallyConsistent) else { return }
        while true { pause() }
    }

    /// Deletes the spill directories of every running query (for a process about to end).
    public static func removeAllLive() {
        for path in live.withLock({ $0 }) {
            // A task may create a file while the directory is being emptied (one that had its
            // path before `terminating` was set); try again then, for up to a second on a
            // loaded machine.
            for _ in 0..<1000 {
                try? FileManager.default.removeItem(atPath: path)
                if !FileManager.default.fileExists(atPath: path) { break }
                usleep(1000)
            }
        }
    }

    /// Makes SIGINT, SIGTERM and SIGHUP delete the running queries' spill directories before the
    /// process ends by the signal, as Spark's shutdown hook deletes its local directories.
    public static func removeAllLiveOnTermination() {
        terminationSources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    terminating.store(true, ordering: .sequentiallyConsistent)
                    removeAllLive()
                    // End by the signal itself, so the exit status says so. Dispatch receives
                    // the signal blocked; unblock it here or it would stay pending.
                    signal(signalNumber, SIG_DFL)
                    var signals = sigset_t()
                    sigemptyset(&signals)
                    sigaddset(&signals, signalNumber)
                    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
                    raise(signalNumber)
                    _exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
