import Columnar

/// Decodes the values section of one page in whichever encoding the page uses, appending the
/// values to a `DenseValueBuilder` a batch at a time.
///
/// The decoder borrows the page body; `DataPageDecoder` keeps the page alive alongside it.
struct ValueDecoder {
    private enum State {
        case plainFixed(width: Int)
        case plainBoolean(bitOffset: Int)
        case plainByteArray
        case dictionary(RLEBitPackedHybridDecoder)
        case rleBoolean(RLEBitPackedHybridDecoder)
        /// INT32 columns decode through 64-bit arithmetic: some writers (DuckDB) emit miniblock
        /// widths up to 64 for INT32 deltas; the low 32 bits of the wrapped sums are the values.
        case deltaInt32(DeltaBinaryPackedDecoder<Int64>)
        case deltaInt64(DeltaBinaryPackedDecoder<Int64>)
        case deltaLengthByteArray(DeltaLengthByteArrayDecoder)
        case deltaByteArray(DeltaByteArrayDecoder)
        case byteStreamSplit(width: Int, valueCount: Int, index: Int)
    }

    private var state: State
    private let body: UnsafeRawBufferPointer
    /// Read position in `body` for the PLAIN encodings.
    private var position: Int
    private let physicalType: PhysicalType
    /// Bytes per value of the fixed-width physical types.
    private let width: Int
    private let dictionaryCount: Int

    init(encoding: Encoding, body range: ByteRange, start: Int, descriptor: ColumnDescriptor, dictionaryCount: Int?) throws {
        guard start <= range.count else { throw ParquetError.corrupt("page levels run past the end of the page") }
        body = UnsafeRawBufferPointer(start: range.buffer.baseAddress + range.start + start, count: range.count - start)
        position = 0
        physicalType = descriptor.physicalType
        self.dictionaryCount = dictionaryCount ?? 0
        let type = descriptor.physicalType
        let width = descriptor.physicalType == .int96 ? 12
            : type == .int32 || type == .float ? 4
            : type == .int64 || type == .double ? 8
            : descriptor.typeLength
        self.width = width

        switch encoding {
        case .plain:
            switch type {
            case .boolean: state = .plainBoolean(bitOffset: 0)
            case .byteArray: state = .plainByteArray
            default: state = .plainFixed(width: width)
            }
        case .plainDictionary, .rleDictionary:
            state = .dictionary(try RLEBitPackedHybridDecoder.dictionaryIndices(data: body))
        case .rle:
            guard type == .boolean else { throw ParquetError.corrupt("RLE value encoding on a \(type) column") }
            // Boolean RLE values carry a 4-byte length prefix in v1 and v2 pages alike.
            state = .rleBoolean(try RLEBitPackedHybridDecoder.levelsV1(bitWidth: 1, data: body).decoder)
        case .deltaBinaryPacked:
            switch type {
            case .int32: state = .deltaInt32(try DeltaBinaryPackedDecoder<Int64>(data: body))
            case .int64: state = .deltaInt64(try DeltaBinaryPackedDecoder<Int64>(data: body))
            default: throw ParquetError.corrupt("DELTA_BINARY_PACKED on a \(type) column")
            }
        case .deltaLengthByteArray:
            guard type == .byteArray else { throw ParquetError.corrupt("DELTA_LENGTH_BYTE_ARRAY on a \(type) column") }
            state = .deltaLengthByteArray(try DeltaLengthByteArrayDecoder(data: body))
        case .deltaByteArray:
            guard type == .byteArray || type == .fixedLenByteArray else {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY on a \(type) column")
            }
            state = .deltaByteArray(try DeltaByteArrayDecoder(data: body))
        case .byteStreamSplit:
            guard type == .float || type == .double || type == .int32 || type == .int64 || type == .fixedLenByteArray else {
                throw ParquetError.corrupt("BYTE_STREAM_SPLIT on a \(type) column")
            }
            guard width > 0, body.count % width == 0 else {
                throw ParquetError.corrupt("BYTE_STREAM_SPLIT data of \(body.count) bytes is not a multiple of the value width \(width)")
            }
            state = .byteStreamSplit(width: width, valueCount: body.count / width, index: 0)
        default:
            throw ParquetError.unsupported("value encoding \(encoding)")
        }
    }

    /// True for the dictionary-index encodings.
    var usesDictionary: Bool {
        if case .dictionary = state { return true }
        return false
    }

