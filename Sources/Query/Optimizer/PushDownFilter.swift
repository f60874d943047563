/// Moves filters towards the scan: merges adjacent filters, and pushes each conjunct through
/// projections (rewriting it over the projection's input), sorts, unions, aggregates when it
/// only uses grouping columns, and joins: into the side whose columns it uses when that side's
/// rows are not padded with nulls, else into an inner join's condition. A join condition's
/// conjuncts over one side move into that side where the join type allows. A conjunct that
/// cannot move stays where it was.
public struct PushDownFilter: OptimizerRule {
    public let name = "push_down_filter"
    public init() {}

    public func apply(_ plan: LogicalPlan, _ context: OptimizerContext) throws -> LogicalPlan {
        try plan.transformDown { node in
            switch node {
            case .filter(let predicate, let input): try push(predicate, into: input)
            case .join(let left, let right, let spec): try pushCondition(left, right, spec)
            default: node
            }
        }
    }

    func push(_ predicate: Expr, into input: LogicalPlan) throws -> LogicalPlan {
        switch input {
        case .filter(let inner, let child):
            return .filter(Expr.conjunction(inner.conjuncts + predicate.conjuncts)!, input: child)
        case .projection(let exprs, let child):
            // Each output name maps to the expression that computes it.
            var definitions: [String: Expr] = [:]
            for e in exprs { definitions[e.outputName.lowercased()] = e.unaliased }
            var pushed: [Expr] = []
            var kept: [Expr] = []
            for conjunct in predicate.conjuncts {
                if let rewritten = substitute(conjunct, definitions), !rewritten.containsAggregate,
                   rewritten.isDeterministic {
                    pushed.append(rewritten)
                } else {
                    kept.append(conjunct)
                }
            }
            guard let below = Expr.conjunction(pushed) else { return .filter(predicate, input: input) }
            return wrap(kept, .projection(exprs, input: .filter(below, input: child)))
        case .sort(let keys, let child):
            return .sort(keys, input: .filter(predicate, input: child))
        case .subqueryAlias(let alias, let child):
            return .subqueryAlias(alias, input: .filter(predicate, input: child))
        case .hint(let hint, let child):
            return .hint(hint, input: .filter(predicate, input: child))
        case .join(let left, let right, var spec):
            let sides = try JoinSides(left, right, spec)
            var toLeft: [Expr] = [], toRight: [Expr] = [], toCondition: [Expr] = [], kept: [Expr] = []
            for conjunct in predicate.conjuncts where conjunct.isDeterministic {
                switch sides.side(of: conjunct) {
                case .left? where !spec.type.preservesRight: toLeft.append(conjunct)
                case .right? where !spec.type.preservesLeft && spec.type.outputsRight: toRight.append(sides.overRight(conjunct))
                case _ where spec.type == .inner || spec.type == .cross: toCondition.append(conjunct)
                default: kept.append(conjunct)
                }
            }
            if toLeft.isEmpty && toRight.isEmpty && toCondition.isEmpty { return .filter(predicate, input: input) }
            if !toCondition.isEmpty {
                spec.condition = Expr.conjunction((spec.condition?.conjuncts ?? []) + toCondition)
                spec.type = .inner
            }
            return wrap(kept, .join(left: wrap(toLeft, left), right: wrap(toRight, right), spec))
        case .unionAll(let children):
            return .unionAll(try children.map { child in
                // Union inputs have the first input's names (the analyzer aligned them).
                let names = try child.schema().columns.map(\.name)
                let first = try input.schema().columns.map(\.name)
                var definitions: [String: Expr] = [:]
                for (outer, inner) in zip(first, names) { definitions[outer.lowercased()] = .column(ColumnReference(inner)) }
                return .filter(substitute(predicate, definitions) ?? predicate, input: child)
            })
        case .aggregate(let groupBy, let aggregates, let child):
            var definitions: [String: Expr] = [:]
            for g in groupBy { definitions[g.outputName.lowercased()] = g.unaliased }
            let aggregateNames = Set(aggregates.map { $0.outputName.lowercased() })
            var pushed: [Expr] = []
            var kept: [Expr] = []
            for conjunct in predicate.conjuncts {
                let names = conjunct.columnReferences.map { $0.name.lowercased() }
                if !names.isEmpty, names.allSatisfy({ definitions[$0] != nil && !aggregateNames.contains($0) }),
                   let rewritten = substitute(conjunct, definitions) {
                    pushed.append(rewritten)
                } else {
                    kept.append(conjunct)
                }
            }
            guard let below = Expr.conjunction(pushed) else { return .filter(predicate, input: input) }
            return wrap(kept, .aggregate(groupBy: groupBy, aggregates: aggregates, input: .filter(below, input: child)))
        default:
            return .filter(predicate, input: input)
        }
    }

    /// Moves a join condition's conjuncts over one side into that side, where rows it drops
    /// could not have matched and would not be kept unmatched.
    func pushCondition(_ left: LogicalPlan, _ right: LogicalPlan, _ spec: JoinSpec) throws -> LogicalPlan {
        guard let condition = spec.condition else { return .join(left: left, right: right, spec) }
        let sides = try JoinSides(left, right, spec)
        var toLeft: [Expr] = [], toRight: [Expr] = [], kept: [Expr] = []
        for conjunct in condition.conjuncts {
            switch sides.side(of: conjunct) {
            case .left? where [.inner, .cross, .rightOuter, .leftSemi].contains(spec.type): toLeft.append(conjunct)
            case .right? where [.inner, .cross, .leftOuter, .leftSemi, .leftAnti].contains(spec.type): toRight.append(sides.overRight(conjunct))
            default: kept.append(conjunct)
            }
        }
        guard !toLeft.isEmpty || !toRight.isEmpty else { return .join(left: left, right: right, spec) }
        var spec = spec
        spec.condition = Expr.conjunction(kept)
        return .join(left: wrap(toLeft, left), right: wrap(toRight, right), spec)
    }

    func wrap(_ conjuncts: [Expr], _ plan: LogicalPlan) -> LogicalPlan {
        guard let predicate = Expr.conjunction(conjuncts) else { return plan }
        return .filter(predicate, input: plan)
    }

    /// `e` with each column replaced by its definition; nil when a column has none.
    func substitute(_ e: Expr, _ definitions: [String: Expr]) -> Expr? {
        var missing = false
        let result = e.transformUp { node -> Expr in
            guard case .column(let reference) = node else { return node }
            guard let definition = definitions[reference.name.lowercased()] else { missing = true; return node }
            return definition
        }
        return missing ? nil : result
    }
}

extension Expr {
    /// Spark's functions whose value changes from one evaluation to the next.
    static let nondeterministicFunctions: Set<String> = ["rand", "random", "randn", "uuid", "shuffle",
                                                         "monotonically_increasing_id", "spark_partition_id"]

    /// False for expressions whose value may differ between evaluations: calls of
    /// `nondeterministicFunctions` (none of which Sparrow has yet). Kept so that the pushdown
    /// rules and the Parquet scan's own filter say what they rely on.
    public var isDeterministic: Bool {
        !contains(where: { node in
            if case .function(let name, _) = node { Self.nondeterministicFunctions.contains(name.lowercased()) } else { false }
        })
    }
}
