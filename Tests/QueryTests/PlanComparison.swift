import Columnar
import Testing
@testable import Query

/// Structural equality and readable text for parsed plans and statements (`LogicalPlan` is not
/// Equatable: a scan holds an existential source). Parsed plans never contain scans.
enum PlanComparison {
    static func same(_ a: LogicalPlan, _ b: LogicalPlan) -> Bool {
        switch (a, b) {
        case (.unresolvedRelation(let x), .unresolvedRelation(let y)): x == y
        case (.filter(let e1, let i1), .filter(let e2, let i2)): e1 == e2 && same(i1, i2)
        case (.projection(let e1, let i1), .projection(let e2, let i2)): e1 == e2 && same(i1, i2)
        case (.aggregate(let g1, let a1, let i1), .aggregate(let g2, let a2, let i2)): g1 == g2 && a1 == a2 && same(i1, i2)
        case (.sort(let k1, let i1), .sort(let k2, let i2)): k1 == k2 && same(i1, i2)
        case (.limit(let n1, let o1, let i1), .limit(let n2, let o2, let i2)): n1 == n2 && o1 == o2 && same(i1, i2)
        case (.distinct(let i1), .distinct(let i2)): same(i1, i2)
        case (.unionAll(let i1), .unionAll(let i2)): i1.count == i2.count && zip(i1, i2).allSatisfy { same($0, $1) }
        case (.subqueryAlias(let n1, let i1), .subqueryAlias(let n2, let i2)): n1 == n2 && same(i1, i2)
        case (.oneRow, .oneRow): true
        case (.join(let l1, let r1, let s1), .join(let l2, let r2, let s2)): s1 == s2 && same(l1, l2) && same(r1, r2)
        case (.hint(let h1, let i1), .hint(let h2, let i2)): h1 == h2 && same(i1, i2)
        case (.columnAliases(let n1, let i1), .columnAliases(let n2, let i2)): n1 == n2 && same(i1, i2)
        default: false
        }
    }

    static func same(_ a: Statement, _ b: Statement) -> Bool {
        switch (a, b) {
        case (.query(let p1), .query(let p2)): same(p1, p2)
        case (.explain(let m1, let s1), .explain(let m2, let s2)): m1 == m2 && same(s1, s2)
        case (.createTempView(let n1, let r1, let q1), .createTempView(let n2, let r2, let q2)): n1 == n2 && r1 == r2 && same(q1, q2)
        case (.dropView(let n1, let e1), .dropView(let n2, let e2)): n1 == n2 && e1 == e2
        case (.set(let k1, let v1), .set(let k2, let v2)): k1 == k2 && v1 == v2
        case (.insertDirectory(let i1), .insertDirectory(let i2)):
            i1.path == i2.path && i1.format == i2.format && i1.options.map(\.key) == i2.options.map(\.key)
                && i1.options.map(\.value) == i2.options.map(\.value) && i1.partitionColumns == i2.partitionColumns
                && i1.overwrite == i2.overwrite && same(i1.query, i2.query)
        case (.cacheTable(let n1, let q1, let l1), .cacheTable(let n2, let q2, let l2)):
            n1 == n2 && l1 == l2 && ((q1 == nil && q2 == nil) || (q1.flatMap { a in q2.map { same(a, $0) } } ?? false))
        case (.uncacheTable(let n1, let e1), .uncacheTable(let n2, let e2)): n1 == n2 && e1 == e2
        case (.clearCache, .clearCache): true
        default: false
        }
    }

    /// One node per line, inputs indented; literals carry their type so that `1` (INT) and `1L`
    /// (BIGINT) differ in failure messages.
    static func text(_ plan: LogicalPlan, indent: String = "") -> String {
        let node: String
        switch plan {
        case .unresolvedRelation(let name): node = "Relation \(name)"
        case .scan(let scan): node = "Scan \(scan.source.displayName)"
        case .filter(let e, _): node = "Filter \(text(e))"
        case .projection(let exprs, _): node = "Projection [\(exprs.map(text).joined(separator: ", "))]"
        case .aggregate(let groupBy, let aggregates, _):
            node = "Aggregate groupBy=[\(groupBy.map(text).joined(separator: ", "))] aggregates=[\(aggregates.map(text).joined(separator: ", "))]"
        case .sort(let keys, _): node = "Sort [\(keys.map { "\(text($0.expr)) \($0.ascending ? "ASC" : "DESC") NULLS \($0.nullsFirst ? "FIRST" : "LAST")" }.joined(separator: ", "))]"
        case .limit(let n, let offset, _): node = "Limit \(n) offset \(offset)"
        case .distinct: node = "Distinct"
        case .unionAll: node = "UnionAll"
        case .subqueryAlias(let name, _): node = "SubqueryAlias \(name)"
        case .oneRow: node = "OneRow"
        case .join(_, _, let spec):
            node = "Join \(spec.type)" + (spec.condition.map { " on \(text($0))" } ?? "") + (spec.using.map { " using \($0)" } ?? "")
        case .hint(let hint, _): node = "Hint \(hint)"
        case .columnAliases(let names, _): node = "ColumnAliases \(names)"
        }
        return ([indent + node] + plan.inputs.map { text($0, indent: indent + "  ") }).joined(separator: "\n")
    }

