import Columnar
import Query
import Testing
@testable import Execution

/// Compilation: name resolution, types, errors for what cannot be evaluated, constant folding.
struct ExpressionCompilerTests {
    typealias S = ExpressionTestSupport

    static let schema = PlanSchema([
        PlanColumn(qualifier: "l", name: "l_quantity", type: .decimal(precision: 15, scale: 2)),
        PlanColumn(qualifier: "l", name: "l_shipdate", type: .date32),
        PlanColumn(qualifier: "l", name: "l_comment", type: .string),
    ])

    @Test func typesFollowTheQueryTypingRules() throws {
        let product = try CompiledExpression.compile(.col("l_quantity") * .col("l.l_quantity"), input: Self.schema)
        #expect(product.type == .decimal(precision: 31, scale: 4))
        #expect(try CompiledExpression.compile(.call("YEAR", .col("l_shipdate")), input: Self.schema).type == .int32)
        #expect(try CompiledExpression.compile(.call("upper", .col("l_comment")).alias("u"), input: Self.schema).type == .string)
        #expect(try CompiledExpression.compile(.col("l_quantity").lessThan(.decimal(2400, 15, 2)), input: Self.schema).type == .boolean)
    }

    @Test func whatCannotBeCompiled() {
        #expect(throws: QueryError.self) { try CompiledExpression.compile(.col("missing"), input: Self.schema) }
        #expect(throws: QueryError.self) { try CompiledExpression.compile(.call("no_such_function", .col("l_comment")), input: Self.schema) }
        #expect(throws: ExecutionError.self) {
            try CompiledExpression.compile(.aggregate(.sum, arguments: [.col("l_quantity")], distinct: false), input: Self.schema)
        }
        #expect(throws: QueryError.self) { try CompiledExpression.compile(.star(qualifier: nil), input: Self.schema) }
        // Mismatched operand types are the analyzer's to coerce; here they are refused.
        #expect(throws: ExecutionError.self) { try CompiledExpression.compile(Expr.col("l_quantity").isEqual(to: .int32(1)), input: Self.schema) }
    }

    @Test func constantsAreFoldedOnce() throws {
        // DATE '1998-12-01' - INTERVAL 90 DAYS = 1998-09-02 (TPC-H Q1's bound).
        let bound = try CompiledExpression.compile(.binary(.date("1998-12-01"), .subtract, .literal(.interval(days: 90))), input: Self.schema)
        #expect(bound.isConstant)
        let batch = S.batch([("l_quantity", S.decimals([1, 2], precision: 15, scale: 2)),
                             ("l_shipdate", S.dates([S.day("1998-09-02"), S.day("1998-09-03")])),
                             ("l_comment", Column(strings: ["a", "b"]))])
        #expect(S.ints(try bound.evaluate(batch)) == [S.day("1998-09-02"), S.day("1998-09-02")])
        let predicate = try CompiledExpression.compile(Expr.col("l_shipdate").lessThanOrEqual(.binary(.date("1998-12-01"), .subtract, .literal(.interval(days: 90)))), input: Self.schema)
        #expect(!predicate.isConstant)
        #expect(S.booleans(try predicate.evaluate(batch)) == [true, false])
    }

    /// Compiled expressions are immutable: one can be evaluated from several tasks at once.
    @Test func concurrentEvaluation() async throws {
        let expr = try CompiledExpression.compile(.call("substring", .col("l_comment"), .int32(2), .int32(3)), input: Self.schema)
        let batch = S.batch([("l_quantity", S.decimals([1, 2, 3], precision: 15, scale: 2)),
                             ("l_shipdate", S.dates([1, 2, 3])),
                             ("l_comment", Column(strings: ["abcdef", "xy", nil]))])
        let results = try await withThrowingTaskGroup(of: [String?].self) { group in
            for _ in 0..<8 { group.addTask { S.strings(try expr.evaluate(batch)) } }
            var all: [[String?]] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == ["bcd", "y", nil] })
    }

    @Test func aColumnOfTheWrongLayoutIsRefused() throws {
        let compiled = try CompiledExpression.compile(Expr.col("l_shipdate").lessThan(.date("2000-01-01")), input: Self.schema)
        let wrong = S.batch([("l_quantity", S.decimals([1], precision: 15, scale: 2)),
                             ("l_shipdate", Column(strings: ["2000-01-01"])), ("l_comment", Column(strings: ["a"]))])
        #expect(throws: ExecutionError.self) { try compiled.evaluate(wrong) }
    }
}
