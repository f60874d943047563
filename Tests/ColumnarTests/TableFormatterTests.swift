import Testing
@testable import Columnar

/// Expected tables follow the conventions (DuckDB's box drawing, names and types centred, numbers
/// right-aligned, `NULL`, cut at the width limit with `…`). Display widths of the non-ASCII text
/// were checked with Python's `unicodedata.east_asian_width` (世 界 한 국 어 中 文 字 符 🎉: "W", two
/// columns) and `unicodedata.category` (U+0301: "Mn", zero columns).
@Suite struct TableFormatterTests {
    @Test func alignmentAndNulls() {
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let batch = RecordBatch(schema: schema, columns: [
            Column(.int64, [1, nil, -20] as [Int64?]), Column(strings: ["x", nil, "hello"]),
        ])
        #expect(formatted(TableFormatter(), batch) == """
            ┌───────┬────────┐
            │  id   │  name  │
            │ int64 │ string │
            ├───────┼────────┤
            │     1 │ x      │
            │  NULL │ NULL   │
            │   -20 │ hello  │
            └───────┴────────┘
            3 rows

            """)
    }

    @Test func wideCharacters() {
        let column = Column(strings: ["世界", "abc", "한국어", "🎉x", "e\u{301}"])
        #expect(formatted(TableFormatter(), singleColumnBatch("s", column)) == """
            ┌────────┐
            │   s    │
            │ string │
            ├────────┤
            │ 世界   │
            │ abc    │
            │ 한국어 │
            │ 🎉x    │
            │ e\u{301}      │
            └────────┘
            5 rows

            """)
    }

    @Test func truncation() {
        let column = Column(strings: ["abcdefghijklmno", "中文字符测试", "exactly10!"])
        #expect(formatted(TableFormatter(maxCellWidth: 10), singleColumnBatch("t", column)) == """
            ┌────────────┐
            │     t      │
            │   string   │
            ├────────────┤
            │ abcdefghi… │
            │ 中文字符…  │
            │ exactly10! │
            └────────────┘
            3 rows

            """)
    }

    /// The default limit is 40 columns: 39 characters and `…`, or 19 wide ones (38) and `…`.
    @Test func defaultCellWidth() {
        let column = Column(strings: [String(repeating: "a", count: 50), String(repeating: "中", count: 30),
                                      String(repeating: "b", count: 40)])
        let lines = formatted(TableFormatter(), singleColumnBatch("t", column)).split(separator: "\n")
        #expect(lines[4] == "│ \(String(repeating: "a", count: 39))… │")
        #expect(lines[5] == "│ \(String(repeating: "中", count: 19))…  │")
        #expect(lines[6] == "│ \(String(repeating: "b", count: 40)) │")
    }

    @Test func rowLimitAcrossBatches() {
        let schema = Schema([Field("n", .int32)])
        let batches = [
            RecordBatch(schema: schema, columns: [Column(.int32, [1, 2, 3] as [Int32?])]),
            RecordBatch(schema: schema, columns: [Column(.int32, [4, 5] as [Int32?])]),
        ]
        #expect(text(formattedBytes(TableFormatter(maxRows: 2), schema: schema, batches)) == """
            ┌───────┐
            │   n   │
            │ int32 │
            ├───────┤
            │     1 │
            │     2 │
            └───────┘
            5 rows (showing first 2)

            """)
    }

    @Test func noRowsAndOneRow() {
        let schema = Schema([Field("n", .int32)])
        #expect(text(formattedBytes(TableFormatter(), schema: schema, [])) == """
            ┌───────┐
            │   n   │
            │ int32 │
            └───────┘
            0 rows

            """)
        let one = RecordBatch(schema: schema, columns: [Column(.int32, [7] as [Int32?])])
        #expect(formatted(TableFormatter(), one).hasSuffix("└───────┘\n1 row\n"))
    }

    /// Decimals are right-aligned numbers; lists show as JSON; control characters are escaped and
    /// invalid UTF-8 replaced, so every line stays one line.
    @Test func decimalsNestedAndControlCharacters() {
        let schema = Schema([Field("price", .decimal(precision: 5, scale: 2)), Field("tags", .list(Field("item", .int32))),
                             Field("note", .string)])
        let batch = RecordBatch(schema: schema, columns: [
            rawColumn(.decimal(precision: 5, scale: 2), [hexBytes("ce040000000000000000000000000000"),
                                                         hexBytes("fbffffffffffffffffffffffffffffff")]),
            Column(list: Field("item", .int32), values: Column(.int32, [1, 2] as [Int32?]), lengths: [2, nil]),
            Column(.string, bytes: [Array("a\nb\u{1}".utf8), [0x61, 0xFF]]),
        ])
        #expect(formatted(TableFormatter(), batch) == """
            ┌──────────────┬─────────────┬────────────┐
            │    price     │    tags     │    note    │
            │ decimal(5,2) │ list<int32> │   string   │
            ├──────────────┼─────────────┼────────────┤
            │        12.30 │ [1,2]       │ a\\nb\\u0001 │
            │        -0.05 │ NULL        │ a\u{FFFD}         │
            └──────────────┴─────────────┴────────────┘
            2 rows

            """)
    }

    @Test func noColumns() {
        let batch = RecordBatch(schema: Schema([]), columns: [], rowCount: 3)
        #expect(formatted(TableFormatter(), batch) == "3 rows\n")
    }

    /// DEL and the C1 controls (here U+0085, NEL) are escaped too.
    @Test func deleteAndC1Controls() {
        let column = Column(strings: ["x\u{7F}\u{85}y"])
        #expect(formatted(TableFormatter(), singleColumnBatch("s", column)) == """
            ┌────────────────┐
            │       s        │
            │     string     │
            ├────────────────┤
            │ x\\u007f\\u0085y │
            └────────────────┘
            1 row

            """)
    }
}
