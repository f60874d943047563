import Query

/// `df.groupBy(…)`: the keys waiting for their aggregates, as Spark's RelationalGroupedDataset.
public struct GroupedData: Sendable {
    let frame: DataFrame
    let keys: [Expr]

    public func agg(_ exprs: Expr...) -> DataFrame { agg(exprs) }

    public func agg(_ exprs: [Expr]) -> DataFrame {
        frame.with(.aggregate(groupBy: keys, aggregates: exprs, input: frame.plan))
    }

    public func count() -> DataFrame { agg(.alias(.aggregate(.count, arguments: [], distinct: false), name: "count")) }
    public func sum(_ columns: String...) -> DataFrame { agg(columns.map { Sparrow.sum(.col($0)) }) }
    public func avg(_ columns: String...) -> DataFrame { agg(columns.map { Sparrow.avg(.col($0)) }) }
    public func min(_ columns: String...) -> DataFrame { agg(columns.map { Sparrow.min(.col($0)) }) }
    public func max(_ columns: String...) -> DataFrame { agg(columns.map { Sparrow.max(.col($0)) }) }
}
