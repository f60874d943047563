/// Drops columns no ancestor uses, down to the scan, which then reads only the column chunks it
/// needs (`SELECT count(*)` reads none).
public struct PruneColumns: OptimizerRule {
    public let name = "column_pruning"
    public init() {}

    public func apply(_ plan: LogicalPlan, _ context: OptimizerContext) throws -> LogicalPlan {
        try prune(plan, required: nil)
    }

    /// `plan` producing at least the columns named in `required` (lower case); nil keeps all.
    func prune(_ plan: LogicalPlan, required: Set<String>?) throws -> LogicalPlan {
        func names(_ exprs: [Expr]) -> Set<String> { Set(exprs.flatMap(\.columnReferences).map { $0.name.lowercased() }) }
        switch plan {
        case .projection(let exprs, let input):
            let kept = required.map { r in exprs.filter { r.contains($0.outputName.lowercased()) } } ?? exprs
            return .projection(kept, input: try prune(input, required: names(kept)))
        case .filter(let predicate, let input):
            return .filter(predicate, input: try prune(input, required: required.map { $0.union(names([predicate])) }))
        case .aggregate(let groupBy, let aggregates, let input):
            let kept = required.map { r in aggregates.filter { r.contains($0.outputName.lowercased()) } } ?? aggregates
            return .aggregate(groupBy: groupBy, aggregates: kept, input: try prune(input, required: names(groupBy + kept)))
        case .sort(let keys, let input):
            return .sort(keys, input: try prune(input, required: required.map { $0.union(names(keys.map(\.expr))) }))
        case .limit(let count, let offset, let input):
            return .limit(count, offset: offset, input: try prune(input, required: required))
        case .subqueryAlias(let name, let input):
            return .subqueryAlias(name, input: try prune(input, required: required))
        case .distinct(let input):
            return .distinct(try prune(input, required: nil))
        case .unionAll(let inputs):
            return .unionAll(try inputs.map { try prune($0, required: nil) })
        case .scan(var scan):
            guard let required else { return plan }
            let all = scan.source.schema.fields
            let current = scan.projection ?? Array(all.indices)
            let kept = current.filter { required.contains(all[$0].name.lowercased()) }
            guard kept != current else { return plan }
            scan.projection = kept
            return .scan(scan)
        case .hint(let hint, let input):
            return .hint(hint, input: try prune(input, required: required))
        case .join(let left, let right, let spec):
            guard let required else {
                return .join(left: try prune(left, required: nil), right: try prune(right, required: nil), spec)
            }
            let needed = required.union(names(spec.condition.map { [$0] } ?? []))
            let leftNeeded = Set(try left.schema().columns.map { $0.name.lowercased() }.filter(needed.contains))
            let rightNeeded = Set(try right.schema().columns.filter {
                needed.contains(spec.outputName(ofRight: $0.name).lowercased())
            }.map { $0.name.lowercased() })
            return .join(left: try narrowed(try prune(left, required: leftNeeded), to: leftNeeded),
                         right: try narrowed(try prune(right, required: rightNeeded), to: rightNeeded), spec)
        case .unresolvedRelation, .oneRow, .columnAliases:
            // Leaves, and nodes only an unanalyzed plan has.
            return plan
        }
    }

    /// `plan` under a projection onto the `needed` columns when it outputs others too (a column
    /// only a filter below used), as Spark's ColumnPruning does below a join: a join gathers and
    /// a shuffle copies every column of its inputs.
    func narrowed(_ plan: LogicalPlan, to needed: Set<String>) throws -> LogicalPlan {
        let columns = try plan.schema().columns
        let kept = columns.filter { needed.contains($0.name.lowercased()) }
        guard !kept.isEmpty, kept.count < columns.count else { return plan }
        return .projection(kept.map { .column(ColumnReference($0.name)) }, input: plan)
    }
}
