import Columnar
import Testing
@testable import Query

/// Result types from the table in Spark's DecimalPrecision (sql/catalyst/…/DecimalPrecision.scala):
///   e1 + e2: max(s1, s2) + max(p1-s1, p2-s2) + 1, scale max(s1, s2)
///   e1 * e2: p1 + p2 + 1, scale s1 + s2
///   e1 / e2: p1 - s1 + s2 + max(6, s1 + p2 + 1), scale max(6, s1 + p2 + 1)
/// bounded to 38 digits keeping at least min(scale, 6) fraction digits.
struct DecimalTypingTests {
    @Test(arguments: [
        (BinaryOperator.add, 15, 2, 15, 2, 16, 2),
        (.subtract, 1, 0, 15, 2, 16, 2),
        (.multiply, 15, 2, 15, 2, 31, 4),
        (.multiply, 15, 2, 16, 2, 32, 4),
        // TPC-H Q1's l_extendedprice * (1 - l_discount) * (1 + l_tax): 32+16+1 = 49 digits → (38, 6).
        (.multiply, 32, 4, 16, 2, 38, 6),
        (.divide, 15, 2, 15, 2, 33, 18),
        (.divide, 38, 10, 38, 10, 38, 6),
        (.modulo, 15, 2, 10, 0, 12, 2),
    ])
    func arithmeticResultTypes(op: BinaryOperator, p1: Int, s1: Int, p2: Int, s2: Int, p: Int, s: Int) {
        #expect(DecimalTyping.arithmetic(op, p1, s1, p2, s2) == .decimal(precision: p, scale: s))
    }

    @Test func aggregateTypesFollowSpark() throws {
        #expect(try ExpressionTyping.aggregateResultType(.sum, .decimal(precision: 15, scale: 2)) == .decimal(precision: 25, scale: 2))
        #expect(try ExpressionTyping.aggregateResultType(.avg, .decimal(precision: 15, scale: 2)) == .decimal(precision: 19, scale: 6))
        #expect(try ExpressionTyping.aggregateResultType(.sum, .int32) == .int64)
        #expect(try ExpressionTyping.aggregateResultType(.avg, .int64) == .float64)
        #expect(throws: QueryError.self) { try ExpressionTyping.aggregateResultType(.sum, .string) }
    }

    /// Spark (non-ANSI) makes a DECIMAL result that does not fit NULL, so decimal arithmetic and
    /// casts to DECIMAL are nullable over NOT NULL inputs; integer arithmetic (which fails on
    /// overflow) is not.
    @Test func decimalResultsMayBeNull() throws {
        let schema = PlanSchema(Schema([Field("d", .decimal(precision: 38, scale: 0), isNullable: false),
                                        Field("i", .int64, isNullable: false)]))
        let d = Expr.column(ColumnReference("d")), i = Expr.column(ColumnReference("i"))
        #expect(try ExpressionTyping.typeAndNullability(of: .binary(d, .multiply, d), in: schema).nullable)
        #expect(try ExpressionTyping.typeAndNullability(of: .cast(i, .decimal(precision: 5, scale: 0)), in: schema).nullable)
        #expect(try !ExpressionTyping.typeAndNullability(of: .binary(i, .add, i), in: schema).nullable)
        #expect(try !ExpressionTyping.typeAndNullability(of: d, in: schema).nullable)
    }
}
