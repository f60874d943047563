import Columnar

/// A record left out of the output, or a field set to null, with why: what `--rejects` lists.
public struct RejectedRecord: Sendable {
    public var line: Int
    /// Column name, when the problem is one field.
    public var column: String?
    public var reason: String
    public var raw: String
    /// True when the record was dropped; false when only the field was set to null.
    public var dropped: Bool
}

/// The result of converting one block.
struct ConvertedBlock: Sendable {
    var batch: RecordBatch
    var rejects: [RejectedRecord]
    var nulledFields: Int
}

/// Turns the fields of one block into typed columns, applying the malformed-record policy.
///
/// Runs on worker threads, one block each. Record shapes are checked first (field count, quote
/// problems), which decides the rows; then each column is converted in one typed loop. A value
/// that does not parse either widens the column (inferred types: the reader starts again) or is a
/// malformed value handled by the policy (declared types).
struct BlockConverter {
    let table: FieldTable
    let names: [String]
    let types: [CSVColumnType]
    /// Columns whose type the user gave (never widened).
    let declared: [Bool]
    let policy: MalformedRecordPolicy
    let fileName: String
    /// The block's first record is the header.
    let skipFirstRecord: Bool

    private struct ValueFailure {
        var row: Int
        var column: Int
    }

    func convert() throws -> ConvertedBlock {
        let columnCount = names.count
        var rejects: [RejectedRecord] = []
        // Rows: the first field of each kept record, and its field count when it is short (padded).
        var rowFields: [Int32] = []
        var rowRecords: [Int32] = []
        var shortRows: [Int: Int] = [:]
        rowFields.reserveCapacity(table.recordCount)
        rowRecords.reserveCapacity(table.recordCount)
        for record in (skipFirstRecord ? 1 : 0)..<max(table.recordCount, skipFirstRecord ? 1 : 0) {
            let count = table.fieldCount(ofRecord: record)
            let first = table.recordFields[record]
            let problems = table.recordProblems[record]
            if problems == 0 && count == columnCount {
                rowFields.append(first)
                rowRecords.append(Int32(record))
                continue
            }
            // A blank line: one empty, unquoted field.
            if problems == 0 && count == 1 && columnCount > 1
                && table.fieldEnds[Int(first)] == table.fieldStarts[Int(first)]
                && table.fieldFlags[Int(first)] == 0 {
                continue
            }
            let reason = problems != 0 ? RecordProblem.describe(problems)
                : "expected \(columnCount) fields, found \(count)"
            let keepShort = policy == .null && problems == 0 && count < columnCount
            try handle(record: record, column: nil, reason: reason, dropped: !keepShort, rejects: &rejects)
            if keepShort {
                shortRows[rowFields.count] = count
                rowFields.append(first)
                rowRecords.append(Int32(record))
            }
        }

        var columns: [Column] = []
        var failures: [ValueFailure] = []
        for column in 0..<columnCount {
            columns.append(build(column: column, rowFields: rowFields, shortRows: shortRows, failures: &failures))
        }

        var nulled = 0
        if !failures.isEmpty {
            failures.sort { ($0.row, $0.column) < ($1.row, $1.column) }
            var widened = types
            var widenedName: String?
            for failure in failures where !declared[failure.column] {
                var inference = ColumnTypeInference(startingFrom: widened[failure.column])
                let field = Int(rowFields[failure.row]) + failure.column
                inference.add(fieldBytes(field))
                // Inference and parsing agree by construction; if they ever did not, STRING still
                // guarantees that starting again makes progress.
                widened[failure.column] = inference.type == widened[failure.column] ? .string : inference.type
                widenedName = widenedName ?? names[failure.column]
            }
            if let widenedName {
                throw CSVError.typeWidened(column: widenedName, schema: widened)
            }
            var dropRows = Set<Int>()
            var nullCells: [Int: [Int]] = [:]
            for failure in failures {
                let record = Int(rowRecords[failure.row])
                let field = Int(rowFields[failure.row]) + failure.column
                let value = table.text(ofField: field)
                let reason = "cannot parse \"\(value)\" as \(types[failure.column])"
                try handle(record: record, column: failure.column, reason: reason, dropped: policy == .skip, rejects: &rejects)
                if policy == .skip { dropRows.insert(failure.row) } else { nullCells[failure.column, default: []].append(failure.row) }
            }
            // Failed values are already null in their columns.
            nulled = nullCells.values.reduce(0) { $0 + $1.count }
            if !dropRows.isEmpty {
                let keep = (0..<rowFields.count).filter { !dropRows.contains($0) }.map { Int32($0) }
                let indices = Buffer(copying: keep)
                columns = columns.map { $0.gather(indices: indices, count: keep.count) }
            }
        }
        let fields = zip(names, types).map { Field($0, $1.dataType) }
        let rowCount = columns.first?.count ?? 0
        return ConvertedBlock(batch: RecordBatch(schema: Schema(fields), columns: columns, rowCount: rowCount),
                              rejects: rejects, nulledFields: nulled)
    }

