import Foundation

/// One file of the SQL logic test corpus (`Fixtures/sql/*.slt`), parsed into records.
///
/// The format is sqllogictest's, as Fixtures/sql/README.md describes it: records separated by blank
/// lines, `#` comment lines between them, and four kinds of record:
///
///     statement ok              statement error PART && PART
///     SQL…                      SQL…
///
///     query ITR rowsort         query error PART && PART
///     SQL…                      SQL…
///     ----
///     1<TAB>foo<TAB>2.5
///
/// A file whose first line is `# skip: reason` is parsed but not run. Values are kept exactly as
/// written (no trimming): `' padded '` ends a row with a space.
struct SQLLogicFile {
    /// The letter of a result column: how its values are compared.
    enum ColumnType: Character, Sendable {
        /// An integer, compared exactly.
        case integer = "I"
        /// A double or decimal, compared as numbers (`SQLLogicValues.matches`).
        case real = "R"
        /// Anything else (strings, dates, timestamps, booleans), compared exactly.
        case text = "T"
    }

    enum SortMode: Sendable, Equatable {
        /// The query orders its rows totally; they are compared in order.
        case none
        /// Both sides are sorted before comparing.
        case rows
    }

    struct Record: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            case statementOK
            /// The statement must fail with a message containing every part.
            case statementError(expected: [String])
            case query(types: [ColumnType], sort: SortMode, expected: [[String]])
            /// The query must fail with a message containing every part.
            case queryError(expected: [String])
        }

        let kind: Kind
        let sql: String
        /// The 1-based line of the record's header in its file.
        let line: Int
    }

    struct ParseError: Error, CustomStringConvertible {
        let file: String
        let line: Int
        let message: String
        var description: String { "\(file):\(line): \(message)" }
    }

    let name: String
    /// The reason from a first line `# skip: reason`, or nil when the file runs.
    let skipReason: String?
    let records: [Record]

    static func load(_ url: URL) throws -> SQLLogicFile {
        try SQLLogicFile(name: url.lastPathComponent, text: String(contentsOf: url, encoding: .utf8))
    }

    init(name: String, text: String) throws {
        self.name = name
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let skipPrefix = "# skip:"
        if let first = lines.first, first.hasPrefix(skipPrefix) {
            skipReason = first.dropFirst(skipPrefix.count).trimmingCharacters(in: .whitespaces)
        } else {
            skipReason = nil
        }
        var records: [Record] = []
        var index = 0
        func fail(_ message: String, at line: Int) -> ParseError {
            ParseError(file: name, line: line, message: message)
        }
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) {
                index += 1
                continue
            }
            let headerLine = index + 1
            let header = try Header(line, fail: { fail($0, at: headerLine) })
            index += 1
            var sql: [String] = []
            while index < lines.count, !lines[index].allSatisfy(\.isWhitespace), lines[index] != "----" {
                sql.append(lines[index])
                index += 1
            }
            guard !sql.isEmpty else { throw fail("no SQL after '\(line)'", at: headerLine) }
            let hasResult = index < lines.count && lines[index] == "----"
            if hasResult {
                guard case .query = header else {
                    throw fail("only 'query TYPES' records have a '----' result block", at: headerLine)
                }
            }
            let kind: Record.Kind
            switch header {
            case .statementOK: kind = .statementOK
            case .statementError(let parts): kind = .statementError(expected: parts)
            case .queryError(let parts): kind = .queryError(expected: parts)
            case .query(let types, let sort):
                guard hasResult else { throw fail("a query needs a '----' line after its SQL", at: headerLine) }
                index += 1
                var rows: [[String]] = []
                while index < lines.count, !lines[index].isEmpty {
                    let row = lines[index].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                    guard row.count == types.count else {
                        throw fail("\(row.count) values in a row of a query with \(types.count) columns", at: index + 1)
                    }
                    rows.append(row)
                    index += 1
                }
                kind = .query(types: types, sort: sort, expected: rows)
            }
            records.append(Record(kind: kind, sql: sql.joined(separator: "\n"), line: headerLine))
        }
        self.records = records
    }

    /// A record's first line.
    private enum Header {
        case statementOK
        case statementError([String])
        case query([ColumnType], SortMode)
        case queryError([String])

        init(_ line: String, fail: (String) -> ParseError) throws {
            let words = line.split(separator: " ").map(String.init)
            switch (words.first, words.dropFirst().first) {
            case ("statement", "ok"):
                guard words.count == 2 else { throw fail("'statement ok' takes nothing after it") }
                self = .statementOK
            case ("statement", "error"):
                self = .statementError(SQLLogicFile.errorParts(line))
            case ("query", "error"):
                self = .queryError(SQLLogicFile.errorParts(line))
            case ("query", let letters?):
                guard words.count <= 3 else { throw fail("bad header '\(line)'") }
                var types: [ColumnType] = []
                for letter in letters {
                    guard let type = ColumnType(rawValue: letter) else {
                        throw fail("column letter '\(letter)' is not I, R or T")
                    }
                    types.append(type)
                }
                switch words.count == 3 ? words[2] : "nosort" {
                case "nosort": self = .query(types, .none)
                case "rowsort": self = .query(types, .rows)
                case let other: throw fail("unknown sort mode '\(other)'")
                }
            default:
                throw fail("expected 'statement ok|error' or 'query TYPES|error', found '\(line)'")
            }
        }
    }

    /// The `&&`-separated parts after `statement error` / `query error`; none means any message.
    private static func errorParts(_ header: String) -> [String] {
        var rest = Substring(header)
        for _ in 0..<2 { rest = rest.drop { $0 == " " }.drop { $0 != " " } }
        return rest.components(separatedBy: "&&")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
