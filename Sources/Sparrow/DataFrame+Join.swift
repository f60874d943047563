import Query

/// Joins in the DataFrame API, as PySpark spells them: `df.join(other, on: "id", how: "left")`.
extension DataFrame {
    /// Joins on equal values of same-named columns (`USING`): each key appears once in the
    /// output, before the other columns. `how` is any of Spark's names (`inner`, `left`,
    /// `left_outer`, `right`, `full`, `outer`, `left_semi`, `semi`, `left_anti`, `anti`, `cross`).
    public func join(_ other: DataFrame, on columns: [String], how: String = "inner") throws -> DataFrame {
        with(.join(left: plan, right: other.plan, JoinSpec(type: try Self.joinType(how), using: columns)))
    }

    public func join(_ other: DataFrame, on column: String, how: String = "inner") throws -> DataFrame {
        try join(other, on: [column], how: how)
    }

    /// Joins where `condition` holds (`col("a.k") == col("b.k")`, with `alias` to qualify).
    public func join(_ other: DataFrame, on condition: Expr, how: String = "inner") throws -> DataFrame {
        with(.join(left: plan, right: other.plan, JoinSpec(type: try Self.joinType(how), condition: condition)))
    }

    /// Every row of this frame with every row of `other`.
    public func crossJoin(_ other: DataFrame) -> DataFrame {
        with(.join(left: plan, right: other.plan, JoinSpec(type: .cross)))
    }

    static func joinType(_ how: String) throws -> JoinType {
        guard let type = JoinType(spark: how) else {
            throw QueryError.invalid("unknown join type '\(how)'; use one of inner, cross, outer, full, fullouter, full_outer, left, leftouter, left_outer, right, rightouter, right_outer, semi, leftsemi, left_semi, anti, leftanti, left_anti")
        }
        return type
    }
}

/// Marks a frame as small enough to broadcast in the joins it takes part in (Spark's
/// `functions.broadcast`).
public func broadcast(_ frame: DataFrame) -> DataFrame {
    DataFrame(session: frame.session, plan: .hint(.broadcast, input: frame.plan))
}
