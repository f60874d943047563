/// Writes the text of one fixed-width value.
///
/// A renderer picks one conforming writer per column and batch, from the column's type, and runs
/// its loop generic over the writer, so the loop is specialised for the type: no dispatch per value.
protocol FixedWidthCellWriter {
    /// Most bytes `write` produces for one value.
    var maxByteCount: Int { get }
    /// Writes the value whose bytes start at `value` and returns the number of bytes written.
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int
}

/// int8…int64.
struct SignedIntegerCellWriter<Value: FixedWidthInteger & SignedInteger & BitwiseCopyable>: FixedWidthCellWriter {
    var maxByteCount: Int { 20 }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        DecimalText.write(Int64(Value(littleEndian: value.loadUnaligned(as: Value.self))), to: out)
    }
}

/// uint8…uint64.
struct UnsignedIntegerCellWriter<Value: FixedWidthInteger & UnsignedInteger & BitwiseCopyable>: FixedWidthCellWriter {
    var maxByteCount: Int { 20 }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        DecimalText.write(UInt64(Value(littleEndian: value.loadUnaligned(as: Value.self))), to: out)
    }
}

/// float16: the shortest digits that round-trip at half precision (`0.1`, not `0.099975586`).
struct Float16CellWriter: FixedWidthCellWriter {
    let quoteSpecials: Bool
    var maxByteCount: Int { FloatText.maxByteCount }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let bits = UInt16(littleEndian: value.loadUnaligned(as: UInt16.self))
        return FloatText.write(Float16(bitPattern: bits), quoteSpecials: quoteSpecials, to: out)
    }
}

struct Float32CellWriter: FixedWidthCellWriter {
    let quoteSpecials: Bool
    var maxByteCount: Int { FloatText.maxByteCount }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let bits = UInt32(littleEndian: value.loadUnaligned(as: UInt32.self))
        return FloatText.write(Float(bitPattern: bits), quoteSpecials: quoteSpecials, to: out)
    }
}

struct Float64CellWriter: FixedWidthCellWriter {
    let quoteSpecials: Bool
    var maxByteCount: Int { FloatText.maxByteCount }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let bits = UInt64(littleEndian: value.loadUnaligned(as: UInt64.self))
        return FloatText.write(Double(bitPattern: bits), quoteSpecials: quoteSpecials, to: out)
    }
}

/// decimal(p, s): 16-byte (p ≤ 38) or 32-byte two's complement, exactly `s` fraction digits.
struct DecimalCellWriter: FixedWidthCellWriter {
    let wordCount: Int
    let scale: Int
    var maxByteCount: Int { DecimalText.maxDecimalByteCount(scale: scale) }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if wordCount == 2 {
            // Fast path: values that fit in an Int64 skip the wide division.
            let low = UInt64(littleEndian: value.loadUnaligned(as: UInt64.self))
            let high = UInt64(littleEndian: value.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            if scale == 0 && high == UInt64(bitPattern: Int64(bitPattern: low) >> 63) {
                return DecimalText.write(Int64(bitPattern: low), to: out)
            }
        }
        return DecimalText.writeDecimal(words: value, wordCount: wordCount, scale: scale, to: out)
    }
}

/// date32: `YYYY-MM-DD`.
struct DateCellWriter: FixedWidthCellWriter {
    let quoted: Bool
    var maxByteCount: Int { DateText.maxDateByteCount + 2 }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let days = Int64(Int32(littleEndian: value.loadUnaligned(as: Int32.self)))
        guard quoted else { return DateText.writeDate(days: days, to: out) }
        out[0] = UInt8(ascii: "\"")
        let count = DateText.writeDate(days: days, to: out + 1)
        out[count &+ 1] = UInt8(ascii: "\"")
        return count &+ 2
    }
}

/// time(unit): `HH:MM:SS.fff`; `Int32` for milliseconds, `Int64` otherwise.
struct TimeCellWriter: FixedWidthCellWriter {
    let unit: TimeUnit
    let quoted: Bool
    var maxByteCount: Int { 40 }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let units = unit == .milliseconds
            ? Int64(Int32(littleEndian: value.loadUnaligned(as: Int32.self)))
            : Int64(littleEndian: value.loadUnaligned(as: Int64.self))
        guard quoted else { return DateText.writeTime(units, unit: unit, to: out) }
        out[0] = UInt8(ascii: "\"")
        let count = DateText.writeTime(units, unit: unit, to: out + 1)
        out[count &+ 1] = UInt8(ascii: "\"")
        return count &+ 2
    }
}

/// timestamp(unit, utc): `YYYY-MM-DDTHH:MM:SS.fff[Z]`.
struct TimestampCellWriter: FixedWidthCellWriter {
    let unit: TimeUnit
    let utc: Bool
    let quoted: Bool
    var maxByteCount: Int { DateText.maxTimestampByteCount + 2 }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let units = Int64(littleEndian: value.loadUnaligned(as: Int64.self))
        guard quoted else { return DateText.writeTimestamp(units, unit: unit, utc: utc, to: out) }
        out[0] = UInt8(ascii: "\"")
        let count = DateText.writeTimestamp(units, unit: unit, utc: utc, to: out + 1)
        out[count &+ 1] = UInt8(ascii: "\"")
        return count &+ 2
    }
}

/// uuid: 16 big-endian bytes as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lowercase.
struct UUIDCellWriter: FixedWidthCellWriter {
    let quoted: Bool
    var maxByteCount: Int { 38 }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        if quoted { out[0] = UInt8(ascii: "\""); o = 1 }
        for i in 0..<16 {
            if i == 4 || i == 6 || i == 8 || i == 10 {
                out[o] = UInt8(ascii: "-")
                o &+= 1
            }
            let byte = value.load(fromByteOffset: i, as: UInt8.self)
            out[o] = UTF8Text.hexDigit(byte &>> 4)
            out[o &+ 1] = UTF8Text.hexDigit(byte & 0xF)
            o &+= 2
        }
        if quoted { out[o] = UInt8(ascii: "\""); o &+= 1 }
        return o
    }
}

/// interval: `{"months":m,"days":d,"milliseconds":ms}` in every style (it has no flat spelling).
struct IntervalCellWriter: FixedWidthCellWriter {
    var maxByteCount: Int { 80 }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        @inline(__always) func text(_ s: StaticString) {
            out.advanced(by: o).update(from: s.utf8Start, count: s.utf8CodeUnitCount)
            o &+= s.utf8CodeUnitCount
        }
        @inline(__always) func number(_ offset: Int) {
            let n = UInt32(littleEndian: value.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            o &+= DecimalText.write(UInt64(n), to: out + o)
        }
        text("{\"months\":")
        number(0)
        text(",\"days\":")
        number(4)
        text(",\"milliseconds\":")
        number(8)
        text("}")
        return o
    }
}

/// fixed_size_binary(n): base64.
struct FixedSizeBinaryCellWriter: FixedWidthCellWriter {
    let width: Int
    let quoted: Bool
    /// Writes an empty value (width 0) as `""` (CSV, where an empty field is null).
    let quotesEmpty: Bool
    var maxByteCount: Int { Base64.encodedCount(width) &+ 2 }

    @inline(__always)
    func write(_ value: UnsafeRawPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let source = value.assumingMemoryBound(to: UInt8.self)
        guard quoted || (quotesEmpty && width == 0) else { return Base64.encode(source, count: width, to: out) }
        out[0] = UInt8(ascii: "\"")
        let count = Base64.encode(source, count: width, to: out + 1)
        out[count &+ 1] = UInt8(ascii: "\"")
        return count &+ 2
    }
}
