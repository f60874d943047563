import Columnar
import Testing
@testable import Parquet

/// Locations of test data: the repository's Fixtures and the Apache parquet-testing suite.
enum TestData {
    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    static var fixtures: String { repositoryRoot + "/Fixtures" }

    /// `../shared/parquet-testing` beside the repository, or `$PARQUET_TESTING`.
    static var parquetTesting: String {
        if let custom = getenv("PARQUET_TESTING").map({ String(cString: $0) }) { return custom }
        return repositoryRoot + "/../shared/parquet-testing"
    }

    /// The `.parquet` files of parquet-testing's `data` (or `bad_data`) folder. Fails the test with
    /// a message saying where the suite should be when it is missing.
    static func parquetTestingFiles(_ folder: String) throws -> [String] {
        let directory = parquetTesting + "/" + folder
        guard let handle = opendir(directory) else {
            Issue.record("the Apache parquet-testing files are missing: expected them in \(directory) (set PARQUET_TESTING to their location)")
            return []
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".parquet") { names.append(directory + "/" + name) }
        }
        return names.sorted()
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        let file = try RandomAccessFile(path: path)
        return try file.read(offset: 0, count: file.size).withUnsafeBytes { Array($0) }
    }

    /// A fresh path in the temporary directory.
    static func temporaryPath(_ name: String) -> String {
        "/tmp/sparrow-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Reads every batch of `path` (or of the given fields) and renders the rows as JSON Lines.
func jsonLines(of reader: ParquetFileReader, fields: [Int]? = nil) throws -> String {
    let batches = try reader.batches(fields: fields)
    var formatter = JSONLinesFormatter()
    var output = BufferBuilder(capacity: 4096)
    formatter.begin(schema: batches.schema, to: &output)
    while let batch = try batches.next() { formatter.write(batch, to: &output) }
    formatter.finish(to: &output)
    return output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
}
