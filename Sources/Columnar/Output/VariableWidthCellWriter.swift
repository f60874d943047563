/// Writes the text of one variable-width value (string or binary bytes); the counterpart of
/// `FixedWidthCellWriter` for offsets + data storage.
protocol VariableWidthCellWriter {
    /// Most bytes `write` produces for a value of `length` bytes.
    func maxByteCount(_ length: Int) -> Int
    func write(_ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>) -> Int
}

/// Text as a JSON string.
struct JSONStringCellWriter: VariableWidthCellWriter {
    @inline(__always)
    func maxByteCount(_ length: Int) -> Int { UTF8Text.maxJSONStringByteCount(length) }

    @inline(__always)
    func write(_ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        UTF8Text.writeJSONString(source, count: count, to: out)
    }
}

/// Text as a CSV field; bytes pass through unchanged.
struct CSVFieldCellWriter: VariableWidthCellWriter {
    let delimiter: UInt8

    @inline(__always)
    func maxByteCount(_ length: Int) -> Int { CSVText.maxFieldByteCount(length) }

    @inline(__always)
    func write(_ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        CSVText.writeField(source, count: count, delimiter: delimiter, to: out)
    }
}

/// Text for a table cell.
struct DisplayTextCellWriter: VariableWidthCellWriter {
    @inline(__always)
    func maxByteCount(_ length: Int) -> Int { UTF8Text.maxDisplayTextByteCount(length) }

    @inline(__always)
    func write(_ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        UTF8Text.writeDisplayText(source, count: count, to: out)
    }
}

/// Binary as base64, quoted for JSON.
struct Base64CellWriter: VariableWidthCellWriter {
    let quoted: Bool
    /// Writes an empty value as `""` (CSV, where an empty field is null).
    let quotesEmpty: Bool

    @inline(__always)
    func maxByteCount(_ length: Int) -> Int { Base64.encodedCount(length) &+ 2 }

    @inline(__always)
    func write(_ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard quoted || (quotesEmpty && count == 0) else { return Base64.encode(source, count: count, to: out) }
        out[0] = UInt8(ascii: "\"")
        let written = Base64.encode(source, count: count, to: out + 1)
        out[written &+ 1] = UInt8(ascii: "\"")
        return written &+ 2
    }
}
