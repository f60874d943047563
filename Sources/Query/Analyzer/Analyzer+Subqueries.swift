/// IN and EXISTS subqueries, planned as Spark's RewritePredicateSubquery plans them: as left semi
/// joins, and left anti joins for NOT.
extension Analyzer {
    /// `input` filtered by `predicate`, whose top-level AND has IN or EXISTS subqueries among its
    /// conditions: the other conditions filter `input`, then each subquery joins it:
    /// - `[NOT] EXISTS (SELECT … FROM r WHERE p)`: a semi (anti) join with `r` on `p`, which may
    ///   name the outer query's columns (a correlated subquery);
    /// - `x IN (SELECT y …)`: a semi join with the subquery on `x = y`;
    /// - `x NOT IN (SELECT y …)`: an anti join on `x = y OR (x = y) IS NULL`, since a NULL on
    ///   either side makes NOT IN unknown, which keeps no row unless the subquery has none.
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
            let (right, condition) = try joinSide(of: subquery, number: number + 1)
            plan = .join(left: plan, right: right, JoinSpec(type: subquery.negated ? .leftAnti : .leftSemi, condition: condition))
        }
        return plan
    }

    /// What a subquery joins, and on what condition.
    private func joinSide(of subquery: SubqueryPredicate, number: Int) throws -> (LogicalPlan, Expr) {
        guard let value = subquery.value else {
            let (from, condition) = try Self.existsParts(subquery.query)
            return (from, condition ?? .literal(.boolean(true)))
        }
        let width = try resolve(subquery.query).schema().columns.filter { !$0.isHidden }.count
        guard width == 1 else {
            throw QueryError.invalid("the subquery of \(subquery) returns \(width) columns; IN needs one")
        }
        let alias = "__subquery\(number)"
        let column = Expr.column(ColumnReference("value", qualifier: alias))
        let right = LogicalPlan.subqueryAlias(alias, input: .columnAliases(["value"], input: subquery.query))
        let equal = Expr.binary(value, .equal, column)
        return (right, subquery.negated ? .binary(equal, .or, .isNull(equal)) : equal)
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
