import Columnar
import Query
import Testing
@testable import Execution

/// Every kind of expression over zero rows and over columns that are entirely NULL: no trap,
/// the right number of rows, and NULL out of NULL in (SQL's strictness; IS NULL, <=>,
/// coalesce and CASE aside).
struct ExpressionEdgeCaseTests {
    typealias S = ExpressionTestSupport

    static let strictExpressions: [Expr] = [
        .col("i") + .int32(1), .col("i") * .col("i"), .binary(.col("i"), .modulo, .int32(3)), .negate(.col("i")),
        .col("d") / .lit(2.0), .col("m") * .col("m"), .col("m") - .decimal(1, 15, 2), .col("m") / .decimal(3, 15, 2),
        .binary(.col("m"), .modulo, .decimal(3, 15, 2)),
        Expr.col("i").lessThan(.int32(3)), Expr.col("s").isEqual(to: .lit("x")), Expr.col("m").greaterThan(.col("m")),
        .between(.col("i"), low: .int32(1), high: .int32(5), negated: false),
        .inList(.col("i"), [.int32(1), .int32(2)], negated: false), .inList(.col("s"), [.lit("a")], negated: true),
        .like(.col("s"), pattern: .lit("a%"), negated: false), .like(.col("s"), pattern: .lit("%a_b%"), negated: false),
        .not(.col("b")), .col("b") && .col("b"), .col("b") || .col("b"),
        .cast(.col("i"), .string), .cast(.col("s"), .int32), .cast(.col("s"), .date32), .cast(.col("d"), .decimal(precision: 10, scale: 2)),
        .cast(.col("m"), .float64), .cast(.col("t"), .date32), .cast(.col("dt"), .string), .cast(.col("b"), .int64),
        .call("year", .col("dt")), .call("quarter", .col("t")), .call("date_trunc", .lit("MONTH"), .col("t")),
        .call("trunc", .col("dt"), .lit("YEAR")), .call("date_add", .col("dt"), .int32(1)), .call("datediff", .col("dt"), .col("dt")),
        .binary(.col("dt"), .add, .literal(.interval(months: 1))), .binary(.col("t"), .subtract, .literal(.interval(days: 1))),
        .call("lower", .col("s")), .call("upper", .col("s")), .call("trim", .col("s")), .call("substring", .col("s"), .int32(2)),
        .call("length", .col("s")), .call("concat", .col("s"), .lit("!")), .binary(.col("s"), .concat, .col("s")),
        .call("abs", .col("m")), .call("round", .col("d"), .int32(1)), .call("round", .col("m"), .int32(1)),
        .call("floor", .col("d")), .call("ceil", .col("m")), .call("nullif", .col("i"), .int32(1)),
    ]

    static func allNullBatch(rows: Int) -> RecordBatch {
        S.batch([
            ("i", .nulls(.int32, count: rows)), ("d", .nulls(.float64, count: rows)),
            ("m", .nulls(.decimal(precision: 15, scale: 2), count: rows)), ("s", .nulls(.string, count: rows)),
            ("b", .nulls(.boolean, count: rows)), ("dt", .nulls(.date32, count: rows)),
            ("t", .nulls(.timestamp(.microseconds, isAdjustedToUTC: false), count: rows)),
        ], rowCount: rows)
    }

    @Test(arguments: strictExpressions)
    func nullInNullOut(_ expr: Expr) throws {
        for rows in [0, 1, 70, 130] {
            let result = try S.evaluate(expr, Self.allNullBatch(rows: rows))
            #expect(result.count == rows)
            #expect(result.nullCount == rows, "\(expr) over \(rows) NULL rows")
        }
    }

    @Test func nullAwareExpressions() throws {
        let batch = Self.allNullBatch(rows: 70)
        #expect(S.booleans(try S.evaluate(.isNull(.col("s")), batch)) == Array(repeating: true, count: 70))
        #expect(S.booleans(try S.evaluate(.binary(.col("i"), .nullSafeEqual, .col("i")), batch)) == Array(repeating: true, count: 70))
        #expect(S.ints(try S.evaluate(.call("coalesce", .col("i"), .int32(7)), batch)) == Array(repeating: 7, count: 70))
        let caseExpr = Expr.caseWhen(operand: nil, branches: [WhenThen(.col("b"), .lit("yes"))], otherwise: .lit("no"))
        #expect(S.strings(try S.evaluate(caseExpr, batch)) == Array(repeating: "no", count: 70))
        // FALSE AND NULL is FALSE; TRUE OR NULL is TRUE.
        #expect(S.booleans(try S.evaluate(.col("b") && .lit(false), batch)) == Array(repeating: false, count: 70))
        #expect(S.booleans(try S.evaluate(.col("b") || .lit(true), batch)) == Array(repeating: true, count: 70))
        let empty = Self.allNullBatch(rows: 0)
        #expect(try S.evaluate(.caseWhen(operand: nil, branches: [WhenThen(.col("b"), .col("i"))], otherwise: nil), empty).count == 0)
        #expect(try S.evaluate(.call("coalesce", .col("s"), .lit("x")), empty).count == 0)
    }
}
