import Columnar
import Query
import Testing
@testable import Execution

/// Expected values are DuckDB's (python `duckdb` 1.x), whose comparison semantics agree with
/// Spark's on these inputs, including NaN (equal to itself, greater than everything).
struct ComparisonKernelTests {
    typealias S = ExpressionTestSupport

    static let a: [Int32?] = [1, 2, nil, -5, 7, 2147483647, -2147483648]
    static let b: [Int32?] = [1, 3, 4, nil, -7, 2147483647, 0]

    // duckdb: select a <op> b from (values (1,1),(2,3),(NULL,4),(-5,NULL),(7,-7),(2147483647,2147483647),(-2147483648,0)) v(a,b)
    @Test(arguments: [
        (BinaryOperator.equal, [true, false, nil, nil, false, true, false] as [Bool?]),
        (.notEqual, [false, true, nil, nil, true, false, true]),
        (.less, [false, true, nil, nil, false, false, true]),
        (.lessOrEqual, [true, true, nil, nil, false, true, true]),
        (.greater, [false, false, nil, nil, true, false, false]),
        (.greaterOrEqual, [true, false, nil, nil, true, true, false]),
        // IS NOT DISTINCT FROM
        (.nullSafeEqual, [true, false, false, false, false, true, false]),
    ])
    func integerColumns(op: BinaryOperator, expected: [Bool?]) throws {
        let columns = [("a", Column(.int32, Self.a)), ("b", Column(.int32, Self.b))]
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), op, .col("b")), columns)) == expected)
        // The same on int64 and int8-widened data.
        let wide = [("a", Column(.int64, Self.a.map { $0.map(Int64.init) })), ("b", Column(.int64, Self.b.map { $0.map(Int64.init) }))]
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), op, .col("b")), wide)) == expected)
    }

    /// 200 rows, crossing 64-bit word boundaries, with NULLs in both operands.
    /// duckdb: create table big as select i, case when i%17=0 then null else (i*37)%11-5 end::int a,
    ///   case when i%19=3 then null else (i*53)%13-6 end::int b from range(200) r(i);
    ///   select count(*) filter (where (a OP b) is true), count(*) filter (where (a OP b) is null),
    ///   sum(i) filter (where (a OP b) is true) from big
    @Test(arguments: [
        (BinaryOperator.equal, 14, 22, 1329),
        (.notEqual, 164, 22, 16507),
        (.less, 80, 22, 8077),
        (.lessOrEqual, 94, 22, 9406),
        (.greater, 84, 22, 8430),
        (.greaterOrEqual, 98, 22, 9759),
        (.nullSafeEqual, 15, 0, 1465),
    ])
    func manyRows(op: BinaryOperator, trueCount: Int, nullCount: Int, indexSum: Int) throws {
        let result = S.booleans(try S.evaluate(.binary(.col("a"), op, .col("b")), Self.bigColumns))
        #expect(result.filter { $0 == true }.count == trueCount)
        #expect(result.filter { $0 == nil }.count == nullCount)
        #expect(result.indices.filter { result[$0] == true }.reduce(0, +) == indexSum)
    }

    static let bigColumns: [(String, Column)] = {
        let a: [Int32?] = (0..<200).map { (i: Int) -> Int32? in
            let value: Int = (i * 37) % 11 - 5
            return i % 17 == 0 ? nil : Int32(value)
        }
        let b: [Int32?] = (0..<200).map { (i: Int) -> Int32? in
            let value: Int = (i * 53) % 13 - 6
            return i % 19 == 3 ? nil : Int32(value)
        }
        return [("a", Column(.int32, a)), ("b", Column(.int32, b))]
    }()

    /// duckdb: select count(*) filter (where (a < 3) is true), sum(i) filter (where (a < 3) is true) → 137, 13782;
    /// `3 > a` gives the same.
    @Test func columnAgainstConstantOnEitherSide() throws {
        for expr in [Expr.col("a").lessThan(.int32(3)), Expr.int32(3).greaterThan(.col("a"))] {
            let result = S.booleans(try S.evaluate(expr, Self.bigColumns))
            #expect(result.filter { $0 == true }.count == 137)
            #expect(result.filter { $0 == nil }.count == 12)
            #expect(result.indices.filter { result[$0] == true }.reduce(0, +) == 13782)
        }
    }

    /// duckdb: select a = b, a < b, a > b, a <= b from (values ('NaN','NaN'),('NaN',1.0),(1.0,'NaN'),
    ///   ('-0.0',0.0),('-Infinity','NaN'),('Infinity','NaN'),(2.5,2.5)) v(a,b) — and Spark's
    /// "NaN Semantics": NaN = NaN is true, NaN is larger than any other value.
    @Test func floatingPointOrderTreatsNaNAsLargestAndEqualToItself() throws {
        let a: [Double?] = [.nan, .nan, 1.0, -0.0, -.infinity, .infinity, 2.5]
        let b: [Double?] = [.nan, 1.0, .nan, 0.0, .nan, .nan, 2.5]
        let columns = [("a", Column(.float64, a)), ("b", Column(.float64, b))]
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .equal, .col("b")), columns)) == [true, false, false, true, false, false, true])
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .less, .col("b")), columns)) == [false, false, true, false, true, true, false])
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .greater, .col("b")), columns)) == [false, true, false, false, false, false, false])
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .lessOrEqual, .col("b")), columns)) == [true, false, true, true, true, true, true])
        let floats = [("a", Column(.float32, a.map { $0.map(Float.init) })), ("b", Column(.float32, b.map { $0.map(Float.init) }))]
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .less, .col("b")), floats)) == [false, false, true, false, true, true, false])
    }

    /// duckdb: select a = b, a < b, a >= b from (values ('abc','abd'),('ab','abc'),('',''),('é','z'),
    ///   ('Z','a'),(NULL,'x'),('b','')) v(a,b) — bytewise UTF-8 order.
    @Test func stringsCompareBytewise() throws {
        let columns = [("a", Column(strings: ["abc", "ab", "", "é", "Z", nil, "b"])),
                       ("b", Column(strings: ["abd", "abc", "", "z", "a", "x", ""]))]
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .equal, .col("b")), columns)) == [false, false, true, false, false, nil, false])
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .less, .col("b")), columns)) == [true, true, false, false, true, nil, false])
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .greaterOrEqual, .col("b")), columns)) == [false, false, true, true, false, nil, true])
    }

    @Test func dictionaryStringsAgainstAConstantAreComparedPerEntry() throws {
        let column = S.dictionaryStrings(["AIR", "MAIL", "SHIP"], indices: [0, 2, nil, 1, 0, 2, 2])
        let equal = try S.evaluate(Expr.col("m").isEqual(to: .lit("SHIP")), [("m", column)])
        #expect(S.booleans(equal) == [false, true, nil, false, false, true, true])
        let before = try S.evaluate(Expr.lit("MAIL").greaterThan(.col("m")), [("m", column)])
        #expect(S.booleans(before) == [true, false, nil, false, true, false, false])
    }

    @Test func decimalsDatesTimestampsAndBooleans() throws {
        let price = S.decimals([1050, 999, nil, -1], precision: 15, scale: 2)
        #expect(S.booleans(try S.evaluate(Expr.col("p").greaterThan(.decimal(1000, 15, 2)), [("p", price)])) == [true, false, nil, false])
        let shipped = S.dates([S.day("1998-09-02"), S.day("1998-09-03"), S.day("1960-01-01")])
        #expect(S.booleans(try S.evaluate(Expr.col("d").lessThanOrEqual(.date("1998-09-02")), [("d", shipped)])) == [true, false, true])
        let times = S.timestamps([S.micros("2024-01-31 12:00:00"), nil])
        #expect(S.booleans(try S.evaluate(Expr.col("t").isEqual(to: .literal(.timestamp(microseconds: S.micros("2024-01-31 12:00:00")))), [("t", times)])) == [true, nil])
        // false < true
        let flags = [("x", Column(booleans: [false, true, true, nil])), ("y", Column(booleans: [true, true, false, false]))]
        #expect(S.booleans(try S.evaluate(.binary(.col("x"), .less, .col("y")), flags)) == [true, false, false, nil])
        #expect(S.booleans(try S.evaluate(.binary(.col("x"), .equal, .col("y")), flags)) == [false, true, false, nil])
        #expect(S.booleans(try S.evaluate(.binary(.col("x"), .nullSafeEqual, .lit(false)), flags)) == [true, false, false, false])
    }

    @Test func comparisonWithNullIsNullAndNullSafeEqualIsNot() throws {
        let columns = [("a", Column(.int32, [1, nil] as [Int32?]))]
        #expect(S.booleans(try S.evaluate(Expr.col("a").isEqual(to: .null(.int32)), columns)) == [nil, nil])
        #expect(S.booleans(try S.evaluate(.binary(.col("a"), .nullSafeEqual, .null(.int32)), columns)) == [false, true])
    }

    /// Spark: `BETWEEN` is inclusive; the unsigned and unusual widths compare like the others.
    @Test func betweenIsInclusive() throws {
        let discount = S.decimals([4, 5, 6, 7, 8, nil], precision: 15, scale: 2)
        let expr = Expr.between(.col("d"), low: .decimal(5, 15, 2), high: .decimal(7, 15, 2), negated: false)
        #expect(S.booleans(try S.evaluate(expr, [("d", discount)])) == [false, true, true, true, false, nil])
        let notBetween = Expr.between(.col("d"), low: .decimal(5, 15, 2), high: .decimal(7, 15, 2), negated: true)
        #expect(S.booleans(try S.evaluate(notBetween, [("d", discount)])) == [true, false, false, false, true, nil])
        // Bounds that are columns: the AND of two comparisons.
        let columns = [("x", Column(.uint16, [1, 5, 9] as [UInt16?])), ("lo", Column(.uint16, [0, 6, 9] as [UInt16?])),
                       ("hi", Column(.uint16, [1, 7, nil] as [UInt16?]))]
        #expect(S.booleans(try S.evaluate(.between(.col("x"), low: .col("lo"), high: .col("hi"), negated: false), columns)) == [true, false, nil])
        let strings = [("s", S.dictionaryStrings(["apple", "kiwi", "pear"], indices: [0, 1, 2]))]
        #expect(S.booleans(try S.evaluate(.between(.col("s"), low: .lit("b"), high: .lit("l"), negated: false), strings)) == [false, true, false])
    }

    @Test func emptyAndAllNullColumns() throws {
        let empty = [("a", Column(.int32, [] as [Int32?]))]
        #expect(try S.evaluate(Expr.col("a").lessThan(.int32(1)), empty).count == 0)
        let nulls = [("a", Column.nulls(.float64, count: 70))]
        let result = try S.evaluate(Expr.col("a").lessThan(.lit(1.0)), nulls)
        #expect(result.nullCount == 70)
        let safe = try S.evaluate(.binary(.col("a"), .nullSafeEqual, .null(.float64)), nulls)
        #expect(S.booleans(safe) == Array(repeating: true, count: 70))
    }
}
