import Columnar
@testable import Query

/// A table with a fixed schema for planning tests (nothing is ever read from it).
final class SchemaOnlyTable: TableSource, @unchecked Sendable {
    let displayName: String
    let schema: Schema
    var estimatedRowCount: Int? { nil }
    var supportsFilterPruning: Bool { true }

    init(_ name: String, _ fields: [Field]) {
        displayName = name
        schema = Schema(fields)
    }

    static let lineitem = SchemaOnlyTable("lineitem", [
        Field("l_orderkey", .int64, isNullable: false),
        Field("l_quantity", .decimal(precision: 15, scale: 2)),
        Field("l_discount", .decimal(precision: 15, scale: 2)),
        Field("l_shipdate", .date32),
        Field("l_returnflag", .string),
        Field("l_comment", .string),
    ])
}

/// A catalog with the test tables.
struct TestCatalog: Catalog {
    func relation(for name: TableName) throws -> LogicalPlan {
        guard name.name.lowercased() == "lineitem" else {
            throw QueryError.unresolved(kind: "table", name: name.name, candidates: NameSuggestions.closest(to: name.name, among: ["lineitem"]))
        }
        return .subqueryAlias("lineitem", input: .scan(TableScan(source: SchemaOnlyTable.lineitem, qualifier: "lineitem")))
    }
}

extension OptimizerContext {
    /// Folding is execution's job; planning tests run without it.
    static let withoutFolding = OptimizerContext(evaluateConstant: { _ in nil })
}

let lineitem = LogicalPlan.unresolvedRelation(TableName("lineitem"))
