#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where CSV comes from: a file (maybe gzip or zstd compressed) or standard input (`-`).
///
/// An input can be opened more than once, from the start each time: the reader samples it and may
/// start again after widening a column's type. Standard input is therefore first copied to a
/// temporary file (removed when the input is released), which is then read like any file.
public final class CSVInput: @unchecked Sendable {
    public enum Compression: Sendable { case none, gzip, zstd }

    /// The path given (`-` for standard input).
    public let path: String
    /// The file actually read: `path`, or the copy of standard input.
    let filePath: String
    private let isSpool: Bool
    /// Size in bytes of the file read (compressed size for compressed input), for progress.
    public let size: Int?
    public let compression: Compression
    private var lastFileSource: FileDescriptorSource?

    public var isStandardInput: Bool { path == "-" }
    /// Name for messages.
    public var displayName: String { isStandardInput ? "<stdin>" : path }

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            filePath = try Self.spoolStandardInput()
            isSpool = true
        } else {
            filePath = path
            isSpool = false
        }
        var info = stat()
        guard stat(filePath, &info) == 0 else {
            throw CSVError.io(path: path, detail: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw CSVError.io(path: path, detail: "is a directory") }
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        compression = try Self.detectCompression(path: filePath)
    }

    deinit {
        if isSpool { unlink(filePath) }
    }

    /// Bytes of the underlying file read by the most recent `open()`, for progress reports.
    public var bytesRead: Int { lastFileSource?.bytesRead.load(ordering: .relaxed) ?? 0 }

    static let gzipMagic: [UInt8] = [0x1F, 0x8B]
    static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    /// Compression from the magic bytes, which decide whatever the extension says.
    private static func detectCompression(path: String) throws -> Compression {
        let source = try FileDescriptorSource(path: path)
        var head = [UInt8](repeating: 0, count: 4)
        let n = try head.withUnsafeMutableBytes { try source.read(into: $0) }
        if n >= 2 && Array(head[0..<2]) == gzipMagic { return .gzip }
        if n >= 4 && head == zstdMagic { return .zstd }
        return .none
    }

    /// A fresh stream of the decompressed input from its start.
    func open() throws -> ByteSource {
        let raw = try FileDescriptorSource(path: filePath, displayName: displayName)
        lastFileSource = raw
        switch compression {
        case .none: return raw
        case .gzip: return try GzipSource(raw, path: displayName)
        case .zstd: return try ZstdSource(raw, path: displayName)
        }
    }

    /// Copies standard input to a temporary file and returns its path.
    private static func spoolStandardInput() throws -> String {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(directory)/sparrow-stdin-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw CSVError.io(path: "<stdin>", detail: "cannot create a temporary copy: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let spool = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        do {
            while true {
                let n = read(0, buffer.baseAddress, buffer.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CSVError.io(path: "<stdin>", detail: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                var done = 0
                while done < n {
                    let w = write(fd, buffer.baseAddress! + done, n - done)
                    if w < 0 {
                        if errno == EINTR { continue }
                        throw CSVError.io(path: "<stdin>", detail: "cannot write a temporary copy: \(String(cString: strerror(errno)))")
                    }
                    done += w
                }
            }
        } catch {
            unlink(spool)
            throw error
        }
        return spool
    }
}
