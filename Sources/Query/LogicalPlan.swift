import Columnar

/// A table named in a query, before the analyzer looks it up: a catalog name (`lineitem`) or a
/// path with its format (`parquet.\`/data/x.parquet\``).
public struct TableName: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// `parquet` or `csv` for a path read directly; nil for a catalog name.
    public var format: String?

    public init(_ name: String, format: String? = nil) {
        self.name = name
        self.format = format
    }

    public var description: String { format.map { "\($0).`\(name)`" } ?? name }
}

/// A scan of a table source: the columns it reads, the filters it may use to skip data, and the
/// most rows it needs (pushed down by the optimizer).
public struct TableScan: Sendable {
    public var source: any TableSource
    /// The name columns are qualified with (the table name or its alias).
    public var qualifier: String
    /// Indices of the source columns read, in output order; nil reads all.
    public var projection: [Int]?
    /// Conjuncts the source may use to skip data. They are only hints: the rows read are still
    /// filtered by the Filter above the scan.
    public var filters: [Expr]
    public var limit: Int?

    public init(source: any TableSource, qualifier: String, projection: [Int]? = nil, filters: [Expr] = [], limit: Int? = nil) {
        self.source = source
        self.qualifier = qualifier
        self.projection = projection
        self.filters = filters
        self.limit = limit
    }

    /// The source columns this scan outputs.
    public var outputSchema: PlanSchema {
        let all = PlanSchema(source.schema, qualifier: qualifier)
        guard let projection else { return all }
        return PlanSchema(projection.map { all.columns[$0] })
    }
}

/// A node of the logical plan. Transformations (select, where, group by…) build it lazily; the
/// analyzer resolves names and types, the optimizer rewrites it, and the physical planner turns
/// it into operators.
public indirect enum LogicalPlan: Sendable {
    case unresolvedRelation(TableName)
    case scan(TableScan)
    case filter(Expr, input: LogicalPlan)
    /// Output columns, each an expression (aliased or named after its text).
    case projection([Expr], input: LogicalPlan)
    /// Groups by `groupBy` and outputs the grouping expressions followed by `aggregates`.
    case aggregate(groupBy: [Expr], aggregates: [Expr], input: LogicalPlan)
    case sort([SortKey], input: LogicalPlan)
    case limit(Int, offset: Int, input: LogicalPlan)
    case distinct(LogicalPlan)
    case unionAll([LogicalPlan])
    /// Renames the input's qualifier (`FROM t AS x`, a subquery's alias, a WITH name).
    case subqueryAlias(String, input: LogicalPlan)
    /// One row of no columns: what `SELECT 1` reads.
    case oneRow
    /// Joins two inputs; outputs the left columns then the right ones (`JoinSpec.combinedSchema`),
    /// or only the left ones for semi and anti joins.
    case join(left: LogicalPlan, right: LogicalPlan, JoinSpec)
    /// A join strategy hint on its input (`/*+ BROADCAST(t) */`); passes rows through.
    case hint(JoinHint, input: LogicalPlan)
    /// New names for the input's columns, in order (`FROM … AS t(a, b)`, `WITH t(a, b) AS …`);
    /// the analyzer turns it into a projection once it knows the input's columns.
    case columnAliases([String], input: LogicalPlan)

    /// The direct inputs.
    public var inputs: [LogicalPlan] {
        switch self {
        case .unresolvedRelation, .scan, .oneRow: []
        case .filter(_, let input), .projection(_, let input), .aggregate(_, _, let input), .sort(_, let input),
             .limit(_, _, let input), .subqueryAlias(_, let input), .hint(_, let input), .columnAliases(_, let input):
            [input]
        case .distinct(let input): [input]
        case .join(let left, let right, _): [left, right]
        case .unionAll(let inputs): inputs
        }
    }

    /// This node with its inputs replaced (same count and order).
    public func withInputs(_ inputs: [LogicalPlan]) -> LogicalPlan {
        switch self {
        case .unresolvedRelation, .scan, .oneRow: self
        case .filter(let predicate, _): .filter(predicate, input: inputs[0])
        case .projection(let exprs, _): .projection(exprs, input: inputs[0])
        case .aggregate(let groupBy, let aggregates, _): .aggregate(groupBy: groupBy, aggregates: aggregates, input: inputs[0])
        case .sort(let keys, _): .sort(keys, input: inputs[0])
        case .limit(let count, let offset, _): .limit(count, offset: offset, input: inputs[0])
        case .distinct: .distinct(inputs[0])
        case .unionAll: .unionAll(inputs)
        case .subqueryAlias(let name, _): .subqueryAlias(name, input: inputs[0])
        case .join(_, _, let spec): .join(left: inputs[0], right: inputs[1], spec)
        case .hint(let hint, _): .hint(hint, input: inputs[0])
        case .columnAliases(let names, _): .columnAliases(names, input: inputs[0])
        }
    }

    /// Rewrites bottom-up: inputs first, then `rule` on the rebuilt node.
    public func transformUp(_ rule: (LogicalPlan) throws -> LogicalPlan) rethrows -> LogicalPlan {
        try rule(withInputs(try inputs.map { try $0.transformUp(rule) }))
    }

    /// Rewrites top-down: `rule` on this node, then on the inputs of what it returned.
    public func transformDown(_ rule: (LogicalPlan) throws -> LogicalPlan) rethrows -> LogicalPlan {
        let rewritten = try rule(self)
        return rewritten.withInputs(try rewritten.inputs.map { try $0.transformDown(rule) })
    }

    /// The output columns. Valid on an analyzed plan (names resolved, types checked).
    public func schema() throws -> PlanSchema {
        switch self {
        case .unresolvedRelation(let name):
            throw QueryError.invalid("the plan still names table \(name); analyze it first")
        case .columnAliases:
            throw QueryError.invalid("the plan still has unresolved column aliases; analyze it first")
        case .scan(let scan):
            return scan.outputSchema
        case .filter(_, let input), .sort(_, let input), .limit(_, _, let input), .hint(_, let input):
            return try input.schema()
        case .join(let left, let right, let spec):
            let leftSchema = try left.schema()
            guard spec.type.outputsRight else { return leftSchema }
            return spec.combinedSchema(left: leftSchema, right: try right.schema())
        case .distinct(let input):
            return try input.schema()
        case .projection(let exprs, let input):
            let inputSchema = try input.schema()
            return PlanSchema(try exprs.map { try ExpressionTyping.column(for: $0, in: inputSchema) })
        case .aggregate(let groupBy, let aggregates, let input):
            let inputSchema = try input.schema()
            return PlanSchema(try (groupBy + aggregates).map { try ExpressionTyping.column(for: $0, in: inputSchema) })
        case .unionAll(let inputs):
            guard let first = inputs.first else { return PlanSchema([]) }
            var schema = try first.schema()
            for other in inputs.dropFirst() {
                for (i, column) in try other.schema().columns.enumerated() where column.isNullable {
                    schema.columns[i].isNullable = true
                }
            }
            return schema
        case .subqueryAlias(let name, let input):
            return try input.schema().qualified(by: name)
        case .oneRow:
            return PlanSchema([])
        }
    }
}

