import Foundation
import Testing

/// `sparrow scan DIR` and `sparrow sql --table t=DIR` over the Hive-partitioned datasets that Spark,
/// DuckDB and pyarrow wrote (Fixtures/datasets; see its README). The answers in
/// Fixtures/datasets/expected/*.json are DuckDB's over the source rows, reproduced by DuckDB's and
/// Spark's reading of each dataset (tools/fixtures/make_dataset_fixtures.py).
@Suite struct PeerDatasetCLITests {
    static let root = SparrowProcess.repositoryRoot.appendingPathComponent("Fixtures/datasets")
    static let datasets = ["spark_sales", "spark_years", "duckdb_sales", "pyarrow_sales", "spark_evolving"]

    struct Expected: Decodable {
        struct Query: Decodable {
            let sql: String
            let rows: [[Cell]]
        }

        let conf: [String: String]
        let rows: Int
        let queries: [Query]
    }

    /// A value as the fixtures spell it: integers and doubles as numbers, decimals and dates as text.
    enum Cell: Decodable, Equatable, CustomStringConvertible {
        case null
        case number(Double)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        /// Whether the CSV field Sparrow printed is this value: null is the empty field, numbers are
        /// compared by value, text (decimals with their scale, dates) exactly.
        func matches(csvField field: String) -> Bool {
            switch self {
            case .null: field.isEmpty
            case .number(let value): Double(field) == value
            case .text(let text): field == text
            }
        }

        /// Whether the JSON value Sparrow printed in `--format jsonl` is this value; decimals are JSON
        /// numbers there, so text that is a number is compared by value.
        func matches(json value: Any) -> Bool {
            switch self {
            case .null: value is NSNull
            case .number(let expected): (value as? NSNumber)?.doubleValue == expected
            case .text(let text):
                if let number = value as? NSNumber { Double(text) == number.doubleValue } else { value as? String == text }
            }
        }

        var description: String {
            switch self {
            case .null: "null"
            case .number(let v): v.description
            case .text(let s): "\"\(s)\""
            }
        }
    }

    static func expected(_ dataset: String) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: root.appendingPathComponent("expected/\(dataset).json")))
    }

    static func path(_ dataset: String) -> String { root.appendingPathComponent(dataset).path }

    static func confArguments(_ expected: Expected) -> [String] {
        expected.conf.sorted { $0.key < $1.key }.flatMap { ["--conf", "\($0.key)=\($0.value)"] }
    }

    /// The fields of one RFC 4180 record without line breaks inside quotes (the fixtures have none).
    static func csvFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var afterClosingQuote = false
        for c in line {
            if quoted {
                if c == "\"" { quoted = false; afterClosingQuote = true } else { field.append(c) }
                continue
            }
            if c == "\"" {
                if afterClosingQuote { field.append("\"") }  // "" inside a quoted field
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
            afterClosingQuote = false
        }
        fields.append(field)
        return fields
    }

    /// Every expected query through `sparrow sql --table t=DIR --format csv`.
    @Test(arguments: datasets)
    func sqlWithTableOptionMatchesPeers(dataset: String) throws {
        let expected = try Self.expected(dataset)
        for query in expected.queries {
            let result = try SparrowProcess.run(["sql", "--table", "t=\(Self.path(dataset))", "--format", "csv"]
                                                    + Self.confArguments(expected) + [query.sql], timeout: 120)
            #expect(result.status == 0, "\(dataset): \(query.sql): \(result.stderr)")
            let records = result.stdout.split(separator: "\n").dropFirst().map(Self.csvFields)
            #expect(records.count == query.rows.count, "\(dataset): \(query.sql)")
            for (index, (record, row)) in zip(records, query.rows).enumerated() {
                let same = record.count == row.count && zip(row, record).allSatisfy { $0.matches(csvField: $1) }
                #expect(same, "\(dataset): \(query.sql): row \(index) is \(record), expected \(row)")
                if !same { break }
            }
        }
    }

    /// `sparrow scan DIR --format jsonl` prints every row: compared with the expected rows of the
    /// query that selects them all, by the first column (an order id), in order.
    @Test(arguments: datasets)
    func scanOfTheDirectoryPrintsEveryRow(dataset: String) throws {
        let expected = try Self.expected(dataset)
        let result = try SparrowProcess.run(["scan", Self.path(dataset), "--format", "jsonl"], timeout: 120)
        try #require(result.status == 0, "\(dataset): \(result.stderr)")
        let objects = try result.stdout.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == expected.rows)
        guard let all = expected.queries.first(where: { $0.sql.hasPrefix("SELECT order_id,") }) else { return }
        let columns = all.sql.dropFirst("SELECT ".count).components(separatedBy: " FROM ")[0].components(separatedBy: ", ")
        // Without mergeSchema (scan has no --conf) the evolving dataset's columns may lack `discount`.
        let present = columns.filter { objects.first?[$0] != nil }
        #expect(present.count == columns.count || dataset == "spark_evolving")
        let sorted = objects.sorted { ($0["order_id"] as? NSNumber)?.intValue ?? 0 < ($1["order_id"] as? NSNumber)?.intValue ?? 0 }
        for (index, (object, row)) in zip(sorted, all.rows).enumerated() {
            let same = zip(columns, row).allSatisfy { name, cell in !present.contains(name) || cell.matches(json: object[name] ?? NSNull()) }
            #expect(same, "\(dataset): row \(index) is \(object), expected \(row) for \(columns)")
            if !same { break }
        }
    }

    /// `scan --where` on an escaped partition value; the count is that region's in the per-region query.
    @Test(arguments: ["spark_sales", "duckdb_sales", "pyarrow_sales"])
    func scanWhereOnAnEscapedRegion(dataset: String) throws {
        let expected = try Self.expected(dataset)
        let perRegion = try #require(expected.queries.first { $0.sql.hasPrefix("SELECT region, count(*)") })
        let group = try #require(perRegion.rows.first { $0[0] == .text("SALE 50%") })
        let result = try SparrowProcess.run(["scan", Self.path(dataset), "--where", "region = 'SALE 50%'", "--format", "null"])
        try #require(result.status == 0, "\(result.stderr)")
        guard case .number(let count) = group[1] else { Issue.record("no count in \(group)"); return }
        #expect(result.stdout == "\(Int(count)) rows\n")
    }
}
