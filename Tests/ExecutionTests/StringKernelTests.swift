import Columnar
import Query
import Testing
@testable import Execution

/// String functions. Expected values: the examples of Spark's SQL function reference
/// (spark.apache.org/docs/3.5.0/api/sql), and for substring edge cases and case mapping, Spark
/// 3.5's UTF8String.substringSQL transcribed to Java and Java's String.toUpperCase/toLowerCase
/// (`java Str.java`, OpenJDK 17), which Spark calls for non-ASCII text.
struct StringKernelTests {
    typealias S = ExpressionTestSupport

    static let substringArguments: [(Int32, Int32?)] = [(5, nil), (-3, nil), (5, 1), (0, 3), (1, 0), (2, -1), (-100, 3), (-100, 200), (100, 2), (-2, 1), (3, 2)]

    // java Str.java: substringSQL(s, pos, len) for each pair above (len absent = Integer.MAX_VALUE).
    @Test(arguments: [
        ("Spark SQL", ["k SQL", "SQL", "k", "Spa", "", "", "", "Spark SQL", "", "Q", "ar"]),
        ("héllo wörld", ["o wörld", "rld", "o", "hél", "", "", "", "héllo wörld", "", "l", "ll"]),
        ("", ["", "", "", "", "", "", "", "", "", "", ""]),
        ("日本語テキスト", ["キスト", "キスト", "キ", "日本語", "", "", "", "日本語テキスト", "", "ス", "語テ"]),
        ("a😀b", ["", "a😀b", "", "a😀b", "", "", "", "a😀b", "", "😀", "b"]),
    ])
    func substringEdgeCases(text: String, expected: [String]) throws {
        let columns = [("s", Column(strings: [text, nil]))]
        for (k, (position, length)) in Self.substringArguments.enumerated() {
            let expr: Expr = length.map { .call("substring", .col("s"), .int32(position), .int32($0)) } ?? .call("substring", .col("s"), .int32(position))
            #expect(S.strings(try S.evaluate(expr, columns)) == [expected[k], nil], "substring(\(text), \(position), \(String(describing: length)))")
        }
    }

    @Test func substringWithPositionsFromColumns() throws {
        let columns = [("s", Column(strings: ["Spark SQL", "Spark SQL", "abc", nil])),
                       ("p", Column(.int32, [5, -3, nil, 1] as [Int32?])),
                       ("n", Column(.int32, [1, 2, 1, 1] as [Int32?]))]
        #expect(S.strings(try S.evaluate(.call("substr", .col("s"), .col("p"), .col("n")), columns)) == ["k", "SQ", nil, nil])
    }

    @Test func substringOfDictionaryKeepsTheDictionary() throws {
        let column = S.dictionaryStrings(["MED BOX", "LG CASE", "SM PKG"], indices: [0, 1, nil, 2, 0])
        let result = try S.evaluate(.call("substring", .col("c"), .int32(1), .int32(2)), [("c", column)])
        #expect(S.strings(result) == ["ME", "LG", nil, "SM", "ME"])
        if case .dictionary(_, let dictionary) = result.storage {
            #expect(dictionary.count == 3)
        } else {
            Issue.record("expected a dictionary-encoded result")
        }
    }

    // java: "Straße".toUpperCase() = "STRASSE", "ÉCOLE".toLowerCase() = "école"; ASCII per
    // Spark's docs: lower('SparkSql') = 'sparksql', upper('SparkSql') = 'SPARKSQL'.
    @Test func lowerAndUpper() throws {
        let columns = [("s", Column(strings: ["SparkSql", "Straße", "ÉCOLE", nil, "", "abc123XYZ@[`{"]))]
        #expect(S.strings(try S.evaluate(.call("lower", .col("s")), columns)) == ["sparksql", "straße", "école", nil, "", "abc123xyz@[`{"])
        #expect(S.strings(try S.evaluate(.call("upper", .col("s")), columns)) == ["SPARKSQL", "STRASSE", "ÉCOLE", nil, "", "ABC123XYZ@[`{"])
    }

