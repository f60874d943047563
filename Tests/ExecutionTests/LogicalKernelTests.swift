import Columnar
import Query
import Testing
@testable import Execution

/// Three-valued logic, IS NULL and IN. Expected values are DuckDB's (python `duckdb`), whose
/// semantics for these operators are SQL's, as Spark's are.
struct LogicalKernelTests {
    typealias S = ExpressionTestSupport

    // duckdb: select a AND b / a OR b / NOT a from (values (true,true),(true,false),(true,NULL),
    //   (false,true),(false,false),(false,NULL),(NULL,true),(NULL,false),(NULL,NULL)) v(a,b)
    static let a: [Bool?] = [true, true, true, false, false, false, nil, nil, nil]
    static let b: [Bool?] = [true, false, nil, true, false, nil, true, false, nil]

    @Test func threeValuedLogic() throws {
        let columns = [("a", Column(booleans: Self.a)), ("b", Column(booleans: Self.b))]
        #expect(S.booleans(try S.evaluate(.col("a") && .col("b"), columns)) == [true, false, nil, false, false, false, nil, false, nil])
        #expect(S.booleans(try S.evaluate(.col("a") || .col("b"), columns)) == [true, true, true, true, false, nil, true, nil, nil])
        #expect(S.booleans(try S.evaluate(!.col("a"), columns)) == [false, false, false, true, true, true, nil, nil, nil])
    }

    @Test func constantsOnEitherSide() throws {
        let columns = [("b", Column(booleans: Self.b))]
        #expect(S.booleans(try S.evaluate(.lit(false) && .col("b"), columns)) == Array(repeating: false, count: 9))
        #expect(S.booleans(try S.evaluate(.col("b") && .lit(true), columns)) == Self.b)
        #expect(S.booleans(try S.evaluate(.col("b") || .null(.boolean), columns)) == Self.b.map { $0 == true ? true : nil })
        #expect(S.booleans(try S.evaluate(.lit(true) || .col("b"), columns)) == Array(repeating: true, count: 9))
    }

    /// Across 64-bit words: x >= 60 AND x < 70 over 130 rows, every tenth NULL.
    /// duckdb: select count(*) filter (where r is true), count(*) filter (where r is null),
    ///   sum(i) filter (where r is true) from (select i, x >= 60 and x < 70 as r from
    ///   (select i, case when i%10=9 then null else i end x from range(130) t(i))) → 9, 13, 576
    @Test func wordBoundaries() throws {
        let values: [Int32?] = (0..<130).map { $0 % 10 == 9 ? nil : Int32($0) }
        let columns = [("x", Column(.int32, values))]
        let result = S.booleans(try S.evaluate(Expr.col("x").greaterThanOrEqual(.int32(60)) && Expr.col("x").lessThan(.int32(70)), columns))
        #expect(result.filter { $0 == true }.count == 9)
        #expect(result.filter { $0 == nil }.count == 13)
        #expect(result.indices.filter { result[$0] == true }.reduce(0, +) == 576)
    }

    @Test func isNullAndIsNotNull() throws {
        let columns = [("s", S.dictionaryStrings(["x"], indices: [0, nil, 0, nil]))]
        #expect(S.booleans(try S.evaluate(.isNull(.col("s")), columns)) == [false, true, false, true])
        #expect(S.booleans(try S.evaluate(.isNotNull(.col("s")), columns)) == [true, false, true, false])
        #expect(S.booleans(try S.evaluate(.isNull(.null(.int32)), columns)) == [true, true, true, true])
    }

    /// The right side of AND is not needed where the left side is FALSE: an overflow there is
    /// not an error (Spark evaluates row by row and never reaches it).
    @Test func andSkipsTheRightSideWhereTheLeftDecides() throws {
        let columns = [("a", Column(.int32, [5, 100, nil, 3] as [Int32?]))]
        let guarded = Expr.col("a").lessThan(.int32(10)) && (Expr.col("a") * .int32(100_000_000)).greaterThan(.int32(0))
        #expect(S.booleans(try S.evaluate(guarded, columns)) == [true, false, nil, true])
        let unguarded = Expr.col("a").lessThan(.int32(1000)) && (Expr.col("a") * .int32(100_000_000)).greaterThan(.int32(0))
        #expect(throws: ExecutionError.self) { try S.evaluate(unguarded, columns) }
        let orGuard = Expr.col("a").greaterThan(.int32(10)) || (Expr.col("a") * .int32(100_000_000)).greaterThan(.int32(0))
        #expect(S.booleans(try S.evaluate(orGuard, columns)) == [true, true, nil, true])
    }

