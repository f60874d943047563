/// The fixed text around and between the cells of a row or struct value: piece 0 before the first
/// cell, piece `k` between cells `k - 1` and `k`, piece `n` after the last (with no cells, piece 0
/// is all there is). For a JSON object with fields a, b: `{"a":`, `,"b":`, `}`; for a CSV record:
/// ``, `,`, `\n`.
final class RowTemplate {
    let cellCount: Int
    /// Sum of the pieces' lengths: the bytes a row adds to its cells.
    let fixedByteCount: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    /// `cellCount + 2` offsets into `bytes`.
    private let offsets: UnsafeMutablePointer<Int>

    init(pieces: [[UInt8]]) {
        precondition(!pieces.isEmpty, "a row template has at least one piece")
        cellCount = pieces.count - 1
        fixedByteCount = pieces.reduce(0) { $0 + $1.count }
        bytes = .allocate(capacity: max(fixedByteCount, 1))
        offsets = .allocate(capacity: pieces.count + 1)
        var position = 0
        for (k, piece) in pieces.enumerated() {
            offsets[k] = position
            for byte in piece {
                bytes[position] = byte
                position += 1
            }
        }
        offsets[pieces.count] = position
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
    }

    /// A JSON object with `keys` (as JSON strings): `open` (`{`, with anything before it), then
    /// `"a":` cell `,"b":` cell …, then `close` (`}`, with anything after it).
    static func jsonObject(keys: [String], open: String = "{", close: String) -> RowTemplate {
        var pieces: [[UInt8]] = [Array(open.utf8)]
        for (k, key) in keys.enumerated() {
            if k > 0 { pieces.append(Array(",".utf8)) }
            pieces[pieces.count - 1] += jsonString(key) + Array(":".utf8)
        }
        if keys.isEmpty {
            pieces[0] += Array(close.utf8)
        } else {
            pieces.append(Array(close.utf8))
        }
        return RowTemplate(pieces: pieces)
    }

    /// Cells separated by `delimiter`, ending with `terminator`.
    static func delimited(cellCount: Int, delimiter: UInt8, terminator: [UInt8]) -> RowTemplate {
        let pieces: [[UInt8]] = cellCount == 0
            ? [terminator]
            : [[]] + Array(repeating: [delimiter], count: cellCount - 1) + [terminator]
        return RowTemplate(pieces: pieces)
    }

    /// `text` as a JSON string with its quotes.
    static func jsonString(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return [0x22, 0x22] }
        return [UInt8](unsafeUninitializedCapacity: UTF8Text.maxJSONStringByteCount(utf8.count)) { out, count in
            count = utf8.withUnsafeBufferPointer { source in
                UTF8Text.writeJSONString(source.baseAddress!, count: source.count, to: out.baseAddress!)
            }
        }
    }

    /// Writes `cellRange` of `columns` (one `RenderedCells` per cell position) as rows at
    /// `out + position` and returns the new position. When `validity` is given, a row whose bit
    /// `validityOffset + i` is clear is written as `nullText` instead; when `rowEnds` is given, the
    /// end position of row `i` is stored at `rowEnds[i + 1]`.
    ///
    /// The caller has reserved `fixedByteCount` (or the null text, if longer) per row plus the cells'
    /// bytes.
    func write(
        _ columns: UnsafeBufferPointer<RenderedCellsView>, cellRange: Range<Int>,
        validity: UnsafeRawPointer?, validityOffset: Int, nullText: StaticString,
        to out: UnsafeMutablePointer<UInt8>, position start: Int, rowEnds: UnsafeMutablePointer<Int>?
    ) -> Int {
        precondition(columns.count == cellCount, "row template for \(cellCount) cells used with \(columns.count)")
        var position = start
        let pieces = UnsafePointer(bytes)
        let pieceOffsets = UnsafePointer(offsets)
        let firstPiece = pieceOffsets[1] &- pieceOffsets[0]
        let nullBytes = nullText.utf8Start
        let nullCount = nullText.utf8CodeUnitCount
        var rowIndex = 0
        for cell in cellRange {
            if let validity, !Bitmap.isSet(validity, validityOffset &+ rowIndex) {
                copyBytes(out + position, nullBytes, nullCount)
                position &+= nullCount
            } else {
                copyBytes(out + position, pieces, firstPiece)
                position &+= firstPiece
                for k in 0..<columns.count {
                    let column = columns[k]
                    let cellStart = column.offsets[cell]
                    let cellCount = column.offsets[cell &+ 1] &- cellStart
                    copyBytes(out + position, column.bytes + cellStart, cellCount)
                    position &+= cellCount
                    let pieceStart = pieceOffsets[k &+ 1]
                    let pieceCount = pieceOffsets[k &+ 2] &- pieceStart
                    copyBytes(out + position, pieces + pieceStart, pieceCount)
                    position &+= pieceCount
                }
            }
            rowIndex &+= 1
            rowEnds?[rowIndex] = position
        }
        return position
    }
}
