import Columnar

/// Densely packed values in their Parquet physical representation, as decoded from pages.
enum PhysicalValues {
    /// BOOLEAN: one bit per value.
    case bits(Buffer, count: Int)
    /// INT32, INT64, INT96, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY: `count * width` bytes.
    case fixedWidth(Buffer, width: Int, count: Int)
    /// BYTE_ARRAY: `count + 1` Int32 offsets into `data`.
    case variableWidth(offsets: Buffer, data: Buffer, count: Int)

    var count: Int {
        switch self {
        case .bits(_, let count), .fixedWidth(_, _, let count), .variableWidth(_, _, let count): count
        }
    }

    /// Appends the values at `indices` (each below `count`) to `builder`.
    func gather(_ indices: UnsafeBufferPointer<Int32>, into builder: inout DenseValueBuilder) throws {
        switch self {
        case .fixedWidth(let buffer, let width, _):
            Self.gatherFixed(UnsafeRawPointer(buffer.baseAddress), width: width, indices, into: &builder)
        case .variableWidth(let offsets, let data, _):
            offsets.withUnsafeBufferPointer(as: Int32.self) { off in
                for index in indices {
                    let start = Int(off[Int(index)])
                    builder.appendByteArray(UnsafeRawBufferPointer(start: data.baseAddress + start,
                                                                   count: Int(off[Int(index) + 1]) - start))
                }
            }
            try builder.checkDataSize()
        case .bits(let bits, _):
            for index in indices { builder.bits.append(Bitmap.isSet(bits.baseAddress, Int(index))) }
            builder.didAppend(indices.count)
        }
    }

    /// Appends the `width`-byte values at `indices` of `source` to `builder`'s fixed-width bytes.
    static func gatherFixed(_ source: UnsafeRawPointer, width: Int, _ indices: UnsafeBufferPointer<Int32>,
                            into builder: inout DenseValueBuilder) {
        let n = indices.count
        builder.fixed.appendUninitialized(maxByteCount: n * width) { out in
            let dst = out.baseAddress!
            switch width {
            case 4:
                for i in 0..<n {
                    dst.storeBytes(of: source.loadUnaligned(fromByteOffset: Int(indices[i]) &* 4, as: UInt32.self),
                                   toByteOffset: i &* 4, as: UInt32.self)
                }
            case 8:
                for i in 0..<n {
                    dst.storeBytes(of: source.loadUnaligned(fromByteOffset: Int(indices[i]) &* 8, as: UInt64.self),
                                   toByteOffset: i &* 8, as: UInt64.self)
                }
            case 5...7:
                // Two overlapping 4-byte moves per value instead of a memmove call (FIXED_LEN_BYTE_ARRAY
                // decimals of precision 10...16 are 5...7 bytes).
                let tail = width &- 4
                for i in 0..<n {
                    let from = source + Int(indices[i]) &* width
                    let to = dst + i &* width
                    let head = from.loadUnaligned(as: UInt32.self)
                    let last = from.loadUnaligned(fromByteOffset: tail, as: UInt32.self)
                    to.storeBytes(of: head, as: UInt32.self)
                    to.storeBytes(of: last, toByteOffset: tail, as: UInt32.self)
                }
            default:
                for i in 0..<n {
                    (dst + i &* width).copyMemory(from: source + Int(indices[i]) &* width, byteCount: width)
                }
            }
            return n * width
        }
        builder.didAppend(n)
    }

    /// Converts to a column of `type`, reusing the buffers when the representations agree.
    func column(of type: DataType, descriptor: ColumnDescriptor) throws -> Column {
        switch self {
        case .bits(let bits, let count):
            return Column(type: type, count: count, validity: nil, storage: .bits(bits))

        case .variableWidth(let offsets, let data, let count):
            if case .decimal(let precision, _) = type {
                return try ValueConversion.decimalFromBigEndian(
                    offsets: offsets, data: data, count: count, precision: precision, type: type, descriptor: descriptor)
            }
            return Column(type: type, count: count, validity: nil, storage: .variableWidth(offsets: offsets, data: data))

        case .fixedWidth(let buffer, let width, let count):
            let target = type.byteWidth ?? 0
            switch (descriptor.physicalType, type) {
            case (.int96, _):
                return Column(type: type, count: count, validity: nil,
                              storage: .fixedWidth(ValueConversion.int96ToNanoseconds(buffer, count: count)))
            case (.fixedLenByteArray, .decimal(let precision, _)):
                return try ValueConversion.decimalFromBigEndian(
                    fixed: buffer, width: width, count: count, precision: precision, type: type, descriptor: descriptor)
            case (.int32, .decimal), (.int64, .decimal):
                return Column(type: type, count: count, validity: nil,
                              storage: .fixedWidth(ValueConversion.widenToInt128(buffer, width: width, count: count)))
            default:
                if target == width {
                    return Column(type: type, count: count, validity: nil, storage: .fixedWidth(buffer))
                }
                if width == 4 && (target == 1 || target == 2) {
                    return Column(type: type, count: count, validity: nil,
                                  storage: .fixedWidth(ValueConversion.narrow(buffer, count: count, to: target)))
                }
                throw ParquetError.unsupported("reading \(descriptor.physicalType) values as \(type)")
            }
        }
    }
}

/// Conversions from Parquet physical values to Sparrow's in-memory types.
enum ValueConversion {
    /// INT32 to INT8/INT16/UINT8/UINT16 storage (the spec stores them sign/zero-extended in 32 bits).
    static func narrow(_ buffer: Buffer, count: Int, to width: Int) -> Buffer {
        buffer.withUnsafeBufferPointer(as: UInt32.self) { source in
            Buffer(byteCount: count * width) { raw in
                if width == 1 {
                    let out = raw.bindMemory(to: UInt8.self)
                    for i in 0..<count { out[i] = UInt8(truncatingIfNeeded: source[i]) }
                } else {
                    let out = raw.bindMemory(to: UInt16.self)
                    for i in 0..<count { out[i] = UInt16(truncatingIfNeeded: source[i]) }
                }
            }
        }
    }

