import CZlib
import Columnar

/// `GZIP`: the gzip format (RFC 1952) over zlib, with its `z_stream`s kept across calls.
///
/// Compression writes one gzip member (`deflateInit2` with window bits 15 + 16, then `deflate`
/// with `Z_FINISH` into `deflateBound` bytes). Decompression (`inflateInit2` with window bits
/// 15 + 32, which detects gzip and zlib headers) reads any number of concatenated members, as
/// some writers produce (parquet-testing's concatenated_gzip_members.parquet), ignores zero
/// padding after the last one, and falls back to raw deflate (window bits -15) for data with
/// neither header.
///
/// Implementation notes: the default level 6 is zlib's and arrow-rs's; pyarrow (Arrow C++) uses 9.
public final class GzipCodec: Codec {
    public static let defaultLevel = 6
    public static let levelRange = 0...9

    public let level: Int
    // z_streams point back at themselves (zlib checks `strm->state->strm == strm`), so they live
    // at fixed addresses, made on first use.
    private var deflater: UnsafeMutablePointer<z_stream>?
    private var inflater: UnsafeMutablePointer<z_stream>?
    private var rawInflater: UnsafeMutablePointer<z_stream>?

    /// Throws `.invalidArgument` unless `level` is in `levelRange`.
    public init(level: Int = GzipCodec.defaultLevel) throws {
        guard Self.levelRange.contains(level) else {
            throw ParquetError.invalidLevel(.gzip, level, valid: "\(Self.levelRange)")
        }
        self.level = level
    }

    deinit {
        if let deflater {
            deflateEnd(deflater)
            deflater.deallocate()
        }
        for stream in [inflater, rawInflater] {
            if let stream {
                inflateEnd(stream)
                stream.deallocate()
            }
        }
    }

    /// Writes one gzip member with `deflate(Z_FINISH)`; `deflateBound` guarantees it fits.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws {
        guard input.count <= Int(Int32.max) else {
            throw ParquetError.invalidArgument("GZIP cannot compress \(input.count) bytes at once")
        }
        let stream = try deflater ?? makeDeflater()
        guard deflateReset(stream) == Z_OK else {
            throw ParquetError.invalidArgument("GZIP: deflateReset failed")
        }
        let bound = Int(deflateBound(stream, uLong(input.count)))
        try output.appendUninitialized(maxByteCount: bound) { destination in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.cStart.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = destination.cStart.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(destination.count)
            let status = deflate(stream, Z_FINISH)
            guard status == Z_STREAM_END else {
                throw ParquetError.invalidArgument("GZIP compression failed: \(Self.message(stream, status))")
            }
            return destination.count - Int(stream.pointee.avail_out)
        }
    }

    /// Inflates gzip or zlib members until the input is used up; see the type's notes.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard input.count <= Int(Int32.max), output.count <= Int(Int32.max) else {
            throw ParquetError.corrupt("GZIP page of \(input.count) bytes expanding to \(output.count) is too large")
        }
        do {
            try inflate(input, into: output, stream: inflater ?? makeInflater(raw: false), members: true)
        } catch let headerError as ParquetError {
            let isGzip = input.count >= 2 && input[0] == 0x1F && input[1] == 0x8B
            guard !isGzip else { throw headerError }
            do {
                try inflate(input, into: output, stream: rawInflater ?? makeInflater(raw: true), members: false)
            } catch {
                throw headerError  // says more than the raw attempt about data that is neither
            }
        }
    }

    /// One pass of `inflate(Z_FINISH)` per member, `inflateReset` between members.
    private func inflate(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
        stream: UnsafeMutablePointer<z_stream>, members: Bool
    ) throws {
        guard inflateReset(stream) == Z_OK else { throw ParquetError.corrupt("GZIP: inflateReset failed") }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.cStart.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.cStart.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        while true {
            let status = CZlib.inflate(stream, Z_FINISH)
            switch status {
            case Z_STREAM_END:
                let rest = UnsafeRawBufferPointer(
                    start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
                if rest.allSatisfy({ $0 == 0 }) {
                    let produced = output.count - Int(stream.pointee.avail_out)
                    guard produced == output.count else {
                        throw ParquetError.sizeMismatch(.gzip, produced: produced, declared: output.count)
                    }
                    return
                }
                guard members else {
                    throw ParquetError.corrupt("GZIP: \(rest.count) bytes after the end of the deflate stream")
                }
                guard inflateReset(stream) == Z_OK else { throw ParquetError.corrupt("GZIP: inflateReset failed") }
            case Z_BUF_ERROR, Z_OK:
                if stream.pointee.avail_out == 0 { throw ParquetError.tooLarge(.gzip, declared: output.count) }
                throw ParquetError.corrupt("GZIP data is truncated")
            case Z_NEED_DICT:
                throw ParquetError.corrupt("GZIP data needs a preset dictionary")
            default:
                throw ParquetError.corrupt("GZIP: \(Self.message(stream, status))")
            }
        }
    }

    private func makeDeflater() throws -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Window bits 15 + 16: a gzip header and trailer instead of zlib's. Memory level 8 is zlib's default.
        let status = deflateInit2_(
            stream, Int32(level), Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw ParquetError.invalidArgument("GZIP: deflateInit2 failed with status \(status)")
        }
        deflater = stream
        return stream
    }

    private func makeInflater(raw: Bool) throws -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // + 32: detect a gzip or zlib header; negative: raw deflate without header or trailer.
        let status = inflateInit2_(
            stream, raw ? -MAX_WBITS : MAX_WBITS + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw ParquetError.invalidArgument("GZIP: inflateInit2 failed with status \(status)")
        }
        if raw { rawInflater = stream } else { inflater = stream }
        return stream
    }

    /// zlib's message for the last error on `stream`, or the status code when it left none.
    private static func message(_ stream: UnsafeMutablePointer<z_stream>, _ status: Int32) -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        return "zlib status \(status)"
    }
}