    // Spark docs: trim('    SparkSQL   ') = 'SparkSQL', ltrim → 'SparkSQL   ', rtrim → '    SparkSQL';
    // trim(BOTH 'SL' FROM 'SSparkSQLS') = 'parkSQ', LEADING → 'parkSQLS', TRAILING → 'SSparkSQ'.
    // Only spaces are removed by default (a tab stays).
    @Test func trims() throws {
        let columns = [("s", Column(strings: ["    SparkSQL   ", "\tabc ", "   ", nil]))]
        #expect(S.strings(try S.evaluate(.call("trim", .col("s")), columns)) == ["SparkSQL", "\tabc", "", nil])
        #expect(S.strings(try S.evaluate(.call("ltrim", .col("s")), columns)) == ["SparkSQL   ", "\tabc ", "", nil])
        #expect(S.strings(try S.evaluate(.call("rtrim", .col("s")), columns)) == ["    SparkSQL", "\tabc", "", nil])
        let letters = [("s", Column(strings: ["SSparkSQLS"]))]
        #expect(S.strings(try S.evaluate(.call("trim", .col("s"), .lit("SL")), letters)) == ["parkSQ"])
        #expect(S.strings(try S.evaluate(.call("ltrim", .col("s"), .lit("SL")), letters)) == ["parkSQLS"])
        #expect(S.strings(try S.evaluate(.call("rtrim", .col("s"), .lit("SL")), letters)) == ["SSparkSQ"])
        let accents = [("s", Column(strings: ["ééaéé"]))]
        #expect(S.strings(try S.evaluate(.call("trim", .col("s"), .lit("é")), accents)) == ["a"])
    }

    // Spark docs: length('Spark SQL ') = 10; characters, not bytes (java codePoints().count()).
    @Test func lengthCountsCharacters() throws {
        let columns = [("s", Column(strings: ["Spark SQL ", "Straße", "日本語テキスト", "a😀b", "", nil]))]
        #expect(S.ints(try S.evaluate(.call("length", .col("s")), columns)) == [10, 6, 7, 3, 0, nil])
        #expect(S.ints(try S.evaluate(.call("char_length", .lit("héllo")), columns)) == Array(repeating: 5, count: 6))
    }

    // Spark docs: concat('Spark', 'SQL') = 'SparkSQL'; NULL when any argument is NULL.
    @Test func concatAndPipes() throws {
        let columns = [("a", Column(strings: ["Spark", "x", nil, ""])), ("b", Column(strings: ["SQL", nil, "y", ""]))]
        #expect(S.strings(try S.evaluate(.call("concat", .col("a"), .col("b")), columns)) == ["SparkSQL", nil, nil, ""])
        #expect(S.strings(try S.evaluate(.binary(.col("a"), .concat, .col("b")), columns)) == ["SparkSQL", nil, nil, ""])
        #expect(S.strings(try S.evaluate(.call("concat", .lit("<"), .col("a"), .lit(">")), columns)) == ["<Spark>", "<x>", nil, "<>"])
        #expect(S.strings(try S.evaluate(.call("concat", .col("a"), .null(.string)), columns)) == [nil, nil, nil, nil])
        let dictionary = [("d", S.dictionaryStrings(["AIR", "SHIP"], indices: [1, 0, nil]))]
        #expect(S.strings(try S.evaluate(.call("concat", .col("d"), .lit("-"), .col("d")), dictionary)) == ["SHIP-SHIP", "AIR-AIR", nil])
        #expect(S.strings(try S.evaluate(.call("concat", .lit("mode: "), .col("d")), dictionary)) == ["mode: SHIP", "mode: AIR", nil])
    }

    @Test func constantStringResultIsBroadcast() throws {
        let batch = S.batch([("x", Column(.int32, [1, 2, 3] as [Int32?]))])
        let result = try S.evaluate(.call("upper", .lit("abc")), batch)
        #expect(S.strings(result) == ["ABC", "ABC", "ABC"])
    }
}