    /// INT32/INT64 decimals to Int128.
    static func widenToInt128(_ buffer: Buffer, width: Int, count: Int) -> Buffer {
        Buffer(byteCount: count * 16) { raw in
            let out = raw.bindMemory(to: Int128.self)
            if width == 4 {
                buffer.withUnsafeBufferPointer(as: Int32.self) { source in
                    for i in 0..<count { out[i] = Int128(source[i]) }
                }
            } else {
                buffer.withUnsafeBufferPointer(as: Int64.self) { source in
                    for i in 0..<count { out[i] = Int128(source[i]) }
                }
            }
        }
    }

    /// Julian day of 1970-01-01.
    static let unixEpochJulianDay: Int64 = 2_440_588
    static let nanosecondsPerDay: Int64 = 86_400 * 1_000_000_000

    /// INT96 timestamps (8 bytes of nanoseconds within the day, then a 4-byte Julian day, all
    /// little-endian, the day unsigned) to nanoseconds since the Unix epoch. Out-of-range values
    /// wrap, as in Arrow.
    static func int96ToNanoseconds(_ buffer: Buffer, count: Int) -> Buffer {
        Buffer(byteCount: count * 8) { raw in
            let out = raw.bindMemory(to: Int64.self)
            let source = buffer.baseAddress
            for i in 0..<count {
                let nanos = Int64(littleEndian: source.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
                let day = Int64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self)))
                out[i] = (day &- unixEpochJulianDay) &* nanosecondsPerDay &+ nanos
            }
        }
    }

    /// Big-endian two's complement decimals of fixed width to 16- or 32-byte little-endian storage.
    static func decimalFromBigEndian(
        fixed buffer: Buffer, width: Int, count: Int, precision: Int, type: DataType, descriptor: ColumnDescriptor
    ) throws -> Column {
        let target = type.byteWidth!
        let out = try Buffer(byteCount: count * target) { raw in
            var first = 0
            if target == 16 && width <= 8 {
                // Decimals of up to 18 digits (DECIMAL(15,2) takes 7 bytes): one 8-byte load that
                // ends with the value, shifted and sign-extended; the first values take the slow path.
                let base = buffer.baseAddress
                let shift = UInt64((8 - width) * 8)
                let out = raw.bindMemory(to: Int128.self)
                first = min(count, (8 + width - 1) / width)
                for i in first..<count {
                    let bits = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: (i &+ 1) &* width &- 8, as: UInt64.self))
                    out[i] = Int128(Int64(bitPattern: bits &<< shift) &>> shift)
                }
            } else if target == 16 && width <= 16 {
                // Fast path: load the 16 bytes that end with the value (the bytes before it are
                // shifted out) and sign-extend; values near the buffer start take the slow path.
                let base = buffer.baseAddress
                let shift = (16 - width) * 8
                let out = raw.bindMemory(to: Int128.self)
                first = min(count, (16 + width - 1) / width)
                for i in first..<count {
                    let end = (i + 1) * width
                    let low = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self))
                    let high = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: end - 16, as: UInt64.self))
                    let bits = UInt128(high) << 64 | UInt128(low)
                    out[i] = Int128(truncatingIfNeeded: bits << shift) >> shift
                }
            }
            for i in 0..<(first > 0 ? first : count) {
                try storeBigEndian(UnsafeRawBufferPointer(start: buffer.baseAddress + i * width, count: width),
                                   into: raw.baseAddress! + i * target, width: target, descriptor: descriptor)
            }
        }
        return Column(type: type, count: count, validity: nil, storage: .fixedWidth(out))
    }

    /// BYTE_ARRAY decimals (big-endian, any length) to 16- or 32-byte little-endian storage.
    static func decimalFromBigEndian(
        offsets: Buffer, data: Buffer, count: Int, precision: Int, type: DataType, descriptor: ColumnDescriptor
    ) throws -> Column {
        let target = type.byteWidth!
        let out = try offsets.withUnsafeBufferPointer(as: Int32.self) { off in
            try Buffer(byteCount: count * target) { raw in
                for i in 0..<count {
                    let start = Int(off[i])
                    let bytes = UnsafeRawBufferPointer(start: data.baseAddress + start, count: Int(off[i + 1]) - start)
                    try storeBigEndian(bytes, into: raw.baseAddress! + i * target, width: target, descriptor: descriptor)
                }
            }
        }
        return Column(type: type, count: count, validity: nil, storage: .fixedWidth(out))
    }

    /// Writes the big-endian two's complement integer `bytes` as a `width`-byte little-endian one,
    /// sign-extending; throws when it does not fit.
    private static func storeBigEndian(
        _ bytes: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer, width: Int, descriptor: ColumnDescriptor
    ) throws {
        let negative = bytes.count > 0 && bytes[0] & 0x80 != 0
        let fill: UInt8 = negative ? 0xFF : 0
        var length = bytes.count
        var skip = 0
        // Leading sign-extension bytes beyond the target width carry no information.
        while length > width {
            guard bytes[skip] == fill, (bytes[skip + 1] & 0x80 != 0) == negative else {
                throw ParquetError.corrupt("decimal value of column '\(descriptor.dottedPath)' does not fit \(width * 8) bits")
            }
            skip += 1
            length -= 1
        }
        for j in 0..<width {
            let byte: UInt8 = j < length ? bytes[skip + length - 1 - j] : fill
            destination.storeBytes(of: byte, toByteOffset: j, as: UInt8.self)
        }
    }
}
