import Foundation
import Testing

@Suite struct SQLLogicFileTests {
    /// One record of each kind, with comments, a translation line, multi-line SQL, a value with
    /// spaces at both ends, an empty result and an error text in parts.
    static let sample = """
        # A comment about the file.

        statement ok
        CREATE OR REPLACE TEMP VIEW t AS SELECT * FROM parquet.`Fixtures/sql/data/types.parquet`

        # duckdb: SELECT id, s FROM t ORDER BY id
        query IT nosort
        SELECT id, s
        FROM t ORDER BY id
        ----
        1\t padded 
        2\tNULL
        3\t(empty)

        query R rowsort
        SELECT f64 FROM t WHERE id > 100
        ----

        query error column && nope
        SELECT nope FROM t

        statement error
        CREATE OR REPLACE TEMP VIEW broken AS SELECT 1 +

        query ITR
        SELECT 1, 'a', 2.5
        ----
        1\ta\t2.5
        """

    @Test func parsesEveryKindOfRecord() throws {
        let file = try SQLLogicFile(name: "sample.slt", text: Self.sample)
        #expect(file.skipReason == nil)
        #expect(file.records.map(\.line) == [3, 7, 15, 19, 22, 25])
        #expect(file.records[0] == SQLLogicFile.Record(
            kind: .statementOK,
            sql: "CREATE OR REPLACE TEMP VIEW t AS SELECT * FROM parquet.`Fixtures/sql/data/types.parquet`", line: 3))
        #expect(file.records[1] == SQLLogicFile.Record(
            kind: .query(types: [.integer, .text], sort: .none,
                         expected: [["1", " padded "], ["2", "NULL"], ["3", "(empty)"]]),
            sql: "SELECT id, s\nFROM t ORDER BY id", line: 7))
        #expect(file.records[2].kind == .query(types: [.real], sort: .rows, expected: []))
        #expect(file.records[3].kind == .queryError(expected: ["column", "nope"]))
        #expect(file.records[4].kind == .statementError(expected: []))
        #expect(file.records[4].sql == "CREATE OR REPLACE TEMP VIEW broken AS SELECT 1 +")
        #expect(file.records[5].kind == .query(types: [.integer, .text, .real], sort: .none, expected: [["1", "a", "2.5"]]))
    }

    @Test func firstLineSkipsTheFile() throws {
        let file = try SQLLogicFile(name: "s.slt", text: "# skip: joins are not there yet\n\nquery I\nSELECT 1\n----\n1\n")
        #expect(file.skipReason == "joins are not there yet")
        #expect(file.records.count == 1)
        let later = try SQLLogicFile(name: "s.slt", text: "# about\n# skip: not on the first line\nquery I\nSELECT 1\n----\n1\n")
        #expect(later.skipReason == nil)
    }

    @Test func errorTextKeepsInnerSpaces() throws {
        let file = try SQLLogicFile(name: "e.slt", text: "query  error   line 1 && Column  \nSELECT 1 +\n")
        #expect(file.records[0].kind == .queryError(expected: ["line 1", "Column"]))
    }

    @Test(arguments: [
        ("query IX\nSELECT 1\n----\n1\n", 1, "column letter 'X'"),
        ("query I\nSELECT 1\n", 1, "'----'"),
        ("query II\nSELECT 1, 2\n----\n1\n", 4, "1 values in a row of a query with 2 columns"),
        ("query I sorted\nSELECT 1\n----\n1\n", 1, "unknown sort mode 'sorted'"),
        ("statement ok\n\nSELECT 1\n", 1, "no SQL"),
        ("statement ok\nSELECT 1\n----\n1\n", 1, "only 'query TYPES' records"),
        ("# c\n\nselect 1\n", 3, "expected 'statement ok|error' or 'query TYPES|error'"),
        ("statement ok please\nSELECT 1\n", 1, "takes nothing after it"),
    ])
    func rejectsMalformedFiles(text: String, line: Int, message: String) {
        #expect {
            _ = try SQLLogicFile(name: "bad.slt", text: text)
        } throws: { error in
            guard let error = error as? SQLLogicFile.ParseError else { return false }
            return error.line == line && error.message.contains(message) && error.description.hasPrefix("bad.slt:\(line): ")
        }
    }

    @Test func scriptEndsEveryStatementWithASemicolon() {
        #expect(SQLLogicTests.script(["CREATE TEMP VIEW v AS SELECT 1", "SELECT *\nFROM v;  \n"])
            == "CREATE TEMP VIEW v AS SELECT 1;\nSELECT *\nFROM v;\n")
    }

    @Test func failureReportShowsRowsAsTheFileWritesThem() {
        #expect(SQLLogicTests.describe("expected", [["1", "a"], ["NULL", "(empty)"]])
            == "expected (2 rows):\n1\ta\nNULL\t(empty)\n")
        let many = (0..<70).map { [String($0)] }
        #expect(SQLLogicTests.describe("actual", many).hasSuffix("59\n… 10 more\n"))
    }
}
