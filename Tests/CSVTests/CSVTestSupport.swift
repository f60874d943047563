import Columnar
import Foundation
@testable import CSV

/// Writes `text` to a temporary file and returns its path.
func temporaryCSV(_ text: String, name: String = "test.csv") throws -> String {
    let path = NSTemporaryDirectory() + "sparrow-csv-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// Reads a CSV file completely (starting again on widening, as `sparrow convert` does) and
/// returns the reader, all batches and all rejects.
func readAll(_ path: String, options: CSVReadOptions = CSVReadOptions()) throws
    -> (reader: CSVReader, batches: [RecordBatch], rejects: [RejectedRecord]) {
    let input = try CSVInput(path: path)
    var types: [CSVColumnType]? = nil
    while true {
        let reader = try CSVReader(input: input, options: options, types: types)
        do {
            let stream = try reader.batches()
            var batches: [RecordBatch] = []
            var rejects: [RejectedRecord] = []
            while let block = try stream.next() {
                batches.append(block.batch)
                rejects += block.rejects
            }
            return (reader, batches, rejects)
        } catch CSVError.typeWidened(_, let widened) {
            types = try reader.inferTypes(startingFrom: widened)
        }
    }
}

/// The rows as JSON Lines, through the same formatter `sparrow scan` uses.
func jsonLines(_ batches: [RecordBatch], schema: Schema) -> String {
    var formatter = JSONLinesFormatter()
    var output = BufferBuilder(capacity: 1024)
    formatter.begin(schema: schema, to: &output)
    for batch in batches { formatter.write(batch, to: &output) }
    formatter.finish(to: &output)
    return output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
}

extension String {
    /// Calls `body` with the UTF-8 bytes of the string.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        var copy = self
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
