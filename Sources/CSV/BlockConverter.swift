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
    var droppedRows: Int
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
        var firstShapeProblem: (record: Int, reason: String)?
        var droppedRecords = 0
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
            if policy == .fail {
                // Report it only after the rows before it, which may hold an earlier problem.
                firstShapeProblem = (record, reason)
                break
            }
            let keepShort = policy == .null && problems == 0 && count < columnCount
            try handle(record: record, column: nil, reason: reason, dropped: !keepShort, rejects: &rejects)
            if !keepShort { droppedRecords += 1 }
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
        var droppedRows = 0
        if let (record, reason) = firstShapeProblem, failures.isEmpty {
            try handle(record: record, column: nil, reason: reason, dropped: true, rejects: &rejects)
        }
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
            droppedRows = dropRows.count
            if !dropRows.isEmpty {
                let keep = (0..<rowFields.count).filter { !dropRows.contains($0) }.map { Int32($0) }
                let indices = Buffer(copying: keep)
                columns = columns.map { $0.gather(indices: indices, count: keep.count) }
            }
        }
        // Shape problems are found before value problems; report both in input order.
        rejects.sort { $0.line < $1.line }
        let fields = zip(names, types).map { Field($0, $1.dataType) }
        let rowCount = columns.first?.count ?? 0
        return ConvertedBlock(batch: RecordBatch(schema: Schema(fields), columns: columns, rowCount: rowCount),
                              rejects: rejects, droppedRows: droppedRecords + droppedRows, nulledFields: nulled)
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
    ///
    /// One pass per column with the type chosen outside the loop: null test, parse, store.
    private func build(column: Int, rowFields: [Int32], shortRows: [Int: Int], failures: inout [ValueFailure]) -> Column {
        let rows = rowFields.count
        let type = types[column]
        let isString = type == .string || type == .unknown
        let validityBytes = Bitmap.byteCount(forBits: rows)
        let validity = UnsafeMutableRawPointer.allocate(byteCount: max(validityBytes, 1), alignment: 64)
        validity.initializeMemory(as: UInt8.self, repeating: 0, count: validityBytes)
        defer { validity.deallocate() }
        var present = 0
        let base = UnsafeRawPointer(table.bytes.baseAddress)
        let starts = table.fieldStarts.base, ends = table.fieldEnds.base, flags = table.fieldFlags.base
        var failed: [Int] = []

        // The field of each row (-1 when a short row lacks it), and which are null: empty and
        // unquoted (quoted empty too, except in string columns).
        let fields = UnsafeMutablePointer<Int32>.allocate(capacity: max(rows, 1))
        defer { fields.deallocate() }
        rowFields.withUnsafeBufferPointer { first in
            let hasShortRows = !shortRows.isEmpty
            for row in 0..<rows {
                if hasShortRows, let count = shortRows[row], column >= count {
                    fields[row] = -1
                    continue
                }
                let field = first[row] &+ Int32(column)
                fields[row] = field
                let f = Int(field)
                if starts[f] != ends[f] || (isString && flags[f] & FieldTable.quoted != 0) {
                    Bitmap.set(validity, row)
                    present &+= 1
                }
            }
        }

        @inline(__always) func text(_ row: Int) -> UnsafeRawBufferPointer {
            let f = Int(fields[row])
            let start = Int(starts[f])
            return UnsafeRawBufferPointer(start: base + start, count: Int(ends[f]) &- start)
        }

        let storage: Column.Storage
        switch type {
        case .boolean:
            let bits = Buffer(byteCount: validityBytes) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for row in 0..<rows where Bitmap.isSet(validity, row) {
                    switch ValueParsers.boolean(text(row)) {
                    case true?: Bitmap.set(raw.baseAddress!, row)
                    case false?: break
                    case nil: failed.append(row)
                    }
                }
            }
            storage = .bits(bits)
        case .int32:
            storage = .fixedWidth(fill(Int32Parser(), rows: rows, validity: validity, fields: fields, failed: &failed))
        case .int64:
            storage = .fixedWidth(fill(Int64Parser(), rows: rows, validity: validity, fields: fields, failed: &failed))
        case .double:
            storage = .fixedWidth(fill(DoubleParser(), rows: rows, validity: validity, fields: fields, failed: &failed))
        case .date:
            storage = .fixedWidth(fill(DateParser(), rows: rows, validity: validity, fields: fields, failed: &failed))
        case .timestamp(let nanoseconds, let utc):
            storage = .fixedWidth(fill(TimestampParser(nanoseconds: nanoseconds, utc: utc), rows: rows, validity: validity,
                                       fields: fields, failed: &failed))
        case .unknown:
            // Null everywhere so far: any value means the column needs a type.
            for row in 0..<rows where Bitmap.isSet(validity, row) { failed.append(row) }
            storage = .variableWidth(offsets: Buffer(zeroedByteCount: (rows + 1) * 4), data: Buffer(zeroedByteCount: 0))
        case .string:
            storage = buildStrings(rows: rows, fields: fields, validity: validity)
        }
        for row in failed {
            Bitmap.clear(validity, row)
            present -= 1
            failures.append(ValueFailure(row: row, column: column))
        }
        let validityBuffer = present == rows ? nil
            : Buffer(byteCount: validityBytes) { $0.copyMemory(from: UnsafeRawBufferPointer(start: validity, count: validityBytes)) }
        return Column(type: type.dataType, count: rows, validity: validityBuffer, nullCount: rows - present, storage: storage)
    }

    /// Parses the present rows of a fixed-width column with `parser` (specialised per parser type,
    /// so the loop calls it directly); rows that do not parse are listed in `failed`.
    private func fill<P: FieldParser>(
        _ parser: P, rows: Int, validity: UnsafeMutableRawPointer, fields: UnsafeMutablePointer<Int32>, failed: inout [Int]
    ) -> Buffer {
        let base = UnsafeRawPointer(table.bytes.baseAddress)
        let starts = table.fieldStarts.base, ends = table.fieldEnds.base
        return Buffer(byteCount: rows * MemoryLayout<P.Value>.size) { raw in
            let out = raw.baseAddress!.assumingMemoryBound(to: P.Value.self)
            for row in 0..<rows {
                guard Bitmap.isSet(validity, row) else {
                    out[row] = P.zero
                    continue
                }
                let f = Int(fields[row])
                let start = Int(starts[f])
                let text = UnsafeRawBufferPointer(start: base + start, count: Int(ends[f]) &- start)
                if let value = parser.parse(text) {
                    out[row] = value
                } else {
                    out[row] = P.zero
                    failed.append(row)
                }
            }
        }
    }

    private func buildStrings(rows: Int, fields: UnsafeMutablePointer<Int32>, validity: UnsafeMutableRawPointer) -> Column.Storage {
        let starts = table.fieldStarts.base, ends = table.fieldEnds.base, flags = table.fieldFlags.base
        var total = 0
        for row in 0..<rows where Bitmap.isSet(validity, row) {
            let field = Int(fields[row])
            total &+= Int(ends[field] &- starts[field])
        }
        let base = UnsafeRawPointer(table.bytes.baseAddress)
        let offsets = Buffer(byteCount: (rows + 1) * 4) { $0.initializeMemory(as: UInt8.self, repeating: 0) }
        let offset = offsets.baseAddress.assumingMemoryBound(to: Int32.self)
        let data = Buffer(byteCount: total) { raw in
            var position = 0
            let out = raw.baseAddress
            for row in 0..<rows {
                if Bitmap.isSet(validity, row) {
                    let field = Int(fields[row])
                    let start = Int(starts[field])
                    let length = Int(ends[field]) &- start
                    if flags[field] & FieldTable.escapedQuotes == 0 {
                        if length > 0 { (out! + position).copyMemory(from: base + start, byteCount: length) }
                        position &+= length
                    } else {
                        // Collapse doubled quotes while copying.
                        let source = (base + start).assumingMemoryBound(to: UInt8.self)
                        var i = 0
                        while i < length {
                            let byte = source[i]
                            out!.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
                            position &+= 1
                            i &+= byte == Tokenizer.quote ? 2 : 1
                        }
                    }
                }
                offset[row + 1] = Int32(truncatingIfNeeded: position)
            }
        }
        // Collapsed quotes leave the data shorter than reserved.
        let used = Int(offset[rows])
        let trimmed = used == total ? data : data.withUnsafeBytes { Buffer(copying: $0.prefix(used)) }
        return .variableWidth(offsets: offsets, data: trimmed)
    }
}

