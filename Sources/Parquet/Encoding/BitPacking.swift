/// LSB-first bit packing, the layout of the RLE/bit-packed hybrid and DELTA_BINARY_PACKED.
///
/// Value `i` occupies bits `i * bitWidth ..< (i + 1) * bitWidth` of the byte stream, where bit `b` is
/// bit `b % 8` of byte `b / 8` ("The values are packed from the least significant bit of each byte to
/// the most significant bit", Encodings.md). Values are unpacked eight at a time, which is always a
/// whole number of bytes; a switch picks a copy of the group loop in which the width is a constant,
/// so shifts and byte offsets fold and the eight 64-bit loads per group are the only work.
public enum BitPacking {
    /// Bytes holding `valueCount` values of `bitWidth` bits, the last byte padded.
    @inline(__always)
    public static func byteCount(valueCount: Int, bitWidth: Int) -> Int {
        (valueCount &* bitWidth &+ 7) &>> 3
    }

    /// Unpacks `count` values of `bitWidth` bits (0...32) from the start of `input` into `output`.
    ///
    /// Bytes of `input` beyond the packed values are not interpreted but let the fast path read
    /// whole 64-bit words near the end, so pass everything up to the end of the page.
    /// - Precondition: `input.count >= byteCount(valueCount: count, bitWidth: bitWidth)`.
    public static func unpack(
        _ input: UnsafeRawBufferPointer, count: Int, bitWidth: Int, into output: UnsafeMutablePointer<UInt32>
    ) {
        precondition(bitWidth >= 0 && bitWidth <= 32, "bit width \(bitWidth) out of range 0...32")
        precondition(count >= 0 && input.count >= byteCount(valueCount: count, bitWidth: bitWidth),
                     "not enough packed bytes")
        guard count > 0 else { return }
        guard bitWidth > 0 else {
            output.update(repeating: 0, count: count)
            return
        }
        let src = input.baseAddress!
        // Each group reads at most 8 bytes past its own end.
        let groups = count &>> 3
        let fastGroups = groups &* bitWidth &+ 8 <= input.count ? groups : max(0, (input.count &- 8) / bitWidth)
        unpackGroups32(src, output, fastGroups, bitWidth: bitWidth)
        var done = fastGroups &* 8
        var byteOffset = fastGroups &* bitWidth
        while done < count {
            let n = min(8, count &- done)
            withPaddedGroup(input, from: byteOffset, bitWidth: bitWidth) { padded in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 8) { values in
                    unpackGroups32(padded, values.baseAddress!, 1, bitWidth: bitWidth)
                    (output + done).update(from: values.baseAddress!, count: n)
                }
            }
            done &+= n
            byteOffset &+= bitWidth
        }
    }

    /// Unpacks `count` values of `bitWidth` bits (0...64) from the start of `input` into `output`.
    /// - Precondition: `input.count >= byteCount(valueCount: count, bitWidth: bitWidth)`.
    public static func unpack(
        _ input: UnsafeRawBufferPointer, count: Int, bitWidth: Int, into output: UnsafeMutablePointer<UInt64>
    ) {
        precondition(bitWidth >= 0 && bitWidth <= 64, "bit width \(bitWidth) out of range 0...64")
        precondition(count >= 0 && input.count >= byteCount(valueCount: count, bitWidth: bitWidth),
                     "not enough packed bytes")
        guard count > 0 else { return }
        guard bitWidth > 0 else {
            output.update(repeating: 0, count: count)
            return
        }
        let src = input.baseAddress!
        let groups = count &>> 3
        let fastGroups = groups &* bitWidth &+ 8 <= input.count ? groups : max(0, (input.count &- 8) / bitWidth)
        unpackGroups64(src, output, fastGroups, bitWidth: bitWidth)
        var done = fastGroups &* 8
        var byteOffset = fastGroups &* bitWidth
        while done < count {
            let n = min(8, count &- done)
            withPaddedGroup(input, from: byteOffset, bitWidth: bitWidth) { padded in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8) { values in
                    unpackGroups64(padded, values.baseAddress!, 1, bitWidth: bitWidth)
                    (output + done).update(from: values.baseAddress!, count: n)
                }
            }
            done &+= n
            byteOffset &+= bitWidth
        }
    }

    /// Packs the low `bitWidth` bits (0...32) of `count` values into `byteCount(valueCount:bitWidth:)`
    /// bytes at `output`; higher bits of the values are ignored and the last byte is zero-padded.
    public static func pack(
        _ values: UnsafePointer<UInt32>, count: Int, bitWidth: Int, into output: UnsafeMutableRawPointer
    ) {
        precondition(bitWidth >= 0 && bitWidth <= 32, "bit width \(bitWidth) out of range 0...32")
        packValues(values, count: count, bitWidth: bitWidth, into: output)
    }

    /// Packs the low `bitWidth` bits (0...64) of `count` values; see the `UInt32` variant.
    public static func pack(
        _ values: UnsafePointer<UInt64>, count: Int, bitWidth: Int, into output: UnsafeMutableRawPointer
    ) {
        precondition(bitWidth >= 0 && bitWidth <= 64, "bit width \(bitWidth) out of range 0...64")
        packValues(values, count: count, bitWidth: bitWidth, into: output)
    }

    /// Smallest bit width that holds `value`.
    @inline(__always)
    public static func bitWidth(of value: UInt64) -> Int { 64 &- value.leadingZeroBitCount }

    /// Reads the single value of `bitWidth` bits (0...64) that starts at bit `bitOffset` of `input`.
    /// - Precondition: the value lies inside `input` (`bitOffset + bitWidth <= input.count * 8`).
    @inline(__always)
    public static func value(in input: UnsafeRawBufferPointer, atBit bitOffset: Int, bitWidth: Int) -> UInt64 {
        guard bitWidth > 0 else { return 0 }
        let byte = bitOffset &>> 3
        let shift = UInt64(bitOffset & 7)
        let base = input.baseAddress!
        var word: UInt64
        if byte &+ 8 <= input.count {
            word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) &>> shift
            if Int(shift) &+ bitWidth > 64 {
                word |= UInt64(base.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< (64 &- shift)
            }
        } else {
            // Near the end: gather the bytes that exist (at most 8, so no straddle).
            word = 0
            for k in 0..<(input.count &- byte) {
                word |= UInt64(base.load(fromByteOffset: byte &+ k, as: UInt8.self)) &<< UInt64(k &* 8)
            }
            word &>>= shift
        }
        return bitWidth == 64 ? word : word & ((1 &<< UInt64(bitWidth)) &- 1)
    }

    // MARK: - Implementation

    /// Calls `body` with a zero-padded copy of the group of `bitWidth` bytes at `offset` (fewer when
    /// the input ends inside the group), with enough room after it for the fast group loop.
    @inline(__always)
    static func withPaddedGroup(
        _ input: UnsafeRawBufferPointer, from offset: Int, bitWidth: Int, _ body: (UnsafeRawPointer) -> Void
    ) {
        withUnsafeTemporaryAllocation(byteCount: 80, alignment: 8) { scratch in
            scratch.initializeMemory(as: UInt8.self, repeating: 0)
            let available = min(bitWidth, input.count &- offset)
            if available > 0 {
                scratch.baseAddress!.copyMemory(from: input.baseAddress! + offset, byteCount: available)
            }
            body(UnsafeRawPointer(scratch.baseAddress!))
        }
    }

    /// Unpacks `groups` groups of 8 values; `src` must be readable for `groups * bitWidth + 8` bytes.
    static func unpackGroups32(
        _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt32>, _ groups: Int, bitWidth: Int
    ) {
        guard groups > 0 else { return }
        switch bitWidth {
        case 0: dst.update(repeating: 0, count: groups &* 8)
        case 1: unpackGroups32(src, dst, groups, 1)
        case 2: unpackGroups32(src, dst, groups, 2)
        case 3: unpackGroups32(src, dst, groups, 3)
        case 4: unpackGroups32(src, dst, groups, 4)
        case 5: unpackGroups32(src, dst, groups, 5)
        case 6: unpackGroups32(src, dst, groups, 6)
        case 7: unpackGroups32(src, dst, groups, 7)
        case 8: unpackGroups32(src, dst, groups, 8)
        case 9: unpackGroups32(src, dst, groups, 9)
        case 10: unpackGroups32(src, dst, groups, 10)
        case 11: unpackGroups32(src, dst, groups, 11)
        case 12: unpackGroups32(src, dst, groups, 12)
        case 13: unpackGroups32(src, dst, groups, 13)
        case 14: unpackGroups32(src, dst, groups, 14)
        case 15: unpackGroups32(src, dst, groups, 15)
        case 16: unpackGroups32(src, dst, groups, 16)
        case 17: unpackGroups32(src, dst, groups, 17)
        case 18: unpackGroups32(src, dst, groups, 18)
        case 19: unpackGroups32(src, dst, groups, 19)
        case 20: unpackGroups32(src, dst, groups, 20)
        case 21: unpackGroups32(src, dst, groups, 21)
        case 22: unpackGroups32(src, dst, groups, 22)
        case 23: unpackGroups32(src, dst, groups, 23)
        case 24: unpackGroups32(src, dst, groups, 24)
        case 25: unpackGroups32(src, dst, groups, 25)
        case 26: unpackGroups32(src, dst, groups, 26)
        case 27: unpackGroups32(src, dst, groups, 27)
        case 28: unpackGroups32(src, dst, groups, 28)
        case 29: unpackGroups32(src, dst, groups, 29)
        case 30: unpackGroups32(src, dst, groups, 30)
        case 31: unpackGroups32(src, dst, groups, 31)
        case 32: unpackGroups32(src, dst, groups, 32)
        default: preconditionFailure("bit width out of range")
        }
    }

    static func unpackGroups64(
        _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt64>, _ groups: Int, bitWidth: Int
    ) {
        guard groups > 0 else { return }
        switch bitWidth {
        case 0: dst.update(repeating: 0, count: groups &* 8)
        case 1: unpackGroups64(src, dst, groups, 1)
        case 2: unpackGroups64(src, dst, groups, 2)
        case 3: unpackGroups64(src, dst, groups, 3)
        case 4: unpackGroups64(src, dst, groups, 4)
        case 5: unpackGroups64(src, dst, groups, 5)
        case 6: unpackGroups64(src, dst, groups, 6)
        case 7: unpackGroups64(src, dst, groups, 7)
        case 8: unpackGroups64(src, dst, groups, 8)
        case 9: unpackGroups64(src, dst, groups, 9)
        case 10: unpackGroups64(src, dst, groups, 10)
        case 11: unpackGroups64(src, dst, groups, 11)
        case 12: unpackGroups64(src, dst, groups, 12)
        case 13: unpackGroups64(src, dst, groups, 13)
        case 14: unpackGroups64(src, dst, groups, 14)
        case 15: unpackGroups64(src, dst, groups, 15)
        case 16: unpackGroups64(src, dst, groups, 16)
        case 17: unpackGroups64(src, dst, groups, 17)
        case 18: unpackGroups64(src, dst, groups, 18)
        case 19: unpackGroups64(src, dst, groups, 19)
        case 20: unpackGroups64(src, dst, groups, 20)
        case 21: unpackGroups64(src, dst, groups, 21)
        case 22: unpackGroups64(src, dst, groups, 22)
        case 23: unpackGroups64(src, dst, groups, 23)
        case 24: unpackGroups64(src, dst, groups, 24)
        case 25: unpackGroups64(src, dst, groups, 25)
        case 26: unpackGroups64(src, dst, groups, 26)
        case 27: unpackGroups64(src, dst, groups, 27)
        case 28: unpackGroups64(src, dst, groups, 28)
        case 29: unpackGroups64(src, dst, groups, 29)
        case 30: unpackGroups64(src, dst, groups, 30)
        case 31: unpackGroups64(src, dst, groups, 31)
        case 32: unpackGroups64(src, dst, groups, 32)
        case 33: unpackGroups64(src, dst, groups, 33)
        case 34: unpackGroups64(src, dst, groups, 34)
        case 35: unpackGroups64(src, dst, groups, 35)
        case 36: unpackGroups64(src, dst, groups, 36)
        case 37: unpackGroups64(src, dst, groups, 37)
        case 38: unpackGroups64(src, dst, groups, 38)
        case 39: unpackGroups64(src, dst, groups, 39)
        case 40: unpackGroups64(src, dst, groups, 40)
        case 41: unpackGroups64(src, dst, groups, 41)
        case 42: unpackGroups64(src, dst, groups, 42)
        case 43: unpackGroups64(src, dst, groups, 43)
        case 44: unpackGroups64(src, dst, groups, 44)
        case 45: unpackGroups64(src, dst, groups, 45)
        case 46: unpackGroups64(src, dst, groups, 46)
        case 47: unpackGroups64(src, dst, groups, 47)
        case 48: unpackGroups64(src, dst, groups, 48)
        case 49: unpackGroups64(src, dst, groups, 49)
        case 50: unpackGroups64(src, dst, groups, 50)
        case 51: unpackGroups64(src, dst, groups, 51)
        case 52: unpackGroups64(src, dst, groups, 52)
        case 53: unpackGroups64(src, dst, groups, 53)
        case 54: unpackGroups64(src, dst, groups, 54)
        case 55: unpackGroups64(src, dst, groups, 55)
        case 56: unpackGroups64(src, dst, groups, 56)
        case 57: unpackGroups64(src, dst, groups, 57)
        case 58: unpackGroups64(src, dst, groups, 58)
        case 59: unpackGroups64(src, dst, groups, 59)
        case 60: unpackGroups64(src, dst, groups, 60)
        case 61: unpackGroups64(src, dst, groups, 61)
        case 62: unpackGroups64(src, dst, groups, 62)
        case 63: unpackGroups64(src, dst, groups, 63)
        case 64: unpackGroups64(src, dst, groups, 64)
        default: preconditionFailure("bit width out of range")
        }
    }

    /// The group loop, inlined into each case of the switch with `width` a literal.
    @inline(__always)
    static func unpackGroups32(
        _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt32>, _ groups: Int, _ width: Int
    ) {
        let mask: UInt64 = (1 &<< UInt64(width)) &- 1
        var src = src
        var dst = dst
        for _ in 0..<groups {
            for i in 0..<8 {
                let bit = i &* width
                let word = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
                dst[i] = UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
            }
            src += width
            dst += 8
        }
    }

    @inline(__always)
    static func unpackGroups64(
        _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt64>, _ groups: Int, _ width: Int
    ) {
        let mask: UInt64 = width == 64 ? ~0 : (1 &<< UInt64(width)) &- 1
        var src = src
        var dst = dst
        for _ in 0..<groups {
            for i in 0..<8 {
                let bit = i &* width
                let byte = bit &>> 3
                let shift = bit & 7
                var value = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) &>> UInt64(shift)
                if shift &+ width > 64 {
                    // The value straddles nine bytes.
                    value |= UInt64(src.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< UInt64(64 &- shift)
                }
                dst[i] = value & mask
            }
            src += width
            dst += 8
        }
    }

    @inline(__always)
    static func packValues<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafePointer<T>, count: Int, bitWidth: Int, into output: UnsafeMutableRawPointer
    ) {
        guard bitWidth > 0 && count > 0 else { return }
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 &<< UInt64(bitWidth)) &- 1
        var accumulator: UInt64 = 0
        var filled = 0
        var out = 0
        for i in 0..<count {
            let value = UInt64(truncatingIfNeeded: values[i]) & mask
            accumulator |= value &<< UInt64(filled)
            filled &+= bitWidth
            if filled >= 64 {
                output.storeBytes(of: accumulator.littleEndian, toByteOffset: out, as: UInt64.self)
                out &+= 8
                filled &-= 64
                // The bits of `value` that did not fit start the next word.
                accumulator = filled == 0 ? 0 : value &>> UInt64(bitWidth &- filled)
            }
        }
        while filled > 0 {
            output.storeBytes(of: UInt8(truncatingIfNeeded: accumulator), toByteOffset: out, as: UInt8.self)
            accumulator &>>= 8
            out &+= 1
            filled &-= 8
        }
    }
}
