#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import CZstd
import Synchronization

/// A stream of input bytes: a file, standard input, or a decompressor over one of them.
protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Reads a file with `read(2)`, counting the bytes for progress reports.
final class FileDescriptorSource: ByteSource {
    /// Name for messages.
    let path: String
    private let descriptor: Int32
    /// Bytes read so far; other threads may look at it for progress.
    let bytesRead: Atomic<Int> = Atomic(0)

    /// Opens `path` read-only (`open(2)`); messages name it `displayName`.
    init(path: String, displayName: String? = nil) throws {
        self.path = displayName ?? path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CSVError.io(path: self.path, detail: String(cString: strerror(errno))) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 {
                bytesRead.add(n, ordering: .relaxed)
                return n
            }
            if errno != EINTR { throw CSVError.io(path: path, detail: String(cString: strerror(errno))) }
        }
    }
}

/// Decompresses gzip (or zlib) data from another source with zlib's `inflate`, member after member
/// (concatenated gzip files, as `cat a.gz b.gz` makes, are one stream).
final class GzipSource: ByteSource {
    private let inner: ByteSource
    private let path: String
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var finished = false
    private var betweenMembers = true

    init(_ inner: ByteSource, path: String) throws {
        self.inner = inner
        self.path = path
        input = .allocate(byteCount: 1 << 18, alignment: 16)
        // 15 + 32: a 32 KiB window and automatic gzip/zlib header detection.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw CSVError.corruptInput(path: path, detail: "cannot start gzip decompression")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        let capacity = uInt(buffer.count)
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = capacity
        while stream.avail_out == capacity {
            if stream.avail_in == 0 {
                let n = try inner.read(into: input)
                if n == 0 {
                    // The end of the input is fine between members, truncation inside one.
                    guard betweenMembers else {
                        throw CSVError.corruptInput(path: path, detail: "the gzip stream is truncated")
                    }
                    finished = true
                    break
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(n)
            }
            betweenMembers = false
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // Another member may follow.
                inflateReset(&stream)
                betweenMembers = true
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw CSVError.corruptInput(path: path, detail: "gzip data is corrupt: \(message)")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }
}

/// Decompresses zstd frames from another source (`ZSTD_decompressStream`).
final class ZstdSource: ByteSource {
    private let inner: ByteSource
    private let path: String
    private let context: OpaquePointer
    private var input: UnsafeMutableRawBufferPointer
    private var inputBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    /// True when the last call ended exactly at a frame boundary.
    private var atFrameEnd = true
    private var finished = false

    init(_ inner: ByteSource, path: String) throws {
        self.inner = inner
        self.path = path
        guard let context = ZSTD_createDStream() else {
            throw CSVError.corruptInput(path: path, detail: "cannot start zstd decompression")
        }
        self.context = context
        input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
    }

    deinit {
        ZSTD_freeDStream(context)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        var output = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while output.pos == 0 {
            if inputBuffer.pos == inputBuffer.size {
                let n = try inner.read(into: input)
                if n == 0 {
                    guard atFrameEnd else {
                        throw CSVError.corruptInput(path: path, detail: "the zstd stream is truncated")
                    }
                    finished = true
                    break
                }
                inputBuffer = ZSTD_inBuffer(src: input.baseAddress, size: n, pos: 0)
            }
            let hint = ZSTD_decompressStream(context, &output, &inputBuffer)
            if ZSTD_isError(hint) != 0 {
                throw CSVError.corruptInput(path: path, detail: "zstd data is corrupt: \(String(cString: ZSTD_getErrorName(hint)))")
            }
            atFrameEnd = hint == 0
        }
        return output.pos
    }
}
