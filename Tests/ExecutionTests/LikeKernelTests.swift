import Columnar
import Query
import Testing
@testable import Execution

/// LIKE with `%`, `_` and `\` escapes. Expected values: DuckDB (python `duckdb`,
/// `select s LIKE p ESCAPE '\'`), which matches on characters like Spark; error cases from
/// Spark's StringUtils.escapeLikeRegex rules.
struct LikeKernelTests {
    typealias S = ExpressionTestSupport

    static let strings: [String] = ["Spark", "park", "PROMO BRUSHED COPPER", "ECONOMY BRASS", "special requests were", "requests special", "", "%", "a_b", "ab", "héllo", "日本語", "abcabc", "aXbXc", "100%", "x\\y"]

    @Test(arguments: [
        ("_park", [true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]),
        ("PROMO%", [false, false, true, false, false, false, false, false, false, false, false, false, false, false, false, false]),
        ("%BRASS", [false, false, false, true, false, false, false, false, false, false, false, false, false, false, false, false]),
        ("%special%requests%", [false, false, false, false, true, false, false, false, false, false, false, false, false, false, false, false]),
        ("%", [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true]),
        ("", [false, false, false, false, false, false, true, false, false, false, false, false, false, false, false, false]),
        ("_", [false, false, false, false, false, false, false, true, false, false, false, false, false, false, false, false]),
        ("%\\%", [false, false, false, false, false, false, false, true, false, false, false, false, false, false, true, false]),
        ("a\\_b", [false, false, false, false, false, false, false, false, true, false, false, false, false, false, false, false]),
        ("h_llo", [false, false, false, false, false, false, false, false, false, false, true, false, false, false, false, false]),
        ("日_語", [false, false, false, false, false, false, false, false, false, false, false, true, false, false, false, false]),
        ("abc", [false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]),
        ("%abc", [false, false, false, false, false, false, false, false, false, false, false, false, true, false, false, false]),
        ("a%c%", [false, false, false, false, false, false, false, false, false, false, false, false, true, true, false, false]),
        ("a_b%", [false, false, false, false, false, false, false, false, true, false, false, false, false, true, false, false]),
        ("%b_c", [false, false, false, false, false, false, false, false, false, false, false, false, false, true, false, false]),
        ("\\%", [false, false, false, false, false, false, false, true, false, false, false, false, false, false, false, false]),
        ("100\\%", [false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, false]),
        ("x\\\\y", [false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true]),
        ("__", [false, false, false, false, false, false, false, false, false, true, false, false, false, false, false, false]),
        ("%a%b%c%", [false, false, false, false, false, false, false, false, false, false, false, false, true, true, false, false]),
    ])
    func patterns(pattern: String, expected: [Bool]) throws {
        let plain = [("s", Column(strings: Self.strings))]
        #expect(S.booleans(try S.evaluate(.like(.col("s"), pattern: .lit(pattern), negated: false), plain)) == expected)
        #expect(S.booleans(try S.evaluate(.like(.col("s"), pattern: .lit(pattern), negated: true), plain)) == expected.map { !$0 })
        // Dictionary-encoded, every entry used twice.
        let n = Int32(Self.strings.count)
        let indices: [Int32?] = (0..<n).reversed().map { $0 } + (0..<n).map { $0 }
        let encoded = [("s", S.dictionaryStrings(Self.strings, indices: indices))]
        let expectedEncoded = indices.map { expected[Int($0!)] }
        #expect(S.booleans(try S.evaluate(.like(.col("s"), pattern: .lit(pattern), negated: false), encoded)) == expectedEncoded)
        // The pattern from a column.
        let pairs = [("s", Column(strings: Self.strings)), ("p", Column(strings: Array(repeating: pattern, count: Self.strings.count)))]
        #expect(S.booleans(try S.evaluate(.like(.col("s"), pattern: .col("p"), negated: false), pairs)) == expected)
    }

    @Test func nulls() throws {
        let columns = [("s", Column(strings: ["abc", nil])), ("p", Column(strings: [nil, "a%%"]))]
        #expect(S.booleans(try S.evaluate(.like(.col("s"), pattern: .lit("a%%"), negated: false), columns)) == [true, nil])
        #expect(S.booleans(try S.evaluate(.like(.col("s"), pattern: .col("p"), negated: false), columns)) == [nil, nil])
        #expect(S.booleans(try S.evaluate(.like(.col("s"), pattern: .null(.string), negated: false), columns)) == [nil, nil])
    }

    /// Spark: "the escape character is not allowed to precede 'a'" and "it is not allowed to
    /// end with the escape character".
    @Test func invalidEscapesAreErrors() throws {
        let columns = [("s", Column(strings: ["abc"]))]
        #expect(throws: ExecutionError.self) { try S.evaluate(.like(.col("s"), pattern: .lit("\\abc"), negated: false), columns) }
        #expect(throws: ExecutionError.self) { try S.evaluate(.like(.col("s"), pattern: .lit("abc\\"), negated: false), columns) }
        let patterns = [("s", Column(strings: ["abc"])), ("p", Column(strings: ["a\\bc"]))]
        #expect(throws: ExecutionError.self) { try S.evaluate(.like(.col("s"), pattern: .col("p"), negated: false), patterns) }
    }
}
