import ArgumentParser
import CSV

/// The options that say how to read CSV input, shared by the commands that read it.
struct CSVOptions: ParsableArguments {
    @Option(help: "Field delimiter: one character, or 'tab' (default: detected among , ; tab |).")
    var delimiter: String?

    @Flag(help: "The first line is data, not column names (default: detected).")
    var noHeader = false

    @Option(help: ArgumentHelp("Column types, e.g. \"id:int64,price:double,day:date\" (boolean, int32, int64, double, date, timestamp, string).",
                               valueName: "name:type,..."))
    var schema: String?

    @Option(help: "Records sampled to infer types before reading (default 20480; for convert, later values still widen types).")
    var sampleRows: Int?

    @Option(help: "Malformed rows: fail (stop, write nothing), skip (drop the row) or null (null the bad field).")
    var onError: MalformedRecordPolicy = .fail

    @Option(help: "Write every rejected row (and nulled field) to this CSV file: line,column,reason,raw.")
    var rejects: String?

    func validate() throws {
        if let sampleRows, sampleRows < 1 { throw ValidationError("--sample-rows must be at least 1") }
        _ = try delimiterByte()
        _ = try declaredTypes()
    }

    func delimiterByte() throws -> UInt8? {
        guard let delimiter else { return nil }
        switch delimiter {
        case "tab", "\\t", "\t": return UInt8(ascii: "\t")
        default:
            guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != UInt8(ascii: "\""),
                  byte != 0x0A, byte != 0x0D else {
                throw ValidationError("--delimiter takes one character (or 'tab'), not '\(delimiter)'")
            }
            return byte
        }
    }

    func declaredTypes() throws -> [(name: String, type: CSVColumnType)] {
        guard let schema else { return [] }
        return try schema.split(separator: ",").map { item in
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--schema entries are name:type, not '\(item)'")
            }
            guard let type = CSVColumnType(name: parts[1]) else {
                throw ValidationError("--schema: unknown type '\(parts[1])' for column '\(parts[0])' (boolean, int32, int64, double, date, timestamp, string)")
            }
            return (parts[0], type)
        }
    }

    /// Options for reading; `defaultSampleRows` applies when `--sample-rows` is not given.
    func readOptions(threads: Int, defaultSampleRows: Int = CSVReadOptions().sampleRows) throws -> CSVReadOptions {
        var options = CSVReadOptions()
        options.delimiter = try delimiterByte()
        if noHeader { options.hasHeader = false }
        for (name, type) in try declaredTypes() { options.declaredTypes[name] = type }
        options.sampleRows = sampleRows ?? defaultSampleRows
        options.onError = onError
        options.threads = threads
        return options
    }
}

extension MalformedRecordPolicy: ExpressibleByArgument {}

extension Substring {
    func trimmingWhitespace() -> String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
