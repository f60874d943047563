#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// A read-only file read with `pread(2)`, so that several threads can read ranges at once.
public final class RandomAccessFile: @unchecked Sendable {
    public let path: String
    public let size: Int
    private let descriptor: Int32

    /// Opens `path` (`open(2)` with O_RDONLY) and reads its size (`fstat(2)`).
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ParquetError.io(path: path, detail: String(cString: strerror(errno)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ParquetError.io(path: path, detail: message)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ParquetError.io(path: path, detail: "is a directory")
        }
        self.descriptor = fd
        self.size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Reads `count` bytes at `offset` into a new buffer; the range must lie inside the file.
    public func read(offset: Int, count: Int) throws -> Buffer {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError.corrupt("byte range \(offset)..<\(offset &+ count) lies outside the file (\(size) bytes)")
        }
        // Column chunks are read, decoded and dropped row group by row group: pooled memory.
        let buffer = BufferPool.shared.buffer(byteCount: count)
        var done = 0
        while done < count {
            let n = pread(descriptor, buffer.baseAddress + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError.io(path: path, detail: String(cString: strerror(errno)))
            }
            if n == 0 {
                throw ParquetError.io(path: path, detail: "file shrank while reading (expected \(count) bytes at \(offset))")
            }
            done += n
        }
        return buffer
    }
}