    /// Applies the policy to one problem: throws for `fail`, else records the reject.
    private func handle(record: Int, column: Int?, reason: String, dropped: Bool, rejects: inout [RejectedRecord]) throws {
        let line = table.recordLines[record]
        let raw = table.rawText(ofRecord: record)
        if policy == .fail {
            throw CSVError.malformed(MalformedRecord(
                file: fileName, line: line, column: column.map { (names[$0], $0 + 1) }, reason: reason, raw: raw))
        }
        rejects.append(RejectedRecord(line: line, column: column.map { names[$0] }, reason: reason, raw: raw, dropped: dropped))
    }

    @inline(__always)
    private func fieldBytes(_ field: Int) -> UnsafeRawBufferPointer {
        let start = Int(table.fieldStarts[field])
        return UnsafeRawBufferPointer(start: table.bytes.baseAddress + start, count: Int(table.fieldEnds[field]) - start)
    }

    /// Converts column `column` of every row; fields that do not parse are null and reported.
    private func build(column: Int, rowFields: [Int32], shortRows: [Int: Int], failures: inout [ValueFailure]) -> Column {
        let rows = rowFields.count
        let type = types[column]
        var validity = [Bool](repeating: true, count: rows)
        var nullCount = 0
        let base = table.bytes.baseAddress
        let starts = table.fieldStarts, ends = table.fieldEnds, flags = table.fieldFlags
        let isString = type == .string || type == .unknown

        // Null fields first: empty and unquoted (quoted empty too, except in string columns), or
        // missing from a short row.
        var fieldIndex = [Int32](repeating: 0, count: rows)
        let hasShortRows = !shortRows.isEmpty
        for row in 0..<rows {
            if hasShortRows, let count = shortRows[row], column >= count {
                validity[row] = false
                nullCount += 1
                continue
            }
            let field = Int(rowFields[row]) + column
            fieldIndex[row] = Int32(field)
            if starts[field] == ends[field] && (!isString || flags[field] & FieldTable.quoted == 0) {
                validity[row] = false
                nullCount += 1
            }
        }

        func fail(_ row: Int) {
            validity[row] = false
            nullCount += 1
            failures.append(ValueFailure(row: row, column: column))
        }

        func bytes(_ field: Int) -> UnsafeRawBufferPointer {
            let start = Int(starts[field])
            return UnsafeRawBufferPointer(start: base + start, count: Int(ends[field]) - start)
        }

        let storage: Column.Storage
        switch type {
        case .boolean:
            var bits = [Bool](repeating: false, count: rows)
            for row in 0..<rows where validity[row] {
                if let value = ValueParsers.boolean(bytes(Int(fieldIndex[row]))) { bits[row] = value } else { fail(row) }
            }
            storage = .bits(Bitmap.buffer(from: bits, count: rows))
        case .int32:
            storage = .fixedWidth(Buffer(byteCount: rows * 4) { raw in
                let out = raw.bindMemory(to: Int32.self)
                for row in 0..<rows {
                    out[row] = 0
                    guard validity[row] else { continue }
                    if let value = ValueParsers.int64(bytes(Int(fieldIndex[row]))), let narrow = Int32(exactly: value) {
                        out[row] = narrow
                    } else {
                        fail(row)
                    }
                }
            })
        case .int64:
            storage = .fixedWidth(Buffer(byteCount: rows * 8) { raw in
                let out = raw.bindMemory(to: Int64.self)
                for row in 0..<rows {
                    out[row] = 0
                    guard validity[row] else { continue }
                    if let value = ValueParsers.int64(bytes(Int(fieldIndex[row]))) { out[row] = value } else { fail(row) }
                }
            })
        case .double:
            storage = .fixedWidth(Buffer(byteCount: rows * 8) { raw in
                let out = raw.bindMemory(to: Double.self)
                for row in 0..<rows {
                    out[row] = 0
                    guard validity[row] else { continue }
                    let text = bytes(Int(fieldIndex[row]))
                    if let value = ValueParsers.double(text), ValueParsers.doubleKeepsExactly(text) { out[row] = value } else { fail(row) }
                }
            })
        case .date:
            storage = .fixedWidth(Buffer(byteCount: rows * 4) { raw in
                let out = raw.bindMemory(to: Int32.self)
                for row in 0..<rows {
                    out[row] = 0
                    guard validity[row] else { continue }
                    if let value = ValueParsers.date(bytes(Int(fieldIndex[row]))) { out[row] = value } else { fail(row) }
                }
            })
        case .timestamp(let nanoseconds, let utc):
            storage = .fixedWidth(Buffer(byteCount: rows * 8) { raw in
                let out = raw.bindMemory(to: Int64.self)
                for row in 0..<rows {
                    out[row] = 0
                    guard validity[row] else { continue }
                    let text = bytes(Int(fieldIndex[row]))
                    if let date = ValueParsers.date(text) {
                        // A date in a timestamp column is its midnight (UTC in a zoned column).
                        out[row] = Int64(date) * 86_400 * (nanoseconds ? 1_000_000_000 : 1_000_000)
                    } else if let parsed = ValueParsers.timestamp(text), parsed.hasZone == utc,
                              parsed.fractionDigits <= (nanoseconds ? 9 : 6),
                              let value = parsed.value(nanosecondUnit: nanoseconds) {
                        out[row] = value
                    } else {
                        fail(row)
                    }
                }
            })
        case .unknown:
            // Null everywhere so far: any value means the column needs a type.
            for row in 0..<rows where validity[row] { fail(row) }
            storage = buildStrings(rows: rows, fieldIndex: fieldIndex, validity: validity)
        case .string:
            storage = buildStrings(rows: rows, fieldIndex: fieldIndex, validity: validity)
        }
        let validityBuffer = nullCount == 0 ? nil : Bitmap.buffer(from: validity, count: rows)
        return Column(type: type.dataType, count: rows, validity: validityBuffer, nullCount: nullCount, storage: storage)
    }

