import Columnar
import Query
import Testing
@testable import Execution

/// CASE, coalesce, nullif. Expected values: DuckDB (python `duckdb`), same semantics as Spark.
struct ConditionalKernelTests {
    typealias S = ExpressionTestSupport

    static let a: [Int32?] = [1, -3, 0, nil, 2, 5]

    // duckdb: select case when a > 0 then 'pos' when a < 0 then 'neg' end,
    //   case when a > 0 then a * 10 else -1 end,
    //   case a when 1 then 'one' when 2 then 'two' else 'many' end from (values (1),(-3),(0),(NULL),(2),(5)) v(a)
    @Test func searchedAndSimpleCase() throws {
        let columns = [("a", Column(.int32, Self.a))]
        let sign = Expr.caseWhen(operand: nil, branches: [WhenThen(Expr.col("a").greaterThan(.int32(0)), .lit("pos")),
                                                          WhenThen(Expr.col("a").lessThan(.int32(0)), .lit("neg"))], otherwise: nil)
        #expect(S.strings(try S.evaluate(sign, columns)) == ["pos", "neg", nil, nil, "pos", "pos"])
        let scaled = Expr.caseWhen(operand: nil, branches: [WhenThen(Expr.col("a").greaterThan(.int32(0)), .col("a") * .int32(10))],
                                   otherwise: .int32(-1))
        #expect(S.ints(try S.evaluate(scaled, columns)) == [10, -1, -1, -1, 20, 50])
        let names = Expr.caseWhen(operand: .col("a"), branches: [WhenThen(.int32(1), .lit("one")), WhenThen(.int32(2), .lit("two"))],
                                  otherwise: .lit("many"))
        #expect(S.strings(try S.evaluate(names, columns)) == ["one", "many", "many", "many", "two", "many"])
    }

    @Test func caseOverTypesAndManyRows() throws {
        let n = 150
        let values: [Int64?] = (0..<n).map { $0 % 7 == 0 ? nil : Int64($0) }
        let columns = [("v", Column(.int64, values)), ("d", S.decimals((0..<n).map { Int128($0) }, precision: 10, scale: 2)),
                       ("s", S.dictionaryStrings(["x", "y"], indices: (0..<n).map { Int32($0 % 2) }))]
        let branches = [WhenThen(Expr.col("v").lessThan(.int64(50)), .col("d")), WhenThen(Expr.col("v").lessThan(.int64(100)), .decimal(-1, 10, 2))]
        let decimals = S.unscaled(try S.evaluate(.caseWhen(operand: nil, branches: branches, otherwise: .null(.decimal(precision: 10, scale: 2))), columns))
        for i in 0..<n {
            let expected: Int128? = values[i] == nil ? nil : (i < 50 ? Int128(i) : (i < 100 ? -1 : nil))
            #expect(decimals[i] == expected, "row \(i)")
        }
        let flags = S.booleans(try S.evaluate(.caseWhen(operand: nil, branches: [WhenThen(.isNull(.col("v")), .lit(true))], otherwise: .lit(false)), columns))
        #expect(flags == values.map { $0 == nil })
        let strings = S.strings(try S.evaluate(.caseWhen(operand: nil, branches: [WhenThen(.isNull(.col("v")), .lit("none"))], otherwise: .col("s")), columns))
        let expectedStrings: [String?] = (0..<n).map { (i: Int) -> String? in
            if values[i] == nil { return "none" }
            return i % 2 == 0 ? "x" : "y"
        }
        #expect(strings == expectedStrings)
    }

    /// A branch is evaluated only for the rows its condition takes: an overflow elsewhere is no error.
    @Test func branchesAreEvaluatedForTheirRowsOnly() throws {
        let columns = [("a", Column(.int32, [1, 5, nil] as [Int32?]))]
        let guarded = Expr.caseWhen(operand: nil, branches: [WhenThen(Expr.col("a").lessThan(.int32(2)), .col("a") * .int32(1_000_000_000))],
                                    otherwise: .int32(0))
        #expect(S.ints(try S.evaluate(guarded, columns)) == [1_000_000_000, 0, 0])
        let failing = Expr.caseWhen(operand: nil, branches: [WhenThen(Expr.col("a").lessThan(.int32(9)), .col("a") * .int32(1_000_000_000))],
                                    otherwise: .int32(0))
        #expect(throws: ExecutionError.self) { try S.evaluate(failing, columns) }
    }

    // duckdb: select coalesce(a, b, 0), coalesce(a, b), nullif(a, 2) from (values (1,10),(NULL,20),(NULL,NULL),(2,NULL)) v(a,b)
    @Test func coalesceAndNullIf() throws {
        let columns = [("a", Column(.int32, [1, nil, nil, 2] as [Int32?])), ("b", Column(.int32, [10, 20, nil, nil] as [Int32?]))]
        #expect(S.ints(try S.evaluate(.call("coalesce", .col("a"), .col("b"), .int32(0)), columns)) == [1, 20, 0, 2])
        #expect(S.ints(try S.evaluate(.call("coalesce", .col("a"), .col("b")), columns)) == [1, 20, nil, 2])
        #expect(S.ints(try S.evaluate(.call("nullif", .col("a"), .int32(2)), columns)) == [1, nil, nil, nil])
        #expect(S.ints(try S.evaluate(.call("coalesce", .null(.int32), .col("b")), columns)) == [10, 20, nil, nil])
        let strings = [("s", S.dictionaryStrings(["x"], indices: [0, nil])), ("t", Column(strings: ["a", "b"]))]
        #expect(S.strings(try S.evaluate(.call("coalesce", .col("s"), .col("t")), strings)) == ["x", "b"])
        #expect(S.strings(try S.evaluate(.call("coalesce", .col("s"), .lit("?")), strings)) == ["x", "?"])
        #expect(S.strings(try S.evaluate(.call("nullif", .col("t"), .lit("a")), strings)) == [nil, "b"])
    }

    /// A later coalesce argument is needed only where the earlier ones are NULL.
    @Test func coalesceEvaluatesLaterArgumentsOnlyWhereNeeded() throws {
        let columns = [("a", Column(.int32, [1, nil] as [Int32?])), ("b", Column(.int32, [5, 1] as [Int32?]))]
        let lazy = Expr.call("coalesce", .col("a"), .col("b") * .int32(1_000_000_000))
        #expect(S.ints(try S.evaluate(lazy, columns)) == [1, 1_000_000_000])
        let needed = Expr.call("coalesce", .col("b"), .col("a") * .int32(1_000_000_000), .col("b") * .int32(1_000_000_000))
        #expect(S.ints(try S.evaluate(needed, columns)) == [5, 1])
        let failing = [("a", Column(.int32, [nil, nil] as [Int32?])), ("b", Column(.int32, [5, 1] as [Int32?]))]
        #expect(throws: ExecutionError.self) { try S.evaluate(lazy, failing) }
    }
}