    /// Appends the next `count` values to `builder`.
    mutating func decode(_ count: Int, into builder: inout DenseValueBuilder) throws {
        switch state {
        case .plainFixed(let width):
            let bytes = count * width
            guard bytes <= body.count - position else {
                throw ParquetError.corrupt("page holds \((body.count - position) / max(width, 1)) more values, \(count) needed")
            }
            builder.fixed.append(contentsOf: UnsafeRawBufferPointer(start: body.baseAddress! + position, count: bytes))
            position += bytes
            builder.didAppend(count)

        case .plainBoolean(let bitOffset):
            guard (bitOffset + count + 7) / 8 <= body.count else {
                throw ParquetError.corrupt("page holds \(body.count * 8 - bitOffset) more booleans, \(count) needed")
            }
            for i in bitOffset..<(bitOffset + count) {
                builder.bits.append(Bitmap.isSet(body.baseAddress!, i))
            }
            builder.didAppend(count)
            state = .plainBoolean(bitOffset: bitOffset + count)

        case .plainByteArray:
            try decodePlainByteArrays(count, into: &builder)

        case .rleBoolean(var decoder):
            var scratch = [UInt8](repeating: 0, count: min(count, 4096))
            var remaining = count
            while remaining > 0 {
                let n = min(remaining, scratch.count)
                let got = try scratch.withUnsafeMutableBufferPointer { out in
                    try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: out[0..<n]))
                }
                guard got == n else { throw ParquetError.corrupt("RLE boolean data ended early") }
                for i in 0..<n { builder.bits.append(scratch[i] != 0) }
                remaining -= n
            }
            builder.didAppend(count)
            state = .rleBoolean(decoder)

        case .deltaInt32(var decoder):
            var wide = [Int64](repeating: 0, count: count)
            let got = try wide.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            guard got == count else {
                throw ParquetError.corrupt("DELTA_BINARY_PACKED data ended after \(got) of \(count) values")
            }
            builder.fixed.appendUninitialized(maxByteCount: count * 4) { out in
                let narrow = out.bindMemory(to: Int32.self)
                for i in 0..<count { narrow[i] = Int32(truncatingIfNeeded: wide[i]) }
                return count * 4
            }
            builder.didAppend(count)
            state = .deltaInt32(decoder)

        case .deltaInt64(var decoder):
            try decodeDelta(&decoder, count, into: &builder)
            state = .deltaInt64(decoder)

        case .deltaLengthByteArray(var decoder):
            if physicalType == .byteArray {
                try decoder.decode(count: count, offsets: &builder.offsets, values: &builder.data)
                builder.didAppend(count)
                try builder.checkDataSize()
            }
            state = .deltaLengthByteArray(decoder)

        case .deltaByteArray(var decoder):
            if physicalType == .byteArray {
                try decoder.decode(count: count, offsets: &builder.offsets, values: &builder.data)
                builder.didAppend(count)
                try builder.checkDataSize()
            } else {
                try decodeFixedFromDeltaByteArray(&decoder, count, into: &builder)
            }
            state = .deltaByteArray(decoder)

        case .byteStreamSplit(let width, let valueCount, let index):
            guard count <= valueCount - index else {
                throw ParquetError.corrupt("BYTE_STREAM_SPLIT page holds \(valueCount - index) more values, \(count) needed")
            }
            try builder.fixed.appendUninitialized(maxByteCount: count * width) { out in
                try ByteStreamSplit.decode(body, byteWidth: width, range: index..<(index + count), into: out.baseAddress!)
                return count * width
            }
            builder.didAppend(count)
            state = .byteStreamSplit(width: width, valueCount: valueCount, index: index + count)

