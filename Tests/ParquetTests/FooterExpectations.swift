import Foundation
import Testing
@testable import Parquet

/// Fixtures/footers/expected.json, written by tools/fixtures/make_footer_expectations.py from
/// what pyarrow and DuckDB report about each file. Missing keys mean "not set".
struct FooterExpectations: Decodable {
    var generator: String
    var files: [File]

    struct File: Decodable, Sendable, CustomTestStringConvertible {
        var file: String
        /// "parquet-testing/data" or "Fixtures/footers".
        var directory: String
        var footerLength: Int
        var version: Int32
        var numRows: Int64
        var numRowGroups: Int
        var createdBy: String?
        var keyValueMetadata: [KeyValuePair]
        var columnOrders: [String]?
        var schema: [Element]
        var leafPaths: [String]
        var rowGroups: [Group]
        /// Per row group, per column name: the pages the fixture's data implies.
        var pageIndex: [[String: [Page]]]?

        var testDescription: String { file }

        /// Where the file is: in parquet-testing or among the committed fixtures.
        func url() throws -> URL {
            if directory == "Fixtures/footers" { return TestData.fixture("footers/\(file)") }
            return try TestData.parquetTestingDirectory("data").appendingPathComponent(file)
        }
    }

    struct KeyValuePair: Decodable, Sendable, Equatable {
        var key: String
        var value: String?
    }

    struct Element: Decodable, Sendable {
        var name: String
        var type: String?
        var typeLength: Int32?
        var repetitionType: String?
        var numChildren: Int32?
        var convertedType: String?
        var scale: Int32?
        var precision: Int32?
        var fieldId: Int32?
        var logicalType: Logical?
    }

    struct Logical: Decodable, Sendable {
        var kind: String
        var bitWidth: Int8?
        var isSigned: Bool?
        var isAdjustedToUTC: Bool?
        var unit: String?
        var scale: Int32?
        var precision: Int32?
    }

    struct Group: Decodable, Sendable {
        var numRows: Int64
        var totalByteSize: Int64
        var totalCompressedSize: Int64?
        var sortingColumns: [Sorting]
        var columns: [Chunk]
    }

    struct Sorting: Decodable, Sendable, Equatable {
        var columnIdx: Int32
        var descending: Bool
        var nullsFirst: Bool
    }

    struct Chunk: Decodable, Sendable {
        var pathInSchema: String
        var physicalType: String
        var codec: String
        var numValues: Int64
        var totalCompressedSize: Int64
        var totalUncompressedSize: Int64
        var dataPageOffset: Int64
        var dictionaryPageOffset: Int64?
        var indexPageOffset: Int64?
        var encodings: [String]
        var encodingStats: [EncodingStat]?
        /// DuckDB shows it only when the row group has its own file_offset.
        var fileOffset: Int64?
        var bloomFilterOffset: Int64?
        var bloomFilterLength: Int32?
        var columnIndexOffset: Int64?
        var columnIndexLength: Int32?
        var offsetIndexOffset: Int64?
        var offsetIndexLength: Int32?
        /// pyarrow's statistics: bounds as hex of their PLAIN bytes, or "NaN".
        var statistics: Stats?
        var duckdbStatistics: DuckDBStats
    }

    struct EncodingStat: Decodable, Sendable {
        var pageType: String
        var encoding: String
        var count: Int32
    }

    struct Stats: Decodable, Sendable {
        var nullCount: Int64?
        var distinctCount: Int64?
        var min: String?
        var max: String?
    }

    struct DuckDBStats: Decodable, Sendable {
        var showsMin: Bool
        var showsMax: Bool
        var showsMinValue: Bool
        var showsMaxValue: Bool
        var nullCount: Int64?
        var distinctCount: Int64?
        var isMinValueExact: Bool?
        var isMaxValueExact: Bool?
        var nanCount: Int64?
    }

    struct Page: Decodable, Sendable {
        var firstRowIndex: Int64
        var nullCount: Int64
        var nullPage: Bool
        var min: String
        var max: String
    }

    static let url = TestData.fixture("footers/expected.json")

    static func load() throws -> FooterExpectations {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(FooterExpectations.self, from: Data(contentsOf: url))
    }

    /// The files, for parameterised tests; empty if the JSON cannot be read, which
    /// `FileMetaDataTests.expectationsCoverEveryFile` reports as a failure.
    static let files: [File] = (try? load().files) ?? []
}