    private func buildStrings(rows: Int, fieldIndex: [Int32], validity: [Bool]) -> Column.Storage {
        let starts = table.fieldStarts, ends = table.fieldEnds, flags = table.fieldFlags
        var total = 0
        for row in 0..<rows where validity[row] {
            let field = Int(fieldIndex[row])
            total += Int(ends[field] - starts[field])
        }
        let base = table.bytes.baseAddress
        var offsets = [Int32](repeating: 0, count: rows + 1)
        let data = Buffer(byteCount: total) { raw in
            var position = 0
            let out = raw.baseAddress
            for row in 0..<rows {
                if validity[row] {
                    let field = Int(fieldIndex[row])
                    let start = Int(starts[field])
                    let length = Int(ends[field]) - start
                    if flags[field] & FieldTable.escapedQuotes == 0 {
                        if length > 0 { (out! + position).copyMemory(from: base + start, byteCount: length) }
                        position += length
                    } else {
                        // Collapse doubled quotes while copying.
                        let source = (base + start).assumingMemoryBound(to: UInt8.self)
                        var i = 0
                        while i < length {
                            let byte = source[i]
                            out!.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
                            position += 1
                            i += byte == Tokenizer.quote ? 2 : 1
                        }
                    }
                }
                offsets[row + 1] = Int32(position)
            }
        }
        // Collapsed quotes leave the data shorter than reserved.
        let used = Int(offsets[rows])
        let trimmed = used == total ? data : data.withUnsafeBytes { Buffer(copying: $0.prefix(used)) }
        return .variableWidth(offsets: Buffer(copying: offsets), data: trimmed)
    }
}
