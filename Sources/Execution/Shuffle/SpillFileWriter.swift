import Columnar
import Foundation

/// Writes one spill file: `writeSegment` once per reduce partition in order, then `finish`
/// appends the index. Until `finish` succeeds the file is incomplete; `abort` (or dropping the
/// writer) deletes it, so a failed spill leaves nothing behind.
final class SpillFileWriter {
    let path: String
    private var fd: Int32
    private var position = 0
    private var bounds = [0]
    private let serializer: BatchSerializer
    /// Uncompressed bytes per frame: large enough for LZ4 and the system calls to be cheap,
    /// small enough that a reader holds little at a time.
    static let frameTarget = 1 << 20

    init(path: String, serializer: BatchSerializer) throws {
        self.path = path
        self.serializer = serializer
        fd = try SpillIO.create(path)
    }

    deinit { abort() }

    /// Writes the next reduce partition's batches as its segment (possibly empty).
    func writeSegment(_ batches: [RecordBatch]) throws {
        serializer.expect(batches)
        for batch in batches {
            serializer.append(batch)
            if serializer.pendingBytes >= Self.frameTarget { try flushFrame() }
        }
        if serializer.batchCount > 0 { try flushFrame() }
        bounds.append(position)
    }

    private func flushFrame() throws {
        try serializer.finishFrame { bytes in
            try SpillIO.write(fd, bytes, path: path)
            position += bytes.count
        }
    }

    /// Writes the index, closes the file and describes it.
    func finish() throws -> SpillFile {
        var index = BufferBuilder(capacity: bounds.count * 8 + 12)
        for bound in bounds { index.append(UInt64(bound).littleEndian) }
        let checksum = index.withUnsafeBytes { SpillFrame.checksum($0) }
        index.append(UInt32(bounds.count - 1).littleEndian)
        index.append(checksum.littleEndian)
        index.append(SpillFile.indexMagic.littleEndian)
        try index.withUnsafeBytes { try SpillIO.write(fd, $0, path: path) }
        let byteCount = position + index.count
        let closed = close(fd)
        fd = -1
        guard closed == 0 else {
            unlink(path)
            throw SpillIO.failure(path, "close")
        }
        return SpillFile(path: path, segments: (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }, byteCount: byteCount)
    }

    /// Closes and deletes an unfinished file.
    func abort() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(path)
    }
}
