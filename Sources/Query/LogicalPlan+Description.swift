/// The plan as an indented tree, as EXPLAIN prints it (Spark's layout: `+-` before each input).
extension LogicalPlan: CustomStringConvertible {
    public var description: String { treeString() }

    public func treeString() -> String {
        var lines: [String] = []
        appendTree(to: &lines, prefix: "", childPrefix: "")
        return lines.joined(separator: "\n")
    }

    func appendTree(to lines: inout [String], prefix: String, childPrefix: String) {
        lines.append(prefix + nodeDescription)
        let children = inputs
        for (i, child) in children.enumerated() {
            let last = i == children.count - 1
            child.appendTree(to: &lines, prefix: childPrefix + "+- ", childPrefix: childPrefix + (last ? "   " : ":  "))
        }
    }

    /// One line for this node, without its inputs.
    public var nodeDescription: String {
        func list(_ exprs: [Expr]) -> String { exprs.map(\.description).joined(separator: ", ") }
        switch self {
        case .unresolvedRelation(let name): return "UnresolvedRelation \(name)"
        case .columnAliases(let names, _): return "UnresolvedSubqueryColumnAliases [\(names.joined(separator: ", "))]"
        case .scan(let scan):
            let columns = scan.outputSchema.columns.map(\.name).joined(separator: ", ")
            var text = "Scan \(scan.source.displayName) [\(columns)]"
            if !scan.filters.isEmpty { text += " PushedFilters: [\(list(scan.filters))]" }
            if let limit = scan.limit { text += " Limit: \(limit)" }
            return text
        case .filter(let predicate, _): return "Filter \(predicate)"
        case .projection(let exprs, _): return "Project [\(list(exprs))]"
        case .aggregate(let groupBy, let aggregates, _): return "Aggregate [\(list(groupBy))], [\(list(aggregates))]"
        case .sort(let keys, _): return "Sort [\(keys.map(\.description).joined(separator: ", "))]"
        case .limit(let count, let offset, _): return offset == 0 ? "Limit \(count)" : "Limit \(count) Offset \(offset)"
        case .distinct: return "Distinct"
        case .unionAll: return "Union"
        case .subqueryAlias(let name, _): return "SubqueryAlias \(name)"
        case .oneRow: return "OneRowRelation"
        case .join(_, _, let spec):
            var text = spec.isNatural ? "Join NATURAL \(spec.type)" : "Join \(spec.type)"
            if let using = spec.using { text += ", USING (\(using.joined(separator: ", ")))" }
            if let condition = spec.condition { text += ", \(condition)" }
            return text
        case .hint(let hint, _): return "ResolvedHint (strategy=\(hint.rawValue.lowercased()))"
        }
    }
}
