import Columnar
import Foundation
import Testing
@testable import Parquet

/// Locates committed fixtures and the shared parquet-testing checkout, and reads footers.
enum TestData {
    /// The repository root, found from this file's path (Tests/ParquetTests/TestData.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }

    /// apache/parquet-testing: `$PARQUET_TESTING`, or the copy in Fixtures/parquet-testing.
    static let parquetTesting: URL = {
        if let custom = ProcessInfo.processInfo.environment["PARQUET_TESTING"] {
            return URL(fileURLWithPath: custom)
        }
        return repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent("parquet-testing")
    }()

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// A directory of parquet-testing (`data`, `bad_data`), or an error saying where the
    /// checkout should be.
    static func parquetTestingDirectory(_ name: String) throws -> URL {
        let url = parquetTesting.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Missing(description: """
                parquet-testing data not found: expected a checkout of https://github.com/apache/parquet-testing \
                at \(parquetTesting.path) (Fixtures/parquet-testing in the repository, or set \
                PARQUET_TESTING), with its \(name)/ directory at \(url.path)
                """)
        }
        return url
    }

    /// The .parquet files of a parquet-testing directory, sorted by name.
    static func parquetFiles(in name: String) throws -> [URL] {
        let directory = try parquetTestingDirectory(name)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "parquet" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Paths of the .parquet files of a parquet-testing directory, for parameterised tests; empty
    /// when the suite is missing (`ParquetTestingTests.suiteIsPresent` then fails with the reason).
    static func parquetFilePaths(in name: String) -> [String] {
        ((try? parquetFiles(in: name)) ?? []).map(\.path)
    }

    static func bytes(of url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// The footer of a file: the `length` bytes before its last 8 (`length` as 4 bytes
    /// little-endian, then "PAR1").
    static func footer(of file: [UInt8]) throws -> [UInt8] {
        guard file.count >= 12 else { throw ParquetError.corrupt("file of \(file.count) bytes is too short") }
        guard file.suffix(4) == Array("PAR1".utf8) else { throw ParquetError.corrupt("no PAR1 magic at the end") }
        let n = file.count
        let length = Int(UInt32(file[n - 8]) | UInt32(file[n - 7]) << 8 | UInt32(file[n - 6]) << 16
                         | UInt32(file[n - 5]) << 24)
        guard length <= n - 12 else {
            throw ParquetError.corrupt("footer length \(length) exceeds the file's \(n) bytes")
        }
        return Array(file[(n - 8 - length)..<(n - 8)])
    }

    static func decodeFooter(_ footer: [UInt8]) throws -> FileMetaData {
        try footer.withUnsafeBytes { try FileMetaData.decode($0) }
    }

    /// A fresh path in the temporary directory.
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "sparrow-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// Reads every batch of a file (or of the given fields) and renders the rows as JSON Lines.
func jsonLines(of reader: ParquetFileReader, fields: [Int]? = nil) throws -> String {
    let batches = try reader.batches(fields: fields)
    var formatter = JSONLinesFormatter()
    var output = BufferBuilder(capacity: 4096)
    formatter.begin(schema: batches.schema, to: &output)
    while let batch = try batches.next() { formatter.write(batch, to: &output) }
    formatter.finish(to: &output)
    return output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
}