    // duckdb: select a in (1, 3, 5) from (values (1),(2),(NULL),(5),(-1)) v(a) → true,false,NULL,true,false
    //         select a in (1, NULL) / a not in (1, NULL) from (values (1),(2),(NULL)) → [true,NULL,NULL] / [false,NULL,NULL]
    @Test func inListWithNulls() throws {
        let columns = [("a", Column(.int32, [1, 2, nil, 5, -1] as [Int32?]))]
        let list: [Expr] = [.int32(1), .int32(3), .int32(5)]
        #expect(S.booleans(try S.evaluate(.inList(.col("a"), list, negated: false), columns)) == [true, false, nil, true, false])
        #expect(S.booleans(try S.evaluate(.inList(.col("a"), list, negated: true), columns)) == [false, true, nil, false, true])
        let small = [("a", Column(.int32, [1, 2, nil] as [Int32?]))]
        #expect(S.booleans(try S.evaluate(.inList(.col("a"), [.int32(1), .null(.int32)], negated: false), small)) == [true, nil, nil])
        #expect(S.booleans(try S.evaluate(.inList(.col("a"), [.int32(1), .null(.int32)], negated: true), small)) == [false, nil, nil])
    }

    // duckdb: select count(*) filter (where (i%50) in (1,2,3,5,7,11,13,17,19,23,29,31,37)),
    //   sum(i) filter (…) from range(1000) → 260, 127460 (a list long enough to be hashed)
    @Test func longListsAreHashed() throws {
        let columns = [("v", Column(.int64, (0..<1000).map { Optional(Int64($0 % 50)) }))]
        let primes: [Expr] = [1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37].map { .int64($0) }
        let result = S.booleans(try S.evaluate(.inList(.col("v"), primes, negated: false), columns))
        #expect(result.filter { $0 == true }.count == 260)
        #expect(result.indices.filter { result[$0] == true }.reduce(0, +) == 127_460)
    }

    // duckdb: select a in ('MAIL','SHIP') from (values ('AIR'),('MAIL'),(NULL),('SHIP'),('REG AIR')) v(a)
    //         select a in ('NaN'::double, 0.0) from (values ('NaN'),('-0.0'),(1.0)) v(a) → true, true, false
    //         select a in (b, 3) from (values (1,1),(2,NULL),(3,7),(4,5)) v(a,b) → true, NULL, true, false
    @Test func inListOfStringsDoublesAndColumns() throws {
        let modes = [("m", S.dictionaryStrings(["AIR", "MAIL", "SHIP", "REG AIR"], indices: [0, 1, nil, 2, 3]))]
        #expect(S.booleans(try S.evaluate(.inList(.col("m"), [.lit("MAIL"), .lit("SHIP")], negated: false), modes)) == [false, true, nil, true, false])
        let plain = [("m", Column(strings: ["AIR", "MAIL", nil, "SHIP", "REG AIR"]))]
        let many: [Expr] = ["MAIL", "SHIP", "A", "B", "C", "D", "E", "F", "G", "H"].map { .lit($0) }
        #expect(S.booleans(try S.evaluate(.inList(.col("m"), many, negated: false), plain)) == [false, true, nil, true, false])
        let doubles = [("d", Column(.float64, [.nan, -0.0, 1.0] as [Double?]))]
        #expect(S.booleans(try S.evaluate(.inList(.col("d"), [.lit(Double.nan), .lit(0.0)], negated: false), doubles)) == [true, true, false])
        let columns = [("a", Column(.int32, [1, 2, 3, 4] as [Int32?])), ("b", Column(.int32, [1, nil, 7, 5] as [Int32?]))]
        #expect(S.booleans(try S.evaluate(.inList(.col("a"), [.col("b"), .int32(3)], negated: false), columns)) == [true, nil, true, false])
    }
}
