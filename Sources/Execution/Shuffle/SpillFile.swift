import Foundation

/// A finished spill file: for each reduce partition a segment of frames, in partition order,
/// then an index, as Spark's sort shuffle writes a data file and an index file.
///
/// The index ends the file so it describes itself: `partitions + 1` segment boundaries (UInt64),
/// then the partition count, a CRC-32 of the boundaries and the magic "SPIX" (UInt32 each).
/// Readers use the boundaries kept in memory; `readIndex` reads them back from the file.
public struct SpillFile: Sendable {
    public let path: String
    /// The byte range of each reduce partition's frames.
    public let segments: [Range<Int>]
    /// Bytes on disk, index included.
    public let byteCount: Int

    static let indexMagic: UInt32 = 0x5849_5053

    /// The index stored at the end of the file at `path`.
    public static func readIndex(path: String) throws -> [Range<Int>] {
        let fd = try SpillIO.openForReading(path)
        defer { close(fd) }
        let size = try SpillIO.size(fd, path: path)
        func corrupt(_ detail: String) -> ExecutionError { .input(path: path, detail: "corrupt spill index: \(detail)") }
        guard size >= 12 + 8 else { throw corrupt("file of \(size) bytes is too short") }
        var footer = [UInt8](repeating: 0, count: 12)
        try footer.withUnsafeMutableBytes { try SpillIO.read(fd, into: $0, at: size - 12, path: path) }
        let (partitions, checksum, magic) = footer.withUnsafeBytes {
            (UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self)),
             UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)),
             UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        }
        guard magic == indexMagic else { throw corrupt("no index at the end of the file") }
        let indexLength = (Int(partitions) + 1) * 8
        guard indexLength + 12 <= size else { throw corrupt("index of \(partitions) partitions does not fit the file") }
        var index = [UInt8](repeating: 0, count: indexLength)
        try index.withUnsafeMutableBytes { try SpillIO.read(fd, into: $0, at: size - 12 - indexLength, path: path) }
        guard index.withUnsafeBytes({ SpillFrame.checksum($0) }) == checksum else { throw corrupt("index checksum mismatch") }
        let bounds = index.withUnsafeBytes { bytes in
            (0...Int(partitions)).map { Int(clamping: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
        let dataEnd = size - 12 - indexLength
        guard bounds.first == 0, bounds.last == dataEnd, zip(bounds, bounds.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw corrupt("segment boundaries out of order")
        }
        return (0..<Int(partitions)).map { bounds[$0]..<bounds[$0 + 1] }
    }
}
