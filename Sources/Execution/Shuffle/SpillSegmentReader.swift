import Columnar
import Foundation

/// Streams the batches of one segment of a spill file, a frame at a time: only the current
/// frame's compressed bytes and batches are in memory. The file is opened on the first `next()`
/// and closed at the segment's end (or when the reader goes).
final class SpillSegmentReader: BatchStream {
    let path: String
    let range: Range<Int>
    let schema: Schema
    private var fd: Int32 = -1
    private var position: Int
    private var pending: ArraySlice<RecordBatch> = []
    private var body: UnsafeMutableRawBufferPointer = .init(start: nil, count: 0)
    /// Bytes read from the file so far.
    private(set) var bytesRead = 0

    init(path: String, range: Range<Int>, schema: Schema) {
        self.path = path
        self.range = range
        self.schema = schema
        position = range.lowerBound
    }

    deinit {
        if fd >= 0 { close(fd) }
        body.deallocate()
    }

    func next() throws -> RecordBatch? {
        while pending.isEmpty {
            guard position < range.upperBound else {
                if fd >= 0 { close(fd); fd = -1 }
                return nil
            }
            pending = try readFrame()[...]
        }
        return pending.popFirst()
    }

    private func readFrame() throws -> [RecordBatch] {
        if fd < 0 { fd = try SpillIO.openForReading(path) }
        let frameOffset = position
        let deserializer = BatchDeserializer(schema: schema, path: path, frameOffset: frameOffset)
        guard range.upperBound - position >= SpillFrame.headerSize else { throw deserializer.corrupt("truncated frame header") }
        var headerBytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let header = try withUnsafeMutableBytes(of: &headerBytes) { bytes in
            try SpillIO.read(fd, into: bytes, at: position, path: path)
            return try SpillFrame.Header(UnsafeRawBufferPointer(bytes), corrupt: { deserializer.corrupt($0) })
        }
        position += SpillFrame.headerSize
        guard header.bodyLength <= range.upperBound - position else {
            throw deserializer.corrupt("frame body of \(header.bodyLength) bytes runs past its segment")
        }
        if body.count < header.bodyLength {
            body.deallocate()
            body = .allocate(byteCount: max(header.bodyLength, body.count * 2), alignment: 16)
        }
        let frameBody = UnsafeMutableRawBufferPointer(rebasing: body[0..<header.bodyLength])
        try SpillIO.read(fd, into: frameBody, at: position, path: path)
        position += header.bodyLength
        bytesRead += SpillFrame.headerSize + header.bodyLength
        return try deserializer.decode(header, body: UnsafeRawBufferPointer(frameBody))
    }
}
