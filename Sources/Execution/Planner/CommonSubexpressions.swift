import Columnar
import Query

/// Computes once what several aggregate arguments share. TPC-H Q1 sums both
/// `l_extendedprice * (1 - l_discount)` and that times `(1 + l_tax)`; a projection below the
/// partial aggregate computes the product once and both arguments read it.
enum CommonSubexpressions {
    /// The aggregate's keys and arguments rewritten over a projection that computes each repeated
    /// subexpression once; the input unchanged when nothing repeats.
    static func extract(keys: [Expr], arguments: [[Expr]], input: any ExecutionPlan)
        throws -> (input: any ExecutionPlan, keys: [Expr], arguments: [[Expr]]) {
        var counts: [Expr: Int] = [:]
        func count(_ e: Expr) {
            guard isComputed(e) else { return }
            counts[e, default: 0] += 1
            e.children.forEach(count)
        }
        (keys + arguments.flatMap { $0 }).forEach(count)
        // Largest first, so a shared expression inside a shared one is not computed twice.
        let repeated = counts.filter { $0.value > 1 }.keys.sorted { $0.description.count > $1.description.count }
        guard !repeated.isEmpty else { return (input, keys, arguments) }

        var names: [Expr: String] = [:]
        var definitions: [Expr] = []
        func rewrite(_ e: Expr) -> Expr {
            if let name = names[e] { return .column(ColumnReference(name)) }
            return e.mapChildren(rewrite)
        }
        // Each shared expression may itself use the ones found before it (smaller ones later).
        for e in repeated.reversed() {
            let name = "_shared\(definitions.count)"
            definitions.append(.alias(rewrite(e), name: name))
            names[e] = name
        }
        let newKeys = keys.map(rewrite)
        let newArguments = arguments.map { $0.map(rewrite) }
        // Each shared column is computed from the input columns and the shared columns before it;
        // chained projections keep that order.
        var plan = input
        for definition in definitions {
            let passThrough = plan.schema.columns.map { Expr.column(ColumnReference($0.name)) }
            let exprs = passThrough + [definition]
            let schema = PlanSchema(plan.schema.columns + [try ExpressionTyping.column(for: definition, in: plan.schema)])
            plan = try ProjectExec(exprs: exprs, input: plan, schema: schema)
        }
        return (plan, newKeys, newArguments)
    }

    /// Worth sharing: an operator or function, not a column or a literal.
    static func isComputed(_ e: Expr) -> Bool {
        switch e {
        case .column, .literal, .alias, .star, .aggregate: false
        default: true
        }
    }
}
