/// IN and EXISTS subqueries, planned as Spark's RewritePredicateSubquery plans them: as left semi
/// joins, and left anti joins for NOT.
extension Analyzer {
    /// `input` filtered by `predicate`, whose top-level AND has IN or EXISTS subqueries among its
    /// conditions: the other conditions filter `input`, then each subquery joins it:
    /// - `[NOT] EXISTS (SELECT … FROM r WHERE p)`: a semi (anti) join with `r` on `p`, which may
    ///   name the outer query's columns (a correlated subquery);
    /// - `x IN (SELECT y …)`: a semi join with the subquery on `x = y`;
    /// - `x NOT IN (SELECT y …)`: a NULL on either side makes NOT IN unknown, which keeps no row
    ///   unless the subquery has none. As one anti join that is `x = y OR (x = y) IS NULL`, a
    ///   condition no hash table can serve (every row against every row), so it is three: an
    ///   anti join on `x = y` (hashed), one with the subquery's first row that drops the rows
    ///   whose `x` is NULL, and one with its first NULL `y` that drops every row.
    func joiningSubqueries(_ predicate: Expr, _ input: LogicalPlan) throws -> LogicalPlan {
        var others: [Expr] = []
        var subqueries: [SubqueryPredicate] = []
        for conjunct in predicate.conjuncts {
            switch conjunct {
            case .subquery(let subquery):
                subqueries.append(subquery)
            case .not(.subquery(let subquery)):
                subqueries.append(SubqueryPredicate(value: subquery.value, query: subquery.query, negated: !subquery.negated))
            default:
                if conjunct.containsSubquery {
                    throw QueryError.unsupported("IN and EXISTS subqueries other than as a condition of WHERE (joined by AND): \(conjunct)")
                }
                others.append(conjunct)
            }
        }
        var plan = Expr.conjunction(others).map { LogicalPlan.filter($0, input: input) } ?? input
        // A semi or anti join outputs only its left side, so names of the right sides (the
        // subqueries' aliases) need only differ within one WHERE.
        for (number, subquery) in subqueries.enumerated() {
            for (type, right, condition) in try joins(for: subquery, number: number + 1) {
                plan = .join(left: plan, right: right, JoinSpec(type: type, condition: condition))
            }
        }
        return plan
    }

    /// The joins that stand for a subquery predicate, in order: the kind, the right side, the condition.
    private func joins(for subquery: SubqueryPredicate, number: Int) throws -> [(JoinType, LogicalPlan, Expr)] {
        guard let value = subquery.value else {
            let (from, condition) = try Self.existsParts(subquery.query)
            return [(subquery.negated ? .leftAnti : .leftSemi, from, condition ?? .literal(.boolean(true)))]
        }
        let width = try resolve(subquery.query).schema().columns.filter { !$0.isHidden }.count
        guard width == 1 else {
            throw QueryError.invalid("the subquery of \(subquery) returns \(width) columns; IN needs one")
        }
        let alias = "__subquery\(number)"
        let column = Expr.column(ColumnReference("value", qualifier: alias))
        let values = LogicalPlan.subqueryAlias(alias, input: .columnAliases(["value"], input: subquery.query))
        let equal = Expr.binary(value, .equal, column)
        guard subquery.negated else { return [(.leftSemi, values, equal)] }
        /// The first row of `rows`, as one column `one`: at most one row to meet each outer row.
        func firstRow(_ rows: LogicalPlan) -> LogicalPlan {
            .limit(1, offset: 0, input: .projection([.alias(.literal(.int32(1)), name: "one")], input: rows))
        }
        return [(.leftAnti, values, equal),
                (.leftAnti, firstRow(values), .isNull(value)),
                (.leftAnti, firstRow(.filter(.isNull(column), input: values)), .literal(.boolean(true)))]
    }

