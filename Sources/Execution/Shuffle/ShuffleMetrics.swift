import Synchronization

/// What one exchange moved, per map task and per reduce partition: for `--analyze` and the job
/// report. Write-side counts are complete once the map stage has run; read-side counts grow as
/// reduce tasks read.
public final class ShuffleMetrics: Sendable {
    private let state = Mutex(State())

    struct State {
        var bytesWritten: [[Int]] = []
        var rowsWritten: [[Int]] = []
        var spillBytes: [Int] = []
        var spillFiles: [Int] = []
        var bytesRead: [Int] = []
        var rowsRead: [Int] = []
        var spillBytesRead: [Int] = []
    }

    public init() {}

    /// Forgets everything, for a map stage of `mapTasks` tasks writing `reducers` partitions.
    func reset(mapTasks: Int, reducers: Int) {
        state.withLock { state in
            state = State()
            state.bytesWritten = Array(repeating: Array(repeating: 0, count: reducers), count: mapTasks)
            state.rowsWritten = state.bytesWritten
            state.spillBytes = Array(repeating: 0, count: mapTasks)
            state.spillFiles = state.spillBytes
            state.bytesRead = Array(repeating: 0, count: reducers)
            state.rowsRead = state.bytesRead
            state.spillBytesRead = state.bytesRead
        }
    }

    func recordWrite(mapTask: Int, bytes: [Int], rows: [Int]) {
        state.withLock { state in
            state.bytesWritten[mapTask] = bytes
            state.rowsWritten[mapTask] = rows
        }
    }

    func recordSpill(mapTask: Int, bytes: Int) {
        state.withLock { state in
            state.spillBytes[mapTask] += bytes
            state.spillFiles[mapTask] += 1
        }
    }

    func recordRead(reducer: Int, bytes: Int, rows: Int, spillBytes: Int) {
        state.withLock { state in
            guard reducer < state.bytesRead.count else { return }
            state.bytesRead[reducer] += bytes
            state.rowsRead[reducer] += rows
            state.spillBytesRead[reducer] += spillBytes
        }
    }

    /// The map side's sizes, for adaptive execution.
    public var mapOutputStatistics: MapOutputStatistics {
        state.withLock { MapOutputStatistics(bytesByMapTask: $0.bytesWritten, rowsByMapTask: $0.rowsWritten) }
    }

    /// Bytes (in-memory size) and rows the map tasks wrote, in total.
    public var bytesWritten: Int { state.withLock { $0.bytesWritten.reduce(0) { $0 + $1.reduce(0, +) } } }
    public var rowsWritten: Int { state.withLock { $0.rowsWritten.reduce(0) { $0 + $1.reduce(0, +) } } }
    /// Bytes written per map task.
    public var bytesWrittenByMapTask: [Int] { state.withLock { $0.bytesWritten.map { $0.reduce(0, +) } } }
    /// Bytes written per reduce partition.
    public var bytesWrittenByPartition: [Int] { mapOutputStatistics.bytesByPartition }

    /// Bytes of spill files (compressed, on disk) and their number, in total and per map task.
    public var spillBytes: Int { state.withLock { $0.spillBytes.reduce(0, +) } }
    public var spillFiles: Int { state.withLock { $0.spillFiles.reduce(0, +) } }
    public var spillBytesByMapTask: [Int] { state.withLock { $0.spillBytes } }
    public var spillFilesByMapTask: [Int] { state.withLock { $0.spillFiles } }

    /// What reduce tasks read, per reduce partition: bytes and rows (in-memory size, as written)
    /// and the spill-file bytes among them.
    public var bytesReadByPartition: [Int] { state.withLock { $0.bytesRead } }
    public var rowsReadByPartition: [Int] { state.withLock { $0.rowsRead } }
    public var spillBytesReadByPartition: [Int] { state.withLock { $0.spillBytesRead } }
    public var bytesRead: Int { bytesReadByPartition.reduce(0, +) }
    public var spillBytesRead: Int { spillBytesReadByPartition.reduce(0, +) }
}
