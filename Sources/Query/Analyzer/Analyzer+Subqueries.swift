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
        var plan = others.isEmpty ? input : .filter(others.dropFirst().reduce(others[0]) { .binary($0, .and, $1) }, input: input)
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

/// Scalar subqueries: `(SELECT avg(x) FROM t)` as a value. Those that aggregate without GROUP BY
/// or HAVING have exactly one row, so the rows that use one are joined to that row and the
/// subquery becomes a reference to its column, as Spark's optimizer ends up planning an
/// uncorrelated scalar subquery (a value computed once): in WHERE, a left semi join whose
/// condition is the WHERE's terms that use subqueries (every row meets the one row once); in a
/// select list, a cross join under the projection.
extension Analyzer {
    /// The one-row sides of `expressions`' scalar subqueries, cross-joined, and `expressions` with
    /// each subquery replaced by its side's column `__scalarN.value`.
    func joiningScalarSubqueries(_ expressions: [Expr]) throws -> (right: LogicalPlan, expressions: [Expr]) {
        var sides: [LogicalPlan] = []
        let rewritten = try expressions.map { expr in
            try expr.transformUp { e -> Expr in
                guard case .scalarSubquery(let subquery) = e else { return e }
                let alias = "__scalar\(sides.count + 1)"
                sides.append(.subqueryAlias(alias, input: .columnAliases(["value"], input: try oneRowQuery(subquery))))
                return .column(ColumnReference("value", qualifier: alias))
            }
        }
        let right = sides.dropFirst().reduce(sides[0]) { .join(left: $0, right: $1, JoinSpec(type: .cross)) }
        return (right, rewritten)
    }

    /// `subquery`'s query, once checked to be one of one row and one column.
    private func oneRowQuery(_ subquery: ScalarSubquery) throws -> LogicalPlan {
        guard let select = AggregateSelect(items: Self.selectItems(subquery.query) ?? [], input: Self.selectInput(subquery.query)),
              select.groupBy.isEmpty, select.having == nil else {
            throw QueryError.unsupported("scalar subqueries other than ones that aggregate without GROUP BY or HAVING (one row)")
        }
        let columns: [PlanColumn]
        do {
            columns = try resolve(subquery.query).schema().columns.filter { !$0.isHidden }
        } catch {
            throw QueryError.unsupported("a scalar subquery that fails on its own (\(error)); correlated ones, which name the outer query's columns, are not supported")
        }
        guard columns.count == 1 else {
            throw QueryError.invalid("a scalar subquery returns \(columns.count) columns; it must return one")
        }
        return subquery.query
    }

    private static func selectItems(_ query: LogicalPlan) -> [Expr]? {
        if case .projection(let items, _) = query { return items }
        return nil
    }

    private static func selectInput(_ query: LogicalPlan) -> LogicalPlan {
        if case .projection(_, let input) = query { return input }
        return query
    }
}
