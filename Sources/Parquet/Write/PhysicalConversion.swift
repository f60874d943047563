import Columnar

/// Converts the non-null values of a Sparrow column to dense Parquet physical values for writing:
/// the inverse of `PhysicalValues.column(of:descriptor:)`.
enum PhysicalConversion {
    static func dense(_ column: Column, as leaf: LeafWriteType) throws -> PhysicalValues {
        let source = column.materialized()
        let present = source.count - source.nullCount
        switch source.storage {
        case .bits(let bits):
            let out = source.validity == nil ? bits : compactBits(bits, validity: source.validity!, count: source.count, present: present)
            return .bits(out, count: present)

        case .variableWidth(let offsets, let data):
            if case .decimal = source.type { preconditionFailure("decimals are fixed width") }
            if source.validity == nil { return .variableWidth(offsets: offsets, data: data, count: present) }
            return compactVariable(offsets: offsets, data: data, validity: source.validity!, count: source.count, present: present)

        case .fixedWidth(let buffer):
            let width = source.type.byteWidth!
            let dense = source.validity == nil ? buffer
                : compactFixed(buffer, width: width, validity: source.validity!, count: source.count, present: present)
            switch (source.type, leaf.physicalType) {
            case (.int8, _): return .fixedWidth(widen(dense, present, Int8.self), width: 4, count: present)
            case (.int16, _): return .fixedWidth(widen(dense, present, Int16.self), width: 4, count: present)
            case (.uint8, _): return .fixedWidth(widen(dense, present, UInt8.self), width: 4, count: present)
            case (.uint16, _): return .fixedWidth(widen(dense, present, UInt16.self), width: 4, count: present)
            case (.decimal, .int32):
                return .fixedWidth(try narrowDecimal(dense, present, width: width, Int32.self), width: 4, count: present)
            case (.decimal, .int64):
                return .fixedWidth(try narrowDecimal(dense, present, width: width, Int64.self), width: 8, count: present)
            case (.decimal, .fixedLenByteArray):
                let length = leaf.typeLength!
                return .fixedWidth(try decimalToBigEndian(dense, present, width: width, length: length),
                                   width: length, count: present)
            default:
                return .fixedWidth(dense, width: width, count: present)
            }

        case .list, .structure, .dictionary:
            preconditionFailure("\(source.type) is not a leaf column")
        }
    }

    private static func compactFixed(_ buffer: Buffer, width: Int, validity: Buffer, count: Int, present: Int) -> Buffer {
        Buffer(byteCount: present * width) { raw in
            var next = 0
            let bits = validity.baseAddress
            for i in 0..<count where Bitmap.isSet(bits, i) {
                (raw.baseAddress! + next * width).copyMemory(from: buffer.baseAddress + i * width, byteCount: width)
                next += 1
            }
        }
    }

    private static func compactBits(_ values: Buffer, validity: Buffer, count: Int, present: Int) -> Buffer {
        Buffer(byteCount: Bitmap.byteCount(forBits: present)) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            var next = 0
            for i in 0..<count where Bitmap.isSet(validity.baseAddress, i) {
                if Bitmap.isSet(values.baseAddress, i) { Bitmap.set(raw.baseAddress!, next) }
                next += 1
            }
        }
    }

    private static func compactVariable(offsets: Buffer, data: Buffer, validity: Buffer, count: Int, present: Int) -> PhysicalValues {
        offsets.withUnsafeBufferPointer(as: Int32.self) { off in
            var newOffsets = [Int32]()
            newOffsets.reserveCapacity(present + 1)
            newOffsets.append(0)
            var bytes = BufferBuilder(capacity: Int(off[count] - off[0]) + 1)
            for i in 0..<count where Bitmap.isSet(validity.baseAddress, i) {
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: data.baseAddress + Int(off[i]), count: Int(off[i + 1] - off[i])))
                newOffsets.append(Int32(bytes.count))
            }
            return .variableWidth(offsets: Buffer(copying: newOffsets), data: bytes.finish(), count: present)
        }
    }

    private static func widen<T: FixedWidthInteger & BitwiseCopyable>(_ buffer: Buffer, _ count: Int, _: T.Type) -> Buffer {
        buffer.withUnsafeBufferPointer(as: T.self) { source in
            Buffer(byteCount: count * 4) { raw in
                let out = raw.bindMemory(to: Int32.self)
                // Sign-extends signed sources and zero-extends unsigned ones, as the spec asks.
                for i in 0..<count { out[i] = Int32(truncatingIfNeeded: source[i]) }
            }
        }
    }

    private static func narrowDecimal<T: FixedWidthInteger & BitwiseCopyable>(_ buffer: Buffer, _ count: Int, width: Int, _: T.Type) throws -> Buffer {
        precondition(width == 16, "decimals of precision <= 18 are stored in 16 bytes")
        return try buffer.withUnsafeBufferPointer(as: Int128.self) { source in
            try Buffer(byteCount: count * MemoryLayout<T>.size) { raw in
                let out = raw.bindMemory(to: T.self)
                for i in 0..<count {
                    guard let value = T(exactly: source[i]) else {
                        throw ParquetError.invalidArgument("decimal value \(source[i]) does not fit its declared precision")
                    }
                    out[i] = value
                }
            }
        }
    }

    /// Little-endian 16/32-byte two's complement to big-endian of `length` bytes.
    private static func decimalToBigEndian(_ buffer: Buffer, _ count: Int, width: Int, length: Int) throws -> Buffer {
        try Buffer(byteCount: count * length) { raw in
            let source = buffer.baseAddress
            for i in 0..<count {
                let value = source + i * width
                let negative = value.load(fromByteOffset: width - 1, as: UInt8.self) & 0x80 != 0
                // The bytes dropped must be pure sign extension.
                for j in length..<max(length, width) {
                    let byte = value.load(fromByteOffset: j, as: UInt8.self)
                    guard byte == (negative ? 0xFF : 0) else {
                        throw ParquetError.invalidArgument("decimal value does not fit \(length) bytes")
                    }
                }
                let out = raw.baseAddress! + i * length
                for j in 0..<length {
                    let byte: UInt8 = j < width ? value.load(fromByteOffset: j, as: UInt8.self) : (negative ? 0xFF : 0)
                    out.storeBytes(of: byte, toByteOffset: length - 1 - j, as: UInt8.self)
                }
            }
        }
    }
}