    /// An EXISTS subquery's rows (its FROM) and its WHERE condition: what it selects, and in what
    /// order, does not change whether it has rows.
    private static func existsParts(_ query: LogicalPlan) throws -> (LogicalPlan, Expr?) {
        switch query {
        case .sort(_, let input), .distinct(let input):
            return try existsParts(input)
        case .projection(let items, let input) where !items.contains(where: \.containsAggregate):
            switch input {
            case .aggregate, .filter(_, .aggregate):
                break
            case .filter(let condition, let from):
                return (from, condition)
            default:
                return (input, nil)
            }
        default:
            break
        }
        throw QueryError.unsupported("EXISTS over a subquery that aggregates, limits or combines queries")
    }
}

/// Scalar subqueries: `(SELECT avg(x) FROM t …)` as a value, when it aggregates without GROUP BY
/// or HAVING. The rows that use one are joined to its rows and the subquery becomes a reference
/// to its column `__scalarN.value`:
/// - uncorrelated, it has exactly one row, joined to every row (a cross join in a select list; in
///   WHERE, a left semi join whose condition is the WHERE's terms that use subqueries), as Spark
///   ends up planning a value computed once;
/// - correlated by equalities (`WHERE l_partkey = p_partkey` beside terms of its own), it is
///   grouped by its side of them and left-outer-joined on them, as Spark's
///   RewriteCorrelatedScalarSubquery does: a row with no group gets NULL, which is what the
///   aggregate gives over no rows, except count's 0, so count is not supported there.
extension Analyzer {
    /// The rows a scalar subquery joins and on what (nil: its one row, to every row).
    struct ScalarSide {
        let plan: LogicalPlan
        let condition: Expr?
    }

    /// `input` filtered by `predicate`, some of whose top-level AND's terms have scalar
    /// subqueries: the other terms (IN and EXISTS too) filter the rows first; then, with only
    /// one-row sides, a semi join with them on the terms that use them (every row meets their one
    /// row once); with correlated sides, which add columns, the rows joined to them are filtered
    /// and the input's columns kept.
    func filteringByScalarSubqueries(_ predicate: Expr, _ input: LogicalPlan) throws -> LogicalPlan {
        let terms = predicate.conjuncts
        let scalar = terms.filter(\.containsScalarSubquery)
        if let mixed = scalar.first(where: \.containsSubquery) {
            throw QueryError.unsupported("a scalar subquery and an IN or EXISTS subquery in one term: \(mixed)")
        }
        let (sides, rewritten) = try joiningScalarSubqueries(scalar)
        let rows = Expr.conjunction(terms.filter { !$0.containsScalarSubquery }).map { LogicalPlan.filter($0, input: input) } ?? input
        let condition = Expr.conjunction(rewritten)!
        if sides.allSatisfy({ $0.condition == nil }) {
            let right = sides.dropFirst().reduce(sides[0].plan) { .join(left: $0, right: $1.plan, JoinSpec(type: .cross)) }
            return .join(left: rows, right: right, JoinSpec(type: .leftSemi, condition: condition))
        }
        let columns = try resolve(rows).schema().columns.filter { !$0.isHidden }
        return .projection(columns.map { .column(ColumnReference($0.name, qualifier: $0.qualifier, byPlanName: true)) },
                           input: .filter(condition, input: Self.joining(sides, to: rows)))
    }

    /// A select list with scalar subqueries over `input`: the projection over `input` joined to
    /// their sides, `*` standing for the input's columns only.
    func projectingScalarSubqueries(_ items: [Expr], _ input: LogicalPlan) throws -> LogicalPlan {
        let (sides, rewritten) = try joiningScalarSubqueries(try expandStars(items, try resolve(input).schema()))
        return .projection(rewritten, input: Self.joining(sides, to: input))
    }

    /// The sides of `expressions`' scalar subqueries, and `expressions` with each subquery
    /// replaced by its side's column.
    func joiningScalarSubqueries(_ expressions: [Expr]) throws -> (sides: [ScalarSide], expressions: [Expr]) {
        var sides: [ScalarSide] = []
        let rewritten = try expressions.map { expr in
            try expr.transformUp { e -> Expr in
                guard case .scalarSubquery(let subquery) = e else { return e }
                let alias = "__scalar\(sides.count + 1)"
                sides.append(try side(of: subquery, alias: alias))
                return .column(ColumnReference("value", qualifier: alias))
            }
        }
        return (sides, rewritten)
    }

