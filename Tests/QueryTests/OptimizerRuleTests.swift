import Columnar
import Testing
@testable import Query

/// Each rule on a small plan, checked on the plan text EXPLAIN would print.
struct OptimizerRuleTests {
    let analyzer = Analyzer(catalog: TestCatalog())

    func optimized(_ plan: LogicalPlan) throws -> (text: String, rules: [String]) {
        let result = try Optimizer(context: .withoutFolding).optimize(try analyzer.analyze(plan))
        return (result.plan.treeString(), result.appliedRules)
    }

    @Test func filterMovesBelowTheProjectionAndIntoTheScan() throws {
        // SELECT l_orderkey AS k, l_quantity FROM lineitem WHERE k > 100 AND l_quantity < 5 — written as
        // a filter over the projection, as a subquery in FROM would.
        let plan = LogicalPlan.filter(
            Expr.col("k").greaterThan(.literal(.int64(100))) && Expr.col("l_quantity").lessThan(.literal(.decimal(500, precision: 15, scale: 2))),
            input: .projection([.alias(.col("l_orderkey"), name: "k"), .col("l_quantity")], input: lineitem))
        let (text, rules) = try optimized(plan)
        #expect(text == """
        Project [l_orderkey AS k, l_quantity]
        +- Filter ((l_orderkey > 100) AND (l_quantity < 5.00))
           +- Scan lineitem [l_orderkey, l_quantity] PushedFilters: [(l_orderkey > 100), (l_quantity < 5.00)]
        """)
        #expect(rules == ["eliminate_subquery_aliases", "push_down_filter", "column_pruning", "push_filters_into_scan"])
    }

    @Test func filtersOnGroupingColumnsMoveBelowTheAggregate() throws {
        let plan = LogicalPlan.filter(
            Expr.col("l_returnflag").isEqual(to: .lit("A")) && Expr.col("n").greaterThan(.literal(.int64(1))),
            input: .aggregate(groupBy: [.col("l_returnflag")],
                              aggregates: [.alias(.aggregate(.count, arguments: [], distinct: false), name: "n")], input: lineitem))
        let (text, _) = try optimized(plan)
        #expect(text == """
        Filter (n > 1)
        +- Aggregate [l_returnflag], [count(*) AS n]
           +- Filter (l_returnflag = 'A')
              +- Scan lineitem [l_returnflag] PushedFilters: [(l_returnflag = 'A')]
        """)
    }

    @Test func countStarReadsNoColumns() throws {
        let plan = LogicalPlan.aggregate(groupBy: [], aggregates: [.aggregate(.count, arguments: [], distinct: false)], input: lineitem)
        let (text, _) = try optimized(plan)
        #expect(text.hasSuffix("+- Scan lineitem []"))
    }

    @Test func limitReachesTheScan() throws {
        let plan = LogicalPlan.limit(10, offset: 0, input: .projection([.col("l_comment")], input: lineitem))
        let (text, rules) = try optimized(plan)
        #expect(text == """
        Project [l_comment]
        +- Limit 10
           +- Scan lineitem [l_comment] Limit: 10
        """)
        #expect(rules.contains("limit_pushdown"))
    }

    @Test func limitDoesNotPassASortOrAFilter() throws {
        let sorted = LogicalPlan.limit(5, offset: 0, input: .sort([SortKey(.col("l_orderkey"))], input: lineitem))
        #expect(!(try optimized(sorted).text.contains("Limit: 5")))
        let filtered = LogicalPlan.limit(5, offset: 0, input: .filter(Expr.col("l_orderkey").greaterThan(.literal(.int64(1))), input: lineitem))
        #expect(!(try optimized(filtered).text.contains("Limit: 5")))
    }

    @Test func booleanSimplificationFollowsThreeValuedLogic() {
        let rule = SimplifyBooleanExpressions()
        let a = Expr.col("a"), b = Expr.col("b")
        let t = Expr.literal(.boolean(true)), f = Expr.literal(.boolean(false))
        #expect(rule.simplify(t && a) == a)
        #expect(rule.simplify(a && f) == f)
        #expect(rule.simplify(a || t) == t)
        #expect(rule.simplify(f || a) == a)
        #expect(rule.simplify(!(!a)) == a)
        #expect(rule.simplify(!(a.lessThan(b))) == a.greaterThanOrEqual(b))
        #expect(rule.simplify(!(.isNull(a))) == .isNotNull(a))
        // NULL AND FALSE is FALSE, but NULL AND TRUE stays NULL: a NULL literal is left alone.
        let null = Expr.literal(.null(.boolean))
        #expect(rule.simplify(null && t) == null)
        #expect(rule.simplify(null && f) == f)
    }

    @Test func alwaysTrueFilterIsRemoved() throws {
        let plan = LogicalPlan.filter(.literal(.boolean(true)) && .literal(.boolean(true)), input: lineitem)
        let (text, rules) = try optimized(plan)
        #expect(!text.contains("Filter"))
        #expect(rules.contains("boolean_simplification"))
    }

    @Test func filtersPushIntoEveryUnionInput() throws {
        let left = LogicalPlan.projection([.col("l_orderkey")], input: lineitem)
        let right = LogicalPlan.projection([.col("l_orderkey")], input: lineitem)
        let plan = LogicalPlan.filter(Expr.col("l_orderkey").lessThan(.literal(.int64(7))), input: .unionAll([left, right]))
        let (text, _) = try optimized(plan)
        #expect(text.split(separator: "PushedFilters: [(l_orderkey < 7)]", omittingEmptySubsequences: false).count == 3)
    }
}