        case .dictionary:
            preconditionFailure("dictionary pages decode through decodeIndices")
        }
    }

    /// Appends the next `count` dictionary-encoded values: as indices while the batch has no
    /// plain values, else as values gathered from `dictionary`.
    mutating func decodeIndices(_ count: Int, into builder: inout DenseValueBuilder, dictionary: DictionaryValues) throws {
        guard case .dictionary(var decoder) = state else { preconditionFailure("not a dictionary page") }
        let asIndices = builder.beginIndices()
        if !asIndices { try builder.materializeIndices(from: dictionary) }
        if asIndices {
            // Straight into the batch's index buffer.
            try builder.indices.appendUninitialized(maxByteCount: count * 4) { raw in
                let got = try decoder.decodeIndices(into: raw.bindMemory(to: Int32.self), dictionaryCount: dictionary.count)
                guard got == count else {
                    throw ParquetError.corrupt("dictionary indices ended after \(got) of \(count) values")
                }
                return count * 4
            }
            builder.didAppend(count)
            state = .dictionary(decoder)
            return
        }
        var remaining = count
        var scratch = [Int32](repeating: 0, count: min(count, 4096))
        while remaining > 0 {
            let n = min(remaining, scratch.count)
            let got = try scratch.withUnsafeMutableBufferPointer { out in
                try decoder.decodeIndices(into: UnsafeMutableBufferPointer(rebasing: out[0..<n]), dictionaryCount: dictionary.count)
            }
            guard got == n else {
                throw ParquetError.corrupt("dictionary indices ended after \(count - remaining + got) of \(count) values")
            }
            try scratch.withUnsafeBufferPointer { indices in
                try dictionary.gather(UnsafeBufferPointer(rebasing: indices[0..<n]), into: &builder)
            }
            remaining -= n
        }
        state = .dictionary(decoder)
    }

    /// Appends the values at `positions` (ascending, each below `count`) among the next `count`
    /// values, and moves past all `count`. Plain pages copy only the kept values; other
    /// encodings decode all `count` and keep some.
    mutating func decode(_ count: Int, keeping positions: UnsafeBufferPointer<Int32>, into builder: inout DenseValueBuilder) throws {
        switch state {
        case .plainFixed(let width):
            let bytes = count * width
            guard bytes <= body.count - position else {
                throw ParquetError.corrupt("page holds \((body.count - position) / max(width, 1)) more values, \(count) needed")
            }
            PhysicalValues.gatherFixed(UnsafeRawPointer(body.baseAddress! + position), width: width, positions, into: &builder)
            position += bytes

        case .plainBoolean(let bitOffset):
            guard (bitOffset + count + 7) / 8 <= body.count else {
                throw ParquetError.corrupt("page holds \(body.count * 8 - bitOffset) more booleans, \(count) needed")
            }
            for p in positions { builder.bits.append(Bitmap.isSet(body.baseAddress!, bitOffset + Int(p))) }
            builder.didAppend(positions.count)
            state = .plainBoolean(bitOffset: bitOffset + count)

        case .plainByteArray:
            try decodePlainByteArrays(count, keeping: positions, into: &builder)

        case .dictionary:
            preconditionFailure("dictionary pages decode through decodeIndices")

        default:
            var all = DenseValueBuilder(physicalType: physicalType, width: width)
            try decode(count, into: &all)
            try all.finish().gather(positions, into: &builder)
        }
    }

    /// `decodeIndices(_:into:dictionary:)` for the values at `positions` (ascending, each below
    /// `count`) among the next `count`; moves past all `count`.
    mutating func decodeIndices(_ count: Int, keeping positions: UnsafeBufferPointer<Int32>, into builder: inout DenseValueBuilder,
                                dictionary: DictionaryValues) throws {
        guard case .dictionary(var decoder) = state else { preconditionFailure("not a dictionary page") }
        let asIndices = builder.beginIndices()
        if !asIndices { try builder.materializeIndices(from: dictionary) }
        let kept = positions.count
        let range = dictionary.count
        // Few kept values: extract just those from bit-packed runs. Many: unpack the runs whole
        // (a word at a time is faster per value) and compact.
        let sparse = kept * 3 < count
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: sparse ? kept : count) { scratch in
            let got = sparse
                ? try decoder.decodeSelected(count, positions: positions, into: scratch.baseAddress!)
                : try decoder.decode(into: scratch)
            guard got == count else {
                throw ParquetError.corrupt("dictionary indices ended after \(got) of \(count) values")
            }
            if !sparse {
                // Positions ascend, so a slot is read before it is overwritten.
                for k in 0..<kept { scratch[k] = scratch[Int(positions[k])] }
            }
            var largest: UInt32 = 0
            for k in 0..<kept { largest = max(largest, UInt32(bitPattern: scratch[k])) }
            guard Int(largest) < range else {
                throw ParquetError.corrupt("dictionary index \(largest) out of range for a dictionary of \(range) values")
            }
            let indices = UnsafeBufferPointer(rebasing: scratch[0..<kept])
            if asIndices {
                builder.indices.append(contentsOf: UnsafeRawBufferPointer(indices))
                builder.didAppend(kept)
            } else {
                try dictionary.gather(indices, into: &builder)
            }
        }
        state = .dictionary(decoder)
    }

    /// Moves past the next `count` values without producing them. Dictionary indices skipped
    /// are not checked against the dictionary: nothing reads them.
    mutating func skip(_ count: Int) throws {
        guard count > 0 else { return }
        switch state {
        case .plainFixed(let width):
            guard count * width <= body.count - position else {
                throw ParquetError.corrupt("page holds \((body.count - position) / max(width, 1)) more values, \(count) to skip")
            }
            position += count * width
        case .plainBoolean(let bitOffset):
            guard (bitOffset + count + 7) / 8 <= body.count else {
                throw ParquetError.corrupt("page holds \(body.count * 8 - bitOffset) more booleans, \(count) to skip")
            }
            state = .plainBoolean(bitOffset: bitOffset + count)
        case .plainByteArray:
            try walkPlainByteArrays(count) { _, _ in }
        case .dictionary(var decoder):
            let skipped = try decoder.skip(count)
            guard skipped == count else {
                throw ParquetError.corrupt("dictionary indices ended after \(skipped) of \(count) values")
            }
            state = .dictionary(decoder)
        default:
            var all = DenseValueBuilder(physicalType: physicalType, width: width)
            try decode(count, into: &all)
        }
    }

    /// Walks `count` PLAIN byte arrays, appending those at `positions` to `builder`.
    private mutating func decodePlainByteArrays(_ count: Int, keeping positions: UnsafeBufferPointer<Int32>,
                                                into builder: inout DenseValueBuilder) throws {
        let kept = positions.count
        var next = 0
        var wanted = kept > 0 ? Int(positions[0]) : -1
        try walkPlainByteArrays(count) { i, bytes in
            if i == wanted {
                builder.appendByteArray(bytes)
                next += 1
                wanted = next < kept ? Int(positions[next]) : -1
            }
        }
        try builder.checkDataSize()
    }

    /// Moves past `count` PLAIN byte arrays, checking each length against the page.
    @inline(__always)
    private mutating func walkPlainByteArrays(_ count: Int, _ visit: (Int, UnsafeRawBufferPointer) -> Void) throws {
        guard let base = body.baseAddress else {
            if count > 0 { throw ParquetError.corrupt("page holds no byte-array values, \(count) needed") }
            return
        }
        let end = body.count
        var p = position
        for i in 0..<count {
            guard end - p >= 4 else {
                throw ParquetError.corrupt("byte-array value \(i) of \(count) runs past the end of the page")
            }
            let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            p += 4
            guard length <= end - p else {
                throw ParquetError.corrupt("byte-array value of \(length) bytes runs past the end of the page")
            }
            visit(i, UnsafeRawBufferPointer(start: base + p, count: length))
            p += length
        }
        position = p
    }

    private mutating func decodePlainByteArrays(_ count: Int, into builder: inout DenseValueBuilder) throws {
        // Each value takes at least its 4-byte length, so the page bounds what to reserve.
        builder.offsets.reserve(min(count, (body.count - position) / 4) * 4)
        try walkPlainByteArrays(count) { _, bytes in builder.appendByteArray(bytes) }
        try builder.checkDataSize()
    }

    private func decodeDelta<T: FixedWidthInteger>(
        _ decoder: inout DeltaBinaryPackedDecoder<T>, _ count: Int, into builder: inout DenseValueBuilder
    ) throws {
        try builder.fixed.appendUninitialized(maxByteCount: count * MemoryLayout<T>.size) { out in
            let typed = out.bindMemory(to: T.self)
            let got = try decoder.decode(into: typed)
            guard got == count else {
                throw ParquetError.corrupt("DELTA_BINARY_PACKED data ended after \(got) of \(count) values")
            }
            return count * MemoryLayout<T>.size
        }
        builder.didAppend(count)
    }

    /// FIXED_LEN_BYTE_ARRAY values in DELTA_BYTE_ARRAY; the decoder checks every value's length.
    private func decodeFixedFromDeltaByteArray(
        _ decoder: inout DeltaByteArrayDecoder, _ count: Int, into builder: inout DenseValueBuilder
    ) throws {
        try decoder.decodeFixed(count: count, byteWidth: builder.width, values: &builder.fixed)
        builder.didAppend(count)
    }
}
