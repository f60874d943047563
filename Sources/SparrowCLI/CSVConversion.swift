#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import CSV
import Parquet

/// `sparrow convert` from CSV: read blocks of records as batches and write them to Parquet.
///
/// When a value does not fit the type the sample suggested, the reader stops; the conversion then
/// infers the types of the whole input and starts again, so every value keeps its exact text.
struct CSVConversion {
    let command: ConvertCommand

    /// Converts; returns the rows written, the summary of what was written and the note for the
    /// summary ("; M rows rejected").
    func run() throws -> (rows: Int, written: String, note: String) {
        let input = try CSVInput(path: command.input)
        let options = try command.csv.readOptions(threads: command.threads)
        var types: [CSVColumnType]? = nil
        for _ in 0..<16 {
            let reader = try CSVReader(input: input, options: options, types: types)
            do {
                return try convert(reader, input: input)
            } catch CSVError.typeWidened(let column, let widened) {
                if !command.quiet {
                    StandardError.write("column '\(column)' holds values the sample did not show; checking the whole input and starting again\n")
                }
                types = try reader.inferTypes(startingFrom: widened)
            }
        }
        throw CSVError.invalidArgument("\(input.displayName): the column types kept changing; give them with --schema")
    }

    private func convert(_ reader: CSVReader, input: CSVInput) throws -> (rows: Int, written: String, note: String) {
        let stream = try reader.batches()
        let writer = try ConversionOutput(command: command, schema: reader.schema, properties: command.writerProperties)
        let rejects = try command.csv.rejects.map { try RejectsFile(path: $0) }
        let progress = ProgressBar(total: input.size ?? 0, unit: "bytes", quiet: command.quiet || input.size == nil)
        var rows = 0
        var dropped = 0
        var nulled = 0
        let written: String
        do {
            while let block = try stream.next() {
                try writer.write(block.batch)
                rows += block.batch.rowCount
                nulled += block.nulledFields
                dropped += block.droppedRows
                try rejects?.write(block.rejects)
                progress.update(input.bytesRead, rows: rows)
            }
            written = try writer.finish()
            try rejects?.close()
        } catch {
            writer.abort()
            rejects?.abort()
            progress.finish()
            throw error
        }
        progress.finish()
        var note = "; \(dropped) row\(dropped == 1 ? "" : "s") rejected"
        if nulled > 0 { note += ", \(nulled) field\(nulled == 1 ? "" : "s") set to null" }
        return (rows, written, note)
    }
}

/// The `--rejects` file: one CSV row per rejected record or nulled field, written under a temporary
/// name and moved into place when the conversion succeeds.
final class RejectsFile {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".sparrow-\(getpid()).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CSVError.io(path: path, detail: "cannot create the rejects file: \(String(cString: strerror(errno)))")
        }
        try write(text: "line,column,reason,raw\n")
    }

    deinit { abort() }

    func write(_ records: [RejectedRecord]) throws {
        guard !records.isEmpty else { return }
        var text = ""
        for record in records {
            text += "\(record.line),\(Self.quoted(record.column ?? "")),\(Self.quoted(record.reason)),\(Self.quoted(record.raw))\n"
        }
        try write(text: text)
    }

    /// RFC 4180 quoting, only where needed.
    static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func write(text: String) throws {
        var text = text
        try text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CSVError.io(path: path, detail: "cannot write the rejects file: \(String(cString: strerror(errno)))")
                }
                done += n
            }
        }
    }

    func close() throws {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            throw CSVError.io(path: path, detail: "cannot move the rejects file into place: \(String(cString: strerror(errno)))")
        }
    }

    func abort() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