extension LogicalPlan {
    /// This node with each of its own expressions (not its inputs') rewritten by `transform`.
    public func mapExpressions(_ transform: (Expr) throws -> Expr) rethrows -> LogicalPlan {
        switch self {
        case .filter(let predicate, let input): return .filter(try transform(predicate), input: input)
        case .projection(let exprs, let input): return .projection(try exprs.map(transform), input: input)
        case .aggregate(let groupBy, let aggregates, let input):
            return .aggregate(groupBy: try groupBy.map(transform), aggregates: try aggregates.map(transform), input: input)
        case .sort(let keys, let input):
            return .sort(try keys.map { SortKey(try transform($0.expr), ascending: $0.ascending, nullsFirst: $0.nullsFirst) }, input: input)
        case .scan(var scan):
            scan.filters = try scan.filters.map(transform)
            return .scan(scan)
        case .join(let left, let right, var spec):
            spec.condition = try spec.condition.map(transform)
            return .join(left: left, right: right, spec)
        default:
            return self
        }
    }
}

extension LogicalPlan {
    /// `mapExpressions`, keeping the names of the columns the node outputs: a projection item or
    /// an aggregate's output that `transform` would rename (constant folding `1 + 2` into `3`)
    /// keeps its old name as an alias, so that the nodes above, which refer to it by name
    /// (`ORDER BY 1`), still find it.
    public func mapExpressionsKeepingNames(_ transform: (Expr) throws -> Expr) rethrows -> LogicalPlan {
        func keepingName(_ expr: Expr) throws -> Expr {
            let mapped = try transform(expr)
            return mapped.outputName == expr.outputName ? mapped : .alias(mapped.unaliased, name: expr.outputName)
        }
        switch self {
        case .projection(let exprs, let input):
            return .projection(try exprs.map(keepingName), input: input)
        case .aggregate(let groupBy, let aggregates, let input):
            return .aggregate(groupBy: try groupBy.map(keepingName), aggregates: try aggregates.map(keepingName), input: input)
        default:
            return try mapExpressions(transform)
        }
    }
}

extension LogicalPlan {
    /// The columns a join's condition sees: the left columns then the right ones, renamed
    /// (for semi and anti joins too, whose output has only the left ones).
    public static func joinConditionSchema(left: LogicalPlan, right: LogicalPlan, _ spec: JoinSpec) throws -> PlanSchema {
        spec.combinedSchema(left: try left.schema(), right: try right.schema())
    }
}