    static func text(_ statement: Statement) -> String {
        switch statement {
        case .query(let plan): "Query\n" + text(plan, indent: "  ")
        case .explain(let mode, let inner): "Explain \(mode)\n" + text(inner)
        case .createTempView(let name, let replace, let query): "CreateTempView \(name) replace=\(replace)\n" + text(query, indent: "  ")
        case .dropView(let name, let ifExists): "DropView \(name) ifExists=\(ifExists)"
        case .set(let key, let value): "Set \(key ?? "nil") = \(value ?? "nil")"
        case .insertDirectory(let insert):
            "InsertDirectory \(insert.path) \(insert.format) overwrite=\(insert.overwrite) options=\(insert.options) partitionBy=\(insert.partitionColumns)\n"
                + text(insert.query, indent: "  ")
        case .cacheTable(let name, let query, let isLazy):
            "CacheTable \(name) lazy=\(isLazy)" + (query.map { "\n" + text($0, indent: "  ") } ?? "")
        case .uncacheTable(let name, let ifExists): "UncacheTable \(name) ifExists=\(ifExists)"
        case .clearCache: "ClearCache"
        }
    }

    /// `Expr.description` with literal types spelled out.
    static func text(_ expr: Expr) -> String {
        expr.transformUp { e in
            guard case .literal(let value) = e else { return e }
            let type = value.isUntypedNull ? "untyped" : value.type.sqlName
            return .column(ColumnReference("\(value):\(type)"))
        }.description
    }
}

/// Expects `sql` to parse into exactly one query with the plan `expected`.
func expectQuery(_ sql: String, _ expected: LogicalPlan, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let statement = try SQLParser.parseStatement(sql)
        guard case .query(let plan) = statement else {
            Issue.record("expected a query, got \(PlanComparison.text(statement))", sourceLocation: sourceLocation)
            return
        }
        #expect(PlanComparison.same(plan, expected),
                "\n--- parsed\n\(PlanComparison.text(plan))\n--- expected\n\(PlanComparison.text(expected))",
                sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(sql) did not parse: \(error)", sourceLocation: sourceLocation)
    }
}

func expectStatement(_ sql: String, _ expected: Statement, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let statement = try SQLParser.parseStatement(sql)
        #expect(PlanComparison.same(statement, expected),
                "\n--- parsed\n\(PlanComparison.text(statement))\n--- expected\n\(PlanComparison.text(expected))",
                sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(sql) did not parse: \(error)", sourceLocation: sourceLocation)
    }
}

func expectExpr(_ text: String, _ expected: Expr, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let expr = try SQLParser.parseExpression(text)
        #expect(expr == expected, "\nparsed   \(PlanComparison.text(expr))\nexpected \(PlanComparison.text(expected))",
                sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(text) did not parse: \(error)", sourceLocation: sourceLocation)
    }
}

/// The error parsing `sql` as statements throws, or nil (recorded as an issue) when it parses.
func parseError(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) -> QueryError? {
    do {
        _ = try SQLParser.parseStatements(sql)
        Issue.record("expected an error for: \(sql)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Expects a syntax error at `line`:`column` whose message contains `message`.
func expectSyntaxError(_ sql: String, line: Int, column: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error = parseError(sql, sourceLocation: sourceLocation) else { return }
    guard case .syntax(let text, let l, let c) = error else {
        Issue.record("expected a syntax error for \(sql), got \(error)", sourceLocation: sourceLocation)
        return
    }
    #expect(l == line && c == column, "position of '\(text)'", sourceLocation: sourceLocation)
    #expect(text.contains(message), "message: \(text)", sourceLocation: sourceLocation)
}

func expectUnsupported(_ sql: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error = parseError(sql, sourceLocation: sourceLocation) else { return }
    guard case .unsupported(let text) = error else {
        Issue.record("expected .unsupported for \(sql), got \(error)", sourceLocation: sourceLocation)
        return
    }
    #expect(text.contains(message), "message: \(text)", sourceLocation: sourceLocation)
}

// Short builders for expected trees.
func col(_ name: String, _ qualifier: String? = nil) -> Expr { .column(ColumnReference(name, qualifier: qualifier)) }
func int(_ value: Int32) -> Expr { .literal(.int32(value)) }
func dec(_ unscaled: Int128, _ precision: Int, _ scale: Int) -> Expr { .literal(.decimal(unscaled, precision: precision, scale: scale)) }
func str(_ value: String) -> Expr { .literal(.string(value)) }
func table(_ name: String) -> LogicalPlan { .unresolvedRelation(TableName(name)) }
func bin(_ l: Expr, _ op: BinaryOperator, _ r: Expr) -> Expr { .binary(l, op, r) }
func agg(_ function: AggregateFunction, _ arguments: Expr..., distinct: Bool = false) -> Expr {
    .aggregate(function, arguments: arguments, distinct: distinct)
}
