import Testing
@testable import Columnar

@Suite struct CSVFormatterTests {
    /// DuckDB writes the same table with `COPY t TO 't.csv' (HEADER true)`:
    /// `b's,i\nplain,1\n"a,b",2\n"say ""hi""",3\n"line\nbreak",4\n"cr\rhere",5\n"",6\n,7\n lead,\n'`
    /// (null an empty field, the empty string `""`).
    @Test func quoting() {
        let schema = Schema([Field("s", .string), Field("i", .int32)])
        let batch = RecordBatch(schema: schema, columns: [
            Column(strings: ["plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rhere", "", nil, " lead"]),
            Column(.int32, [1, 2, 3, 4, 5, 6, 7, nil] as [Int32?]),
        ])
        #expect(formatted(CSVFormatter(), batch) ==
            "s,i\nplain,1\n\"a,b\",2\n\"say \"\"hi\"\"\",3\n\"line\nbreak\",4\n\"cr\rhere\",5\n\"\",6\n,7\n lead,\n")
    }

    /// Header names are quoted like fields: Python's `csv.writer(f, lineterminator="\n")` writes
    /// `"a,b","q""",x`; the empty name is `""` as an empty string field is.
    @Test func headerQuoting() {
        let schema = Schema([Field("a,b", .int8), Field("q\"", .int8), Field("x", .int8), Field("", .int8)])
        let batch = RecordBatch(schema: schema, columns: (0..<4).map { _ in Column(.int8, [1] as [Int8?]) })
        #expect(formatted(CSVFormatter(), batch) == "\"a,b\",\"q\"\"\",x,\"\"\n1,1,1,1\n")
        #expect(formatted(CSVFormatter(includesHeader: false), batch) == "1,1,1,1\n")
    }

    /// Scalars are spelled as in JSON without quotes (values from the JSON Lines tests' Python
    /// sources); an empty binary value is `""`, unlike null.
    @Test func scalarsUnquoted() {
        let schema = Schema([
            Field("d", .date32), Field("ts", .timestamp(.milliseconds, isAdjustedToUTC: true)), Field("f", .float64),
            Field("m", .decimal(precision: 9, scale: 2)), Field("b", .binary), Field("ok", .boolean),
            Field("u", .uuid), Field("t", .time(.microseconds, isAdjustedToUTC: false)),
        ])
        let batch = RecordBatch(schema: schema, columns: [
            Column(.date32, [-719_162, 2_932_897, nil] as [Int32?]),
            Column(.timestamp(.milliseconds, isAdjustedToUTC: true), [-1, 0, nil] as [Int64?]),
            Column(.float64, [Double.nan, -.infinity, 0.1 + 0.2]),
            rawColumn(.decimal(precision: 9, scale: 2), [hexBytes("ce040000000000000000000000000000"),
                                                         hexBytes("fbffffffffffffffffffffffffffffff"), nil]),
            Column(.binary, bytes: [Array("foobar".utf8), [], nil]),
            Column(booleans: [true, false, nil]),
            rawColumn(.uuid, [hexBytes("f81d4fae7dec11d0a76500a0c91e6bf6"), nil, nil]),
            Column(.time(.microseconds, isAdjustedToUTC: false), [43_200_000_000, nil, 0] as [Int64?]),
        ])
        #expect(formatted(CSVFormatter(), batch) == """
            d,ts,f,m,b,ok,u,t
            0001-01-01,1969-12-31T23:59:59.999Z,NaN,12.30,Zm9vYmFy,true,f81d4fae-7dec-11d0-a765-00a0c91e6bf6,12:00:00.000000
            +10000-01-01,1970-01-01T00:00:00.000Z,-Infinity,-0.05,"",false,,
            ,,0.30000000000000004,,,,,00:00:00.000000

            """)
    }

    /// Nested values are their compact JSON (as in the JSON Lines tests), then quoted as Python's
    /// `csv.writer(f, lineterminator="\n")` quotes them:
    /// `"[1,2]",[3],"{""a"":1}"` and `[],[null],"{""months"":1,""days"":2,""milliseconds"":3}"`.
    @Test func nestedAsJSON() {
        let schema = Schema([Field("l", .list(Field("item", .int32))), Field("s", .structure([Field("a", .int64)])),
                             Field("i", .interval)])
        let batch = RecordBatch(schema: schema, columns: [
            Column(list: Field("item", .int32), values: Column(.int32, [1, 2, 3, nil] as [Int32?]), lengths: [2, 1, 0, 1, nil]),
            Column(structure: [Field("a", .int64)], children: [Column(.int64, [1, 1, 1, 1, 1] as [Int64?])],
                   present: [true, true, true, true, false]),
            rawColumn(.interval, [hexBytes("010000000200000003000000"), nil, nil, nil, nil]),
        ])
        #expect(formatted(CSVFormatter(), batch) == """
            l,s,i
            "[1,2]","{""a"":1}","{""months"":1,""days"":2,""milliseconds"":3}"
            [3],"{""a"":1}",
            [],"{""a"":1}",
            [null],"{""a"":1}",
            ,,

            """)
    }

    /// The dictionary of the JSON Lines tests; DuckDB writes its values as
    /// `,\nb\n,\n"a,""x"""\n,\n""\n` (a null dictionary entry and a null index are both null).
    @Test func dictionaryStrings() {
        let column = Column(dictionary: Column(strings: ["b", "a,\"x\"", nil, ""]), indices: [2, 0, nil, 1, 2, 3])
        #expect(formatted(CSVFormatter(), singleColumnBatch("s", column)) == "s\n\nb\n\n\"a,\"\"x\"\"\"\n\n\"\"\n")
    }

    /// Other delimiters: a field is quoted when it contains that delimiter, whatever the type.
    @Test func otherDelimiters() {
        let schema = Schema([Field("f", .float32), Field("d", .date32), Field("s", .string)])
        let batch = RecordBatch(schema: schema, columns: [
            Column(.float32, [1.5, nil] as [Float?]), Column(.date32, [0, 1] as [Int32?]), Column(strings: ["a;b", "c.d"]),
        ])
        #expect(formatted(CSVFormatter(delimiter: UInt8(ascii: ";")), batch) == "f;d;s\n1.5;1970-01-01;\"a;b\"\n;1970-01-02;c.d\n")
        #expect(formatted(CSVFormatter(delimiter: UInt8(ascii: ".")), batch) ==
            "f.d.s\n\"1.5\".1970-01-01.a;b\n.1970-01-02.\"c.d\"\n")
        #expect(formatted(CSVFormatter(delimiter: UInt8(ascii: "-")), batch) ==
            "f-d-s\n1.5-\"1970-01-01\"-a;b\n-\"1970-01-02\"-c.d\n")
    }

    /// CSV copies text bytes as they are; it does not repair UTF-8.
    @Test func textBytesPassThrough() {
        let column = Column(.string, bytes: [[0x61, 0xFF, 0xC3], Array("é".utf8)])
        let bytes = formattedBytes(CSVFormatter(), schema: Schema([Field("s", .string)]), [singleColumnBatch("s", column)])
        #expect(bytes == Array("s\n".utf8) + [0x61, 0xFF, 0xC3, 0x0A] + Array("é\n".utf8))
    }
}
