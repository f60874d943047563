#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Reads a CSV input as record batches: detects the dialect, infers column types, and converts
/// blocks of records to typed columns on several threads.
///
/// Types are inferred from a sample. A later value that does not fit makes the stream fail with
/// `CSVError.typeWidened`; the caller then asks `inferTypes(startingFrom:)` for the types of the
/// whole input and reads again with them (`CSVReader(input:options:types:)`), so that no value is
/// ever truncated or rounded.
public final class CSVReader: @unchecked Sendable {
    public let input: CSVInput
    public let options: CSVReadOptions
    public let delimiter: UInt8
    public let hasHeader: Bool
    public let names: [String]
    public let types: [CSVColumnType]
    /// Columns whose type the user declared.
    public let declared: [Bool]

    /// Bytes sniffed for the dialect.
    static let dialectSampleBytes = 1 << 20

    public var schema: Schema {
        Schema(zip(names, types).map { Field($0, $1.dataType) })
    }

    /// Opens `input`, detects its dialect and infers (or takes) its column types.
    public init(input: CSVInput, options: CSVReadOptions, types knownTypes: [CSVColumnType]? = nil) throws {
        self.input = input
        self.options = options
        let sample = try Self.readPrefix(input, bytes: Self.dialectSampleBytes)
        delimiter = options.delimiter ?? DialectSniffer.delimiter(sample: sample)
        let sampleTable = sample.tokenize(delimiter: delimiter)
        guard sampleTable.recordCount > 0 else {
            throw CSVError.invalidArgument("\(input.displayName): the input is empty")
        }
        if let given = options.schemaByPosition {
            hasHeader = options.hasHeader ?? DialectSniffer.hasHeader(sampleTable)
            names = given.map(\.name)
            declared = Array(repeating: true, count: given.count)
            types = given.map(\.type)
            return
        }
        hasHeader = options.hasHeader ?? DialectSniffer.hasHeader(sampleTable)
        let columns = sampleTable.fieldCount(ofRecord: 0)
        if hasHeader {
            let first = Int(sampleTable.recordFields[0])
            names = DialectSniffer.names(header: (0..<columns).map { sampleTable.text(ofField: first + $0) })
        } else {
            names = (0..<columns).map { "column\($0)" }
        }
        var declared = [Bool](repeating: false, count: columns)
        var initial = [CSVColumnType](repeating: .unknown, count: columns)
        for (name, type) in options.declaredTypes {
            guard let index = names.firstIndex(of: name) else {
                throw CSVError.invalidArgument("--schema names column '\(name)', but \(input.displayName) has: \(names.joined(separator: ", "))")
            }
            declared[index] = true
            initial[index] = type
        }
        self.declared = declared
        if let knownTypes {
            precondition(knownTypes.count == columns, "types for another shape")
            types = knownTypes
        } else {
            types = try Self.sampleTypes(input: input, delimiter: delimiter, hasHeader: hasHeader, columns: columns,
                                         initial: initial, declared: declared, sampleRows: options.sampleRows)
        }
    }

    /// The first `bytes` bytes of the (decompressed) input.
    private static func readPrefix(_ input: CSVInput, bytes limit: Int) throws -> FieldTableSample {
        let source = try input.open()
        var bytes = [UInt8](repeating: 0, count: limit)
        var used = 0
        var atEnd = false
        while used < limit {
            let n = try bytes.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[used...])) }
            if n == 0 { atEnd = true; break }
            used += n
        }
        return FieldTableSample(bytes: Array(bytes[0..<used]), isComplete: atEnd)
    }

    /// Infers types from the first `sampleRows` records and, for an uncompressed file, from
    /// chunks spread through it.
    private static func sampleTypes(
        input: CSVInput, delimiter: UInt8, hasHeader: Bool, columns: Int, initial: [CSVColumnType],
        declared: [Bool], sampleRows: Int
    ) throws -> [CSVColumnType] {
        var inferences = initial.map { ColumnTypeInference(startingFrom: $0) }
        let blocks = BlockTokenizer(source: try input.open(), delimiter: delimiter, blockSize: 1 << 22)
        var seen = 0
        var skipHeader = hasHeader
        let wanted = sampleRows.addingReportingOverflow(hasHeader ? 1 : 0).overflow ? Int.max : sampleRows + (hasHeader ? 1 : 0)
        while seen < wanted, let table = try blocks.next() {
            seen += table.recordCount
            observe(table, columns: columns, declared: declared, skipFirst: skipHeader, limit: sampleRows, into: &inferences)
            skipHeader = false
        }
        if input.compression == .none, let size = input.size, size > 8 << 20 {
            for chunk in 1...8 {
                let table = try sampleChunk(path: input.filePath, at: size / 9 * chunk, bytes: 1 << 17, delimiter: delimiter)
                observe(table, columns: columns, declared: declared, skipFirst: true, limit: Int.max, into: &inferences)
            }
        }
        return inferences.map(\.type)
    }

    /// Records of a chunk at `offset`, starting after the first line end (the chunk may start in
    /// the middle of a record; records that come out with the wrong shape are ignored).
    private static func sampleChunk(path: String, at offset: Int, bytes: Int, delimiter: UInt8) throws -> FieldTable {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CSVError.io(path: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var raw = [UInt8](repeating: 0, count: bytes)
        let n = raw.withUnsafeMutableBytes { pread(fd, $0.baseAddress, bytes, off_t(offset)) }
        guard n > 0 else { return FieldTable(bytes: Buffer(copying: [UInt8]()), firstLine: 1) }
        let chunk = raw[0..<n]
        guard let newline = chunk.firstIndex(of: Tokenizer.newline) else {
            return FieldTable(bytes: Buffer(copying: [UInt8]()), firstLine: 1)
        }
        let sample = FieldTableSample(bytes: Array(chunk[(newline + 1)...]), isComplete: false)
        return sample.tokenize(delimiter: delimiter)
    }

    /// Folds the well-shaped records of `table` into the inferences.
    private static func observe(
        _ table: FieldTable, columns: Int, declared: [Bool], skipFirst: Bool, limit: Int,
        into inferences: inout [ColumnTypeInference]
    ) {
        let base = table.bytes.baseAddress
        var used = 0
        for record in (skipFirst ? 1 : 0)..<table.recordCount {
            guard used < limit else { break }
            guard table.fieldCount(ofRecord: record) == columns, table.recordProblems[record] == 0 else { continue }
            used += 1
            let first = Int(table.recordFields[record])
            for column in 0..<columns where !declared[column] {
                let field = first + column
                let start = Int(table.fieldStarts[field])
                let end = Int(table.fieldEnds[field])
                // Empty fields are null in typed columns (quoted or not).
                if start == end { continue }
                inferences[column].add(UnsafeRawBufferPointer(start: base + start, count: end - start))
            }
        }
    }

    /// The types of the whole input, starting from `types` (one pass over all of it).
    public func inferTypes(startingFrom types: [CSVColumnType]) throws -> [CSVColumnType] {
        var inferences = types.map { ColumnTypeInference(startingFrom: $0) }
        let blocks = BlockTokenizer(source: try input.open(), delimiter: delimiter, blockSize: options.blockSize)
        var skipHeader = hasHeader
        while let table = try blocks.next() {
            Self.observe(table, columns: names.count, declared: declared, skipFirst: skipHeader, limit: Int.max,
                         into: &inferences)
            skipHeader = false
        }
        return inferences.map(\.type)
    }

    /// Starts reading the records as batches.
    public func batches() throws -> CSVBatchStream {
        try CSVBatchStream(reader: self)
    }
}
