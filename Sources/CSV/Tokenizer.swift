/// Splits CSV bytes into records and fields (RFC 4180 with common leniencies).
///
/// A field is quoted only when its first byte is the quote; inside quotes, `""` is a quote and
/// delimiters and line ends are data. Records end at LF; a CR before the LF is dropped. Unquoted
/// fields are scanned eight bytes at a time for the delimiter and LF, which is where CSV spends its
/// time. Line numbers count every LF, including those inside quoted fields, so that messages name
/// the physical line where a record starts.
struct Tokenizer {
    let delimiter: UInt8
    static let quote: UInt8 = 0x22
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    /// Where tokenizing stopped: the offset of the first byte not used (`count` when everything
    /// was) and the line number there.
    struct Stop {
        var offset: Int
        var line: Int
    }

    /// Tokenizes `count` bytes at `base` into `table`, record by record. When `isFinal` is false the
    /// bytes may end inside a record: tokenizing stops before that record, whose bytes the caller
    /// carries over to the next block.
    /// Offsets stored in `table` are relative to `base - offsetBase` (the start of the table's bytes).
    func tokenize(_ base: UnsafePointer<UInt8>, count: Int, isFinal: Bool, into table: FieldTable, offsetBase: Int = 0) -> Stop {
        // Work on a local copy of the table's arrays (no class access in the loop); store it
        // back however the function returns.
        var arrays = table.arrays
        defer { table.arrays = arrays }
        let delimiter = self.delimiter
        let base32 = Int32(offsetBase)
        var position = 0
        var line = table.firstLine
        arrays.fieldStarts.reserveCapacity(arrays.fieldStarts.count + count / 8)
        arrays.fieldEnds.reserveCapacity(arrays.fieldEnds.count + count / 8)
        arrays.fieldFlags.reserveCapacity(arrays.fieldFlags.count + count / 8)

        @inline(__always)
        func append(_ start: Int32, _ end: Int32, _ flags: UInt8) {
            arrays.fieldStarts.append(start &+ base32)
            arrays.fieldEnds.append(end &+ base32)
            arrays.fieldFlags.append(flags)
        }

        /// Drops the fields of an incomplete last record and says where it starts.
        func abandon(_ fieldMark: Int, _ recordStart: Int, _ line: Int) -> Stop {
            arrays.fieldStarts.truncate(to: fieldMark)
            arrays.fieldEnds.truncate(to: fieldMark)
            arrays.fieldFlags.truncate(to: fieldMark)
            return Stop(offset: recordStart, line: line)
        }

        while position < count {
            let recordStart = position
            let recordLine = line
            let fieldMark = arrays.fieldStarts.count
            var problems: UInt8 = 0
            var complete = false

            fields: while true {
                if position < count && base[position] == Self.quote {
                    // A quoted field: find its closing quote, skipping doubled quotes.
                    let start = position + 1
                    var scan = start
                    var flags = FieldTable.quoted
                    var closing = -1
                    while scan < count {
                        let byte = base[scan]
                        if byte == Self.quote {
                            if scan + 1 < count && base[scan + 1] == Self.quote {
                                flags |= FieldTable.escapedQuotes
                                scan += 2
                                continue
                            }
                            if scan + 1 >= count && !isFinal { break }
                            closing = scan
                            break
                        }
                        if byte == Self.newline { line += 1 }
                        scan += 1
                    }
                    if closing < 0 {
                        guard isFinal else {
                            return abandon(fieldMark, recordStart, recordLine)
                        }
                        // The input ended inside the quotes.
                        append(Int32(start), Int32(count), flags)
                        problems |= RecordProblem.unterminatedQuote
                        position = count
                        complete = true
                        break fields
                    }
                    append(Int32(start), Int32(closing), flags)
                    position = closing + 1
                    // After the closing quote: a delimiter, a line end or the end of the input.
                    while true {
                        if position >= count {
                            guard isFinal else { return abandon(fieldMark, recordStart, recordLine) }
                            complete = true
                            break fields
                        }
                        let byte = base[position]
                        if byte == delimiter {
                            position += 1
                            continue fields
                        }
                        if byte == Self.newline {
                            position += 1
                            line += 1
                            complete = true
                            break fields
                        }
                        if byte == Self.carriageReturn && position + 1 < count && base[position + 1] == Self.newline {
                            position += 2
                            line += 1
                            complete = true
                            break fields
                        }
                        if byte == Self.carriageReturn && position + 1 >= count && !isFinal {
                            return abandon(fieldMark, recordStart, recordLine)
                        }
                        problems |= RecordProblem.textAfterQuote
                        position += 1
                    }
                } else {
                    let start = position
                    let stop = findDelimiterOrNewline(base, from: position, count: count)
                    if stop == count {
                        guard isFinal else { return abandon(fieldMark, recordStart, recordLine) }
                        var end = count
                        if end > start && base[end - 1] == Self.carriageReturn { end -= 1 }
                        append(Int32(start), Int32(end), 0)
                        position = count
                        complete = true
                        break fields
                    }
                    if base[stop] == delimiter {
                        append(Int32(start), Int32(stop), 0)
                        position = stop + 1
                        continue fields
                    }
                    var end = stop
                    if end > start && base[end - 1] == Self.carriageReturn { end -= 1 }
                    append(Int32(start), Int32(end), 0)
                    position = stop + 1
                    line += 1
                    complete = true
                    break fields
                }
            }
            if complete {
                arrays.recordFields.append(Int32(arrays.fieldStarts.count))
                arrays.recordStarts.append(Int32(recordStart) &+ base32)
                arrays.recordEnds.append(Int32(position) &+ base32)
                arrays.recordLines.append(recordLine)
                arrays.recordProblems.append(problems)
            }
        }
        return Stop(offset: count, line: line)
    }

    /// The offset of the first delimiter or LF at or after `from`, or `count`.
    @inline(__always)
    private func findDelimiterOrNewline(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        let newlines = ones &* UInt64(Self.newline)
        var i = from
        let raw = UnsafeRawPointer(base)
        while i &+ 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let a = word ^ delimiters
            let b = word ^ newlines
            // A byte of `a` or `b` is zero where the word holds a delimiter or LF.
            let found = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
            if found != 0 { return i &+ (found.trailingZeroBitCount >> 3) }
            i &+= 8
        }
        while i < count {
            let byte = base[i]
            if byte == delimiter || byte == Self.newline { return i }
            i &+= 1
        }
        return count
    }
}
