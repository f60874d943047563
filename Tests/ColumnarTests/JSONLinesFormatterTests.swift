import Testing
@testable import Columnar

/// One column and the JSON text expected for each of its values.
struct ValueCase: Sendable, CustomTestStringConvertible {
    let name: String
    let column: Column
    let expected: [String]
    var testDescription: String { name }

    init(_ name: String, _ column: Column, _ expected: [String]) {
        self.name = name
        self.column = column
        self.expected = expected
    }
}

@Suite struct JSONLinesFormatterTests {
    /// Expected values are Python's json/str/repr of the same numbers (integers need no peer).
    static let integerCases: [ValueCase] = [
        ValueCase("int8", Column(.int8, [Int8.min, -1, 0, Int8.max, nil]), ["-128", "-1", "0", "127", "null"]),
        ValueCase("int16", Column(.int16, [Int16.min, Int16.max]), ["-32768", "32767"]),
        ValueCase("int32", Column(.int32, [Int32.min, 10, 99, 100, Int32.max]),
                  ["-2147483648", "10", "99", "100", "2147483647"]),
        ValueCase("int64", Column(.int64, [Int64.min, -1, 9, 10, 999_999_999_999, Int64.max, nil]),
                  ["-9223372036854775808", "-1", "9", "10", "999999999999", "9223372036854775807", "null"]),
        ValueCase("uint8", Column(.uint8, [UInt8.max, 0]), ["255", "0"]),
        ValueCase("uint16", Column(.uint16, [UInt16.max]), ["65535"]),
        ValueCase("uint32", Column(.uint32, [UInt32.max]), ["4294967295"]),
        ValueCase("uint64", Column(.uint64, [UInt64.max, 10_000_000_000_000_000_000, 9_999_999_999_999_999_999]),
                  ["18446744073709551615", "10000000000000000000", "9999999999999999999"]),
    ]

