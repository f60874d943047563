import Columnar
import Testing
@testable import Query

struct AnalyzerTests {
    let analyzer = Analyzer(catalog: TestCatalog())

    @Test func unknownColumnSuggestsTheClosestNames() throws {
        let plan = LogicalPlan.projection([.col("l_quantiy")], input: lineitem)
        #expect {
            try analyzer.analyze(plan)
        } throws: { error in
            "\(error)" == "unknown column 'l_quantiy'; did you mean 'l_quantity'?"
        }
    }

    @Test func unknownTableIsReported() throws {
        #expect(throws: QueryError.self) { try analyzer.analyze(.unresolvedRelation(TableName("lineitems"))) }
    }

    @Test func starExpandsToEveryColumn() throws {
        let plan = try analyzer.analyze(.projection([.star(qualifier: nil)], input: lineitem))
        #expect(try plan.schema().columns.map(\.name) == SchemaOnlyTable.lineitem.schema.fields.map(\.name))
    }

    /// `l_quantity < 24`: the integer literal meets decimal(15,2) as decimal(2,0) (its own digits),
    /// the common type is decimal(15,2), so only the literal is cast.
    @Test func comparisonsCastTheLiteralNotTheColumn() throws {
        let plan = try analyzer.analyze(.filter(Expr.col("l_quantity").lessThan(.literal(.int32(24))), input: lineitem))
        guard case .filter(let predicate, _) = plan else { Issue.record("expected a filter"); return }
        #expect(predicate == .binary(.col("l_quantity"), .less, .cast(.literal(.int32(24)), .decimal(precision: 15, scale: 2))))
    }

    @Test func integerDivisionIsDouble() throws {
        let plan = try analyzer.analyze(.projection([.binary(.col("l_orderkey"), .divide, .literal(.int32(2)))], input: lineitem))
        #expect(try plan.schema().columns[0].type == .float64)
    }

    /// `SELECT l_returnflag, sum(l_quantity) FROM lineitem GROUP BY 1 HAVING sum(l_quantity) > 10`
    @Test func aggregatesAreSplitOutOfTheSelectList() throws {
        let sum = Expr.aggregate(.sum, arguments: [.col("l_quantity")], distinct: false)
        let parsed = LogicalPlan.projection(
            [.col("l_returnflag"), sum],
            input: .filter(sum.greaterThan(.literal(.int32(10))),
                           input: .aggregate(groupBy: [.literal(.int32(1))], aggregates: [], input: lineitem)))
        let plan = try analyzer.analyze(parsed)
        #expect(plan.treeString() == """
        Project [l_returnflag, sum(l_quantity)]
        +- Filter (sum(l_quantity) > CAST(10 AS DECIMAL(25,2)))
           +- Aggregate [l_returnflag], [sum(l_quantity) AS sum(l_quantity)]
              +- SubqueryAlias lineitem
                 +- Scan lineitem [l_orderkey, l_quantity, l_discount, l_shipdate, l_returnflag, l_comment]
        """)
        #expect(try plan.schema().columns.map(\.type) == [.string, .decimal(precision: 25, scale: 2)])
    }

    @Test func columnsOutsideGroupByAreRejected() throws {
        let parsed = LogicalPlan.projection([.col("l_comment"), .aggregate(.count, arguments: [], distinct: false)],
                                            input: .aggregate(groupBy: [.col("l_returnflag")], aggregates: [], input: lineitem))
        #expect {
            try analyzer.analyze(parsed)
        } throws: { error in
            "\(error)".contains("neither in GROUP BY nor inside an aggregate function")
        }
    }

    /// ORDER BY a column the select list drops: carried through the projection, dropped after.
    @Test func orderByAColumnNotSelected() throws {
        let parsed = LogicalPlan.sort([SortKey(.col("l_shipdate"), ascending: false)],
                                      input: .projection([.col("l_orderkey")], input: lineitem))
        let plan = try analyzer.analyze(parsed)
        #expect(plan.treeString() == """
        Project [l_orderkey]
        +- Sort [__sort_0 DESC NULLS LAST]
           +- Project [l_orderkey, l_shipdate AS __sort_0]
              +- SubqueryAlias lineitem
                 +- Scan lineitem [l_orderkey, l_quantity, l_discount, l_shipdate, l_returnflag, l_comment]
        """)
    }

    @Test func orderByOrdinalAndAlias() throws {
        let parsed = LogicalPlan.sort([SortKey(.literal(.int32(2))), SortKey(.col("k"), ascending: false)],
                                      input: .projection([.col("l_returnflag"), .alias(.col("l_orderkey"), name: "k")], input: lineitem))
        let plan = try analyzer.analyze(parsed)
        guard case .sort(let keys, _) = plan else { Issue.record("expected a sort on top: \(plan)"); return }
        #expect(keys.map(\.expr) == [.col("k"), .col("k")])
    }

    @Test func whereRejectsAggregatesAndNonBooleans() throws {
        #expect(throws: QueryError.self) {
            try analyzer.analyze(.filter(.aggregate(.count, arguments: [], distinct: false).greaterThan(.lit(1)), input: lineitem))
        }
        #expect(throws: QueryError.self) { try analyzer.analyze(.filter(.col("l_orderkey"), input: lineitem)) }
    }

    @Test func unknownFunctionSuggests() throws {
        #expect {
            try analyzer.analyze(.projection([.function(name: "uper", arguments: [.col("l_comment")])], input: lineitem))
        } throws: { error in
            "\(error)".contains("unknown function 'uper'; did you mean 'upper'")
        }
    }

    @Test func unionAllWidensColumnTypes() throws {
        let left = LogicalPlan.projection([.alias(.literal(.int32(1)), name: "x")], input: .oneRow)
        let right = LogicalPlan.projection([.alias(.literal(.double(2.5)), name: "y")], input: .oneRow)
        let plan = try analyzer.analyze(.unionAll([left, right]))
        #expect(try plan.schema().columns.map(\.name) == ["x"])
        #expect(try plan.schema().columns.map(\.type) == [.float64])
    }
}