/// Parses a field's text into a fixed-width value; nil when it does not parse.
protocol FieldParser {
    associatedtype Value: BitwiseCopyable
    static var zero: Value { get }
    func parse(_ text: UnsafeRawBufferPointer) -> Value?
}

struct Int32Parser: FieldParser {
    static let zero: Int32 = 0
    @inline(__always)
    func parse(_ text: UnsafeRawBufferPointer) -> Int32? {
        ValueParsers.int64(text).flatMap { Int32(exactly: $0) }
    }
}

struct Int64Parser: FieldParser {
    static let zero: Int64 = 0
    @inline(__always)
    func parse(_ text: UnsafeRawBufferPointer) -> Int64? { ValueParsers.int64(text) }
}

struct DoubleParser: FieldParser {
    static let zero: Double = 0
    @inline(__always)
    func parse(_ text: UnsafeRawBufferPointer) -> Double? {
        guard let value = ValueParsers.double(text), ValueParsers.doubleKeepsExactly(text) else { return nil }
        return value
    }
}

struct DateParser: FieldParser {
    static let zero: Int32 = 0
    @inline(__always)
    func parse(_ text: UnsafeRawBufferPointer) -> Int32? { ValueParsers.date(text) }
}

/// Timestamps in one unit; a date alone is its midnight (UTC in a zoned column).
struct TimestampParser: FieldParser {
    static let zero: Int64 = 0
    let nanoseconds: Bool
    let utc: Bool

    @inline(__always)
    func parse(_ text: UnsafeRawBufferPointer) -> Int64? {
        if let date = ValueParsers.date(text) {
            return Int64(date) * 86_400 * (nanoseconds ? 1_000_000_000 : 1_000_000)
        }
        guard let parsed = ValueParsers.timestamp(text), parsed.hasZone == utc,
              parsed.fractionDigits <= (nanoseconds ? 9 : 6) else { return nil }
        return parsed.value(nanosecondUnit: nanoseconds)
    }
}