    /// float32: `[str(np.float32(v)) for v in [0.1, 3.4028235e38, 1e-45, -0.0, 1.0, 0.5]]`
    /// → 0.1, 3.4028235e+38, 1e-45, -0.0, 1.0, 0.5; 16777217 rounds to 2^24: numpy spells it
    /// 1.6777216e+07, `repr(float(np.float32(16777217)))` gives 16777216.0 (Swift's spelling).
    /// float64: `[repr(v) for v in [5e-324, 1.7976931348623157e308, 0.1+0.2, 1e20, -0.0, 123.456]]`.
    /// float16: `[(hex(np.float16(v).view(np.uint16)), repr(np.float16(v)))
    ///            for v in [0.1, 65504, 2**-24, 1.0, -2.5, 0.333]]`: the shortest half-precision digits
    ///            0.1, 6.55e+04, 6e-08, 1.0, -2.5, 0.333 (65504 in Swift's spelling, as for the others).
    static let floatCases: [ValueCase] = [
        ValueCase("float32", Column(.float32, [Float(0.1), 3.4028235e38, 1e-45, 16_777_217, -0.0, 1.0, 0.5, nil]),
                  ["0.1", "3.4028235e+38", "1e-45", "16777216.0", "-0.0", "1.0", "0.5", "null"]),
        ValueCase("float32 specials", Column(.float32, [Float.nan, .infinity, -.infinity]),
                  ["\"NaN\"", "\"Infinity\"", "\"-Infinity\""]),
        ValueCase("float64", Column(.float64, [5e-324, 1.7976931348623157e308, 0.1 + 0.2, 1e20, -0.0, 123.456]),
                  ["5e-324", "1.7976931348623157e+308", "0.30000000000000004", "1e+20", "-0.0", "123.456"]),
        ValueCase("float64 specials", Column(.float64, [Double.nan, .infinity, -.infinity, nil]),
                  ["\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "null"]),
        ValueCase("float16", Column(.float16, [UInt16(0x2E66), 0x7BFF, 0x0001, 0x3C00, 0xC100, 0x3554, 0x8000]),
                  ["0.1", "65504.0", "6e-08", "1.0", "-2.5", "0.333", "-0.0"]),
        ValueCase("float16 specials", Column(.float16, [UInt16(0x7E00), 0x7C00, 0xFC00, nil]),
                  ["\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "null"]),
    ]

    /// Bytes: `v.to_bytes(16 or 32, "little", signed=True).hex()`; text: pyarrow,
    /// `['{:f}'.format(x) for x in pa.array([Decimal(v).scaleb(-s, Context(prec=100)) ...],
    /// pa.decimal128(38, 10) or pa.decimal256(76, 20)).to_pylist()]`, and `str(v)` for scale 0.
    static let decimalCases: [ValueCase] = [
        ValueCase("decimal(38,10)", rawColumn(.decimal(precision: 38, scale: 10), [
            hexBytes("ffffffff3f228a097ac4865aa84c3b4b"), hexBytes("01000000c0dd75f6853b79a557b3c4b4"),
            hexBytes("00000000000000000000000000000000"), hexBytes("01000000000000000000000000000000"),
            hexBytes("ffffffffffffffffffffffffffffffff"), nil,
        ]), [
            "9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999",
            "0.0000000000", "0.0000000001", "-0.0000000001", "null",
        ]),
        ValueCase("decimal(9,2)", rawColumn(.decimal(precision: 9, scale: 2), [
            hexBytes("ce040000000000000000000000000000"), hexBytes("fbffffffffffffffffffffffffffffff"),
            hexBytes("00000000000000000000000000000000"), hexBytes("9cffffffffffffffffffffffffffffff"),
        ]), ["12.30", "-0.05", "0.00", "-1.00"]),
        ValueCase("decimal(5,0)", rawColumn(.decimal(precision: 5, scale: 0), [
            hexBytes("7b000000000000000000000000000000"), hexBytes("85ffffffffffffffffffffffffffffff"),
        ]), ["123", "-123"]),
        ValueCase("decimal(76,20)", rawColumn(.decimal(precision: 76, scale: 20), [
            hexBytes("ffffffffffffffffff0f9571f1a57577792965e8abb46407b5159911a7cc1b16"),
            hexBytes("010000000000000000f06a8e0e5a8a8886d69a17544b9bf84aea66ee5833e4e9"),
            hexBytes("3930000000000000000000000000000000000000000000000000000000000000"),
            hexBytes("fbffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        ]), [
            "99999999999999999999999999999999999999999999999999999999.99999999999999999999",
            "-99999999999999999999999999999999999999999999999999999999.99999999999999999999",
            "0.00000000000000012345", "-0.00000000000000000005",
        ]),
        ValueCase("decimal(76,0) extremes", rawColumn(.decimal(precision: 76, scale: 0), [
            hexBytes("0000000000000000000000000000000000000000000000000000000000000080"),
            hexBytes("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        ]), [
            "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
            "57896044618658097711785492504343953926634992332820282019728792003956564819967",
        ]),
    ]

    /// Dates: `pc.cast(pa.array(days, pa.date32()), pa.string())` (pyarrow) for years -1...10000,
    /// `str(np.datetime64(d, "D"))` for Int32.min/max days (-5877641-06-23, 5881580-07-11), with
    /// the `+` that ISO 8601 expanded years take. Timestamps: `pc.cast(pa.array(v, pa.timestamp(unit)),
    /// pa.string())` with "T" for the space; `str(np.datetime64(v, "ms"))` past year 9999.
    /// Times: `pc.cast(pa.array(v, pa.time32/time64(unit)), pa.string())`.
    static let temporalCases: [ValueCase] = [
        ValueCase("date32", Column(.date32, [Int32(0), -1, -719_162, 2_932_896, 11016, -719_163, 2_932_897, -719_528,
                                             -719_529, Int32.min, Int32.max, nil]), [
            "\"1970-01-01\"", "\"1969-12-31\"", "\"0001-01-01\"", "\"9999-12-31\"", "\"2000-02-29\"",
            "\"0000-12-31\"", "\"+10000-01-01\"", "\"0000-01-01\"", "\"-0001-12-31\"", "\"-5877641-06-23\"",
            "\"+5881580-07-11\"", "null",
        ]),
        ValueCase("timestamp(us)", Column(.timestamp(.microseconds, isAdjustedToUTC: false),
                                          [Int64(-62_135_596_800_000_000), 253_402_300_799_999_999, 0, -1]), [
            "\"0001-01-01T00:00:00.000000\"", "\"9999-12-31T23:59:59.999999\"", "\"1970-01-01T00:00:00.000000\"",
            "\"1969-12-31T23:59:59.999999\"",
        ]),
        ValueCase("timestamp(ms, utc)", Column(.timestamp(.milliseconds, isAdjustedToUTC: true),
                                               [Int64(-1), 0, Int64.max, Int64.min + 1, nil]), [
            "\"1969-12-31T23:59:59.999Z\"", "\"1970-01-01T00:00:00.000Z\"", "\"+292278994-08-17T07:12:55.807Z\"",
            "\"-292275055-05-16T16:47:04.193Z\"", "null",
        ]),
        ValueCase("timestamp(ns)", Column(.timestamp(.nanoseconds, isAdjustedToUTC: false), [Int64.min, Int64.max, -1]), [
            "\"1677-09-21T00:12:43.145224192\"", "\"2262-04-11T23:47:16.854775807\"",
            "\"1969-12-31T23:59:59.999999999\"",
        ]),
        ValueCase("time(ms)", Column(.time(.milliseconds, isAdjustedToUTC: false), [Int32(0), 86_399_999, 43_200_000]),
                  ["\"00:00:00.000\"", "\"23:59:59.999\"", "\"12:00:00.000\""]),
        ValueCase("time(us)", Column(.time(.microseconds, isAdjustedToUTC: true), [Int64(43_200_000_000), 86_399_999_999]),
                  ["\"12:00:00.000000\"", "\"23:59:59.999999\""]),
        ValueCase("time(ns)", Column(.time(.nanoseconds, isAdjustedToUTC: false), [Int64(86_399_999_999_999), 1, nil]),
                  ["\"23:59:59.999999999\"", "\"00:00:00.000000001\"", "null"]),
    ]

    /// Text: `json.dumps(b.decode("utf-8", "replace"), ensure_ascii=False)` (DEL stays raw).
    static let textCases: [ValueCase] = [
        ValueCase("escapes", Column(.string, bytes: [Array("a\"b\\c\n\r\t\u{8}\u{C}\u{1}\u{1F}\u{7F}".utf8)]),
                  ["\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\u{7F}\""]),
        ValueCase("unicode", Column(strings: ["héllo 世界 🎉", "", nil]), ["\"héllo 世界 🎉\"", "\"\"", "null"]),
        ValueCase("invalid UTF-8", Column(.string, bytes: [
            [0xFF], [0x61, 0xC3], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x8E],
            [0xC0, 0xAF],
        ]), ["\"\u{FFFD}\"", "\"a\u{FFFD}\"", "\"\u{FFFD}\u{FFFD}\u{FFFD}\"", "\"\u{FFFD}\u{FFFD}\u{FFFD}\"",
             "\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\"", "\"\u{FFFD}\"", "\"\u{FFFD}\u{FFFD}\""]),
        ValueCase("long runs", Column(.json, bytes: [
            Array("abcdefghijklmnop\"qrstuvwxyz0123456789".utf8), Array("1234567\n".utf8), Array("12345678".utf8) + [0],
            Array("abcdefgh".utf8) + [0xE4, 0xB8, 0x96] + Array("xyz".utf8) + [0xF0, 0x9F, 0x8E, 0x89, 0x21],
            [0xE2, 0x82, 0xAC] + Array("abcdefghij".utf8) + [0xFF, 0xFE] + Array("abcdefghi".utf8),
        ]), ["\"abcdefghijklmnop\\\"qrstuvwxyz0123456789\"", "\"1234567\\n\"", "\"12345678\\u0000\"",
             "\"abcdefgh世xyz🎉!\"", "\"€abcdefghij\u{FFFD}\u{FFFD}abcdefghi\""]),
        ValueCase("enum", Column(.enumeration, bytes: [Array("RED".utf8), nil]), ["\"RED\"", "null"]),
    ]

    /// Base64: `base64.b64encode(b)`; uuid: `str(uuid.UUID(bytes=b))`.
    static let binaryCases: [ValueCase] = [
        ValueCase("binary", Column(.binary, bytes: [[], Array("f".utf8), Array("fo".utf8), Array("foo".utf8),
                                                    Array("foob".utf8), Array("fooba".utf8), Array("foobar".utf8), nil]),
                  ["\"\"", "\"Zg==\"", "\"Zm8=\"", "\"Zm9v\"", "\"Zm9vYg==\"", "\"Zm9vYmE=\"", "\"Zm9vYmFy\"", "null"]),
        ValueCase("binary 0...255", Column(.binary, bytes: [Array(0...255)]), [
            "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xN"
                + "Tk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeY"
                + "mZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj"
                + "5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==\"",
        ]),
        ValueCase("fixed_size_binary(4)", rawColumn(.fixedSizeBinary(4), [Array("foob".utf8), nil]), ["\"Zm9vYg==\"", "null"]),
        ValueCase("uuid", rawColumn(.uuid, [hexBytes("00112233445566778899aabbccddeeff"), hexBytes("f81d4fae7dec11d0a76500a0c91e6bf6")]),
                  ["\"00112233-4455-6677-8899-aabbccddeeff\"", "\"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""]),
        ValueCase("interval", rawColumn(.interval, [hexBytes("01000000" + "02000000" + "ffffffff"), nil]),
                  ["{\"months\":1,\"days\":2,\"milliseconds\":4294967295}", "null"]),
        ValueCase("boolean", Column(booleans: [true, false, nil]), ["true", "false", "null"]),
    ]

    /// Nested values: pyarrow builds the same column and
    /// `json.dumps(v, separators=(",", ":"), ensure_ascii=False)` prints each row of `to_pylist()`;
    /// map objects are `"{" + ",".join(dumps(k) + ":" + dumps(v) for k, v in pairs) + "}"` (to keep
    /// duplicate keys), other maps `dumps([{"key": k, "value": v} for k, v in pairs])`.
    static let nestedCases: [ValueCase] = {
        let element = Field("item", .structure([Field("a", .int32), Field("b", .string)]))
        let structs = Column(structure: [Field("a", .int32), Field("b", .string)],
                             children: [Column(.int32, [1, nil, 0, -7] as [Int32?]), Column(strings: ["x", "y\"z", "unused", nil])],
                             present: [true, true, false, true])
        let listOfStructs = Column(list: element, values: structs, lengths: [2, nil, 0, 2])

        let lists = Column(list: Field("item", .list(Field("item", .int64))),
                           values: Column(list: Field("item", .int64), values: Column(.int64, [1, 2, 3] as [Int64?]),
                                          lengths: [2, 0, nil, 1]),
                           lengths: [2, 2, nil])

        let stringKeys = Column(map: Field("key", .string, isNullable: false), value: Field("value", .int32),
                                keys: Column(strings: ["k1", "k2", "k1", "é"]),
                                values: Column(.int32, [1, nil, 3, -1] as [Int32?]), lengths: [3, nil, 0, 1])
        let intKeys = Column(map: Field("key", .int32, isNullable: false), value: Field("value", .string),
                             keys: Column(.int32, [1, 2, -3] as [Int32?]),
                             values: Column(strings: ["one", nil, "three"]), lengths: [2, nil, 0, 1])
        return [
            ValueCase("list<struct<a,b>>", listOfStructs,
                      ["[{\"a\":1,\"b\":\"x\"},{\"a\":null,\"b\":\"y\\\"z\"}]", "null", "[]", "[null,{\"a\":-7,\"b\":null}]"]),
            ValueCase("list<list<int64>>", lists, ["[[1,2],[]]", "[null,[3]]", "null"]),
            ValueCase("map<string,int32>", stringKeys, ["{\"k1\":1,\"k2\":null,\"k1\":3}", "null", "{}", "{\"é\":-1}"]),
            ValueCase("map<int32,string>", intKeys, [
                "[{\"key\":1,\"value\":\"one\"},{\"key\":2,\"value\":null}]", "null", "[]",
                "[{\"key\":-3,\"value\":\"three\"}]",
            ]),
        ]
    }()

    /// `pa.DictionaryArray.from_arrays(pa.array([2, 0, None, 1, 2, 3], pa.int32()),
    /// pa.array(["b", 'a,"x"', None, ""]))`, each row through `json.dumps`.
    static let dictionaryCases: [ValueCase] = [
        ValueCase("dictionary<string>",
                  Column(dictionary: Column(strings: ["b", "a,\"x\"", nil, ""]), indices: [2, 0, nil, 1, 2, 3]),
                  ["null", "\"b\"", "null", "\"a,\\\"x\\\"\"", "null", "\"\""]),
        ValueCase("dictionary<int64>", Column(dictionary: Column(.int64, [Int64.min, 7]), indices: [1, 1, nil, 0]),
                  ["7", "7", "null", "-9223372036854775808"]),
    ]

    @Test(arguments: integerCases + floatCases + decimalCases + temporalCases + textCases + binaryCases
            + nestedCases + dictionaryCases)
    func values(_ testCase: ValueCase) {
        let output = formatted(JSONLinesFormatter(), singleColumnBatch("v", testCase.column))
        let expected = testCase.expected.map { "{\"v\":\($0)}\n" }.joined()
        #expect(output == expected)
    }

    @Test func keysInColumnOrderAndEscaped() {
        let schema = Schema([Field("id", .int64), Field("na\"me", .string), Field("größe", .float64)])
        let batch = RecordBatch(schema: schema, columns: [
            Column(.int64, [1, 2] as [Int64?]), Column(strings: ["a", nil]), Column(.float64, [1.5, nil] as [Double?]),
        ])
        #expect(formatted(JSONLinesFormatter(), batch) ==
            "{\"id\":1,\"na\\\"me\":\"a\",\"größe\":1.5}\n{\"id\":2,\"na\\\"me\":null,\"größe\":null}\n")
    }

    @Test func batchesAppendAndEmptyBatchWritesNothing() {
        let schema = Schema([Field("x", .int32)])
        let first = RecordBatch(schema: schema, columns: [Column(.int32, [1, 2] as [Int32?])])
        let empty = RecordBatch(schema: schema, columns: [Column(.int32, [] as [Int32?])])
        let second = RecordBatch(schema: schema, columns: [Column(.int32, [3] as [Int32?])])
        let bytes = formattedBytes(JSONLinesFormatter(), schema: schema, [first, empty, second])
        #expect(text(bytes) == "{\"x\":1}\n{\"x\":2}\n{\"x\":3}\n")
    }

    @Test func noColumns() {
        let batch = RecordBatch(schema: Schema([]), columns: [], rowCount: 2)
        #expect(formatted(JSONLinesFormatter(), batch) == "{}\n{}\n")
    }

    /// Batches sharing a dictionary reuse its rendering; a new dictionary must not be mistaken for
    /// the old one, and a dictionary much larger than the batch goes through the gather path.
    @Test func dictionaryAcrossBatches() {
        let schema = Schema([Field("s", .string)])
        let shared = Column(strings: ["a", "b"])
        let other = Column(strings: ["c", "d"])
        let large = Column(strings: (0..<5000).map { "w\($0)" })
        let batches = [
            RecordBatch(schema: schema, columns: [Column(dictionary: shared, indices: [0, 1])]),
            RecordBatch(schema: schema, columns: [Column(dictionary: shared, indices: [1, nil])]),
            RecordBatch(schema: schema, columns: [Column(dictionary: other, indices: [1, 0])]),
            RecordBatch(schema: schema, columns: [Column(dictionary: large, indices: [4999, nil, 17])]),
            RecordBatch(schema: schema, columns: [Column(strings: ["plain"])]),
        ]
        let text = text(formattedBytes(JSONLinesFormatter(), schema: schema, batches))
        #expect(text == ["a", "b", "b", nil, "d", "c", "w4999", nil, "w17", "plain"]
            .map { "{\"s\":\($0.map { "\"\($0)\"" } ?? "null")}\n" }.joined())
    }

    /// A struct whose rows are null must not show its children, and a sliced (non-zero based)
    /// list offset run must be handled.
    @Test func structRowsAndListOffsetsNotStartingAtZero() {
        let values = Column(.int16, [9, 8, 1, 2, 3] as [Int16?])
        let offsets = Buffer(copying: [2, 4, 4, 5] as [Int32])
        let list = Column(type: .list(Field("item", .int16)), count: 3, validity: nil,
                          storage: .list(offsets: offsets, values: values))
        let point = Column(structure: [Field("x", .float32), Field("tags", .list(Field("item", .int16)))],
                           children: [Column(.float32, [0.5, nil, 2] as [Float?]), list], present: [true, false, true])
        let output = formatted(JSONLinesFormatter(), singleColumnBatch("p", point))
        #expect(output == "{\"p\":{\"x\":0.5,\"tags\":[1,2]}}\n{\"p\":null}\n{\"p\":{\"x\":2.0,\"tags\":[3]}}\n")
    }

    /// Every digit count: 10^k - 1 and 10^k for k = 1...19, signed and unsigned, against the
    /// standard library's `description`.
    @Test func integerDigitCounts() {
        var signed: [Int64?] = [0]
        var unsigned: [UInt64?] = [0, UInt64.max]
        var power: UInt64 = 1
        for _ in 1...19 {
            power *= 10
            unsigned += [power - 1, power, power + 1]
            if power <= UInt64(Int64.max) { signed += [Int64(power - 1), Int64(power), -Int64(power - 1), -Int64(power)] }
        }
        let batch = RecordBatch(schema: Schema([Field("u", .uint64)]), columns: [Column(.uint64, unsigned)])
        #expect(formatted(JSONLinesFormatter(), batch) == unsigned.map { "{\"u\":\($0!)}\n" }.joined())
        let signedBatch = RecordBatch(schema: Schema([Field("i", .int64)]), columns: [Column(.int64, signed)])
        #expect(formatted(JSONLinesFormatter(), signedBatch) == signed.map { "{\"i\":\($0!)}\n" }.joined())
    }

    /// Enough rows to grow every buffer several times; values whose text the standard library gives.
    @Test func manyRows() {
        let count = 20_000
        let ids = (0..<count).map { $0 % 7 == 3 ? nil : Int64($0) * 1_000_003 - 9_000_000_000 } as [Int64?]
        let names = (0..<count).map { $0 % 5 == 1 ? nil : String(repeating: "x", count: $0 % 37) + "\($0)" } as [String?]
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let batch = RecordBatch(schema: schema, columns: [Column(.int64, ids), Column(strings: names)])
        let expected = (0..<count).map { i in
            "{\"id\":\(ids[i].map { String($0) } ?? "null"),\"name\":\(names[i].map { "\"\($0)\"" } ?? "null")}\n"
        }.joined()
        #expect(formatted(JSONLinesFormatter(), batch) == expected)
    }

    /// List elements may be dictionary encoded (and the list's rows then use a dictionary renderer
    /// of the element type).
    @Test func listOfDictionaryStrings() {
        let elements = Column(dictionary: Column(strings: ["red", "green"]), indices: [1, nil, 0, 0])
        let list = Column(list: Field("item", .string), values: elements, lengths: [2, 0, nil, 2])
        #expect(formatted(JSONLinesFormatter(), singleColumnBatch("c", list)) ==
            "{\"c\":[\"green\",null]}\n{\"c\":[]}\n{\"c\":null}\n{\"c\":[\"red\",\"red\"]}\n")
    }

    /// Map keys should never be null; when one is (or an entry is null) a string-keyed map stays
    /// valid JSON with the key `""`, as `ColumnRenderer.renderMap` documents.
    @Test func mapWithNullKeyAndNullEntry() {
        let key = Field("key", .string, isNullable: false)
        let value = Field("value", .int8)
        let entries = Column(structure: [key, value], children: [Column(strings: ["a", nil, "c"]), Column(.int8, [1, 2, 3] as [Int8?])],
                             present: [true, true, false])
        let map = Column(type: .map(key: key, value: value), count: 1, validity: nil,
                         storage: .list(offsets: Buffer(copying: [0, 3] as [Int32]), values: entries))
        #expect(formatted(JSONLinesFormatter(), singleColumnBatch("m", map)) == "{\"m\":{\"a\":1,\"\":2,\"\":null}}\n")
        let intKeys = Column(type: .map(key: Field("key", .int8), value: value), count: 1, validity: nil,
                             storage: .list(offsets: Buffer(copying: [0, 3] as [Int32]), values: Column(
                                structure: [Field("key", .int8), value],
                                children: [Column(.int8, [1, nil, 3] as [Int8?]), Column(.int8, [1, 2, 3] as [Int8?])],
                                present: [true, true, false])))
        #expect(formatted(JSONLinesFormatter(), singleColumnBatch("m", intKeys)) ==
            "{\"m\":[{\"key\":1,\"value\":1},{\"key\":null,\"value\":2},null]}\n")
    }
}