    /// `plan` with every side joined: the one-row ones crossed, the correlated ones left outer.
    static func joining(_ sides: [ScalarSide], to plan: LogicalPlan) -> LogicalPlan {
        sides.reduce(plan) { plan, side in
            .join(left: plan, right: side.plan, JoinSpec(type: side.condition == nil ? .cross : .leftOuter, condition: side.condition))
        }
    }

    /// The side of `subquery` (see the extension's comment), named `alias`.
    private func side(of subquery: ScalarSubquery, alias: String) throws -> ScalarSide {
        guard case .projection(let items, let input) = subquery.query, let select = AggregateSelect(items: items, input: input),
              select.groupBy.isEmpty, select.having == nil else {
            throw QueryError.unsupported("scalar subqueries other than ones that aggregate without GROUP BY or HAVING (one row)")
        }
        let own: Result<[PlanColumn], any Error> = Result { try resolve(subquery.query).schema().columns.filter { !$0.isHidden } }
        if case .success(let columns) = own {
            guard columns.count == 1 else {
                throw QueryError.invalid("a scalar subquery returns \(columns.count) columns; it must return one")
            }
            return ScalarSide(plan: .subqueryAlias(alias, input: .columnAliases(["value"], input: subquery.query)), condition: nil)
        }
        // It names columns it does not have: correlated, when its WHERE pairs them with its own.
        guard case .filter(let predicate, let from) = select.input, select.items.count == 1 else {
            throw QueryError.unsupported("a scalar subquery that fails on its own (\(own.failureText))")
        }
        let inner = try resolve(from).schema()
        func isInner(_ e: Expr) -> Bool { e.columnReferences.allSatisfy { (try? inner.index(of: $0, matchingSourceNames: true)) != nil } }
        var local: [Expr] = []
        var pairs: [(inner: Expr, outer: Expr)] = []
        for term in predicate.conjuncts {
            if isInner(term) { local.append(term); continue }
            guard case .binary(let a, .equal, let b) = term, !a.containsSubquery, !b.containsSubquery else {
                throw QueryError.unsupported("a correlated scalar subquery whose outer columns are in other terms than equalities: \(term)")
            }
            if isInner(a) && !a.columnReferences.isEmpty && !isInner(b) {
                pairs.append((a, b))
            } else if isInner(b) && !b.columnReferences.isEmpty && !isInner(a) {
                pairs.append((b, a))
            } else {
                throw QueryError.unsupported("a correlated scalar subquery whose term \(term) does not pair its own columns with the outer query's")
            }
        }
        // Its WHERE names none of the outer query's columns: it failed for another reason.
        guard !pairs.isEmpty else {
            throw QueryError.unsupported("a scalar subquery that fails on its own (\(own.failureText))")
        }
        if select.items[0].contains(where: { if case .aggregate(.count, _, _) = $0 { true } else { false } }) {
            throw QueryError.unsupported("a correlated scalar subquery with count (a row without a group would get NULL, not 0)")
        }
        let rows = Expr.conjunction(local).map { LogicalPlan.filter($0, input: from) } ?? from
        let keys = pairs.enumerated().map { Expr.alias($1.inner, name: "key\($0)") }
        let grouped = LogicalPlan.projection(keys + [.alias(select.items[0].unaliased, name: "value")],
                                             input: .aggregate(groupBy: pairs.map(\.inner), aggregates: [], input: rows))
        let equalities = pairs.enumerated().map { Expr.binary($1.outer, .equal, .column(ColumnReference("key\($0)", qualifier: alias))) }
        return ScalarSide(plan: .subqueryAlias(alias, input: grouped), condition: Expr.conjunction(equalities))
    }
}

private extension Result where Failure == any Error {
    var failureText: String {
        if case .failure(let error) = self { return "\(error)" }
        return ""
    }
}
