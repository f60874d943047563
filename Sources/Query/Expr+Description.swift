extension Expr: CustomStringConvertible {
    /// SQL-like text, used in plans (EXPLAIN) and as the name of an unaliased select expression:
    /// `sum(l_quantity)`, `(a + b)`, `l_shipdate <= DATE '1998-09-02'`.
    public var description: String {
        switch self {
        case .column(let reference): return reference.description
        case .literal(let value): return value.description
        case .not(let e): return "NOT \(e)"
        case .negate(let e): return "(- \(e))"
        case .isNull(let e): return "\(e) IS NULL"
        case .isNotNull(let e): return "\(e) IS NOT NULL"
        case .binary(let l, let op, let r): return "(\(l) \(op.rawValue) \(r))"
        case .inList(let e, let list, let negated):
            return "\(e) \(negated ? "NOT IN" : "IN") (\(list.map(\.description).joined(separator: ", ")))"
        case .between(let e, let low, let high, let negated):
            return "\(e) \(negated ? "NOT BETWEEN" : "BETWEEN") \(low) AND \(high)"
        case .like(let e, let pattern, let negated): return "\(e) \(negated ? "NOT LIKE" : "LIKE") \(pattern)"
        case .caseWhen(let operand, let branches, let otherwise):
            var text = "CASE"
            if let operand { text += " \(operand)" }
            for branch in branches { text += " WHEN \(branch.condition) THEN \(branch.result)" }
            if let otherwise { text += " ELSE \(otherwise)" }
            return text + " END"
        case .cast(let e, let type): return "CAST(\(e) AS \(type.sqlName))"
        case .function(let name, let arguments): return "\(name)(\(arguments.map(\.description).joined(separator: ", ")))"
        case .aggregate(let function, let arguments, let distinct):
            if arguments.isEmpty { return "\(function.rawValue)(*)" }
            return "\(function.rawValue)(\(distinct ? "DISTINCT " : "")\(arguments.map(\.description).joined(separator: ", ")))"
        case .alias(let e, let name): return "\(e) AS \(name)"
        case .hidden(let e, let name, _, _): return e.outputName == name ? "\(e) (hidden)" : "\(e) AS \(name) (hidden)"
        case .star(let qualifier): return qualifier.map { "\($0).*" } ?? "*"
        case .subquery(let predicate): return predicate.description
        case .scalarSubquery(let subquery): return subquery.description
        }
    }

    /// The output column name of a select expression: its alias, its column name, or its text.
    public var outputName: String {
        switch self {
        case .alias(_, let name), .hidden(_, let name, _, _): name
        case .column(let reference): reference.name
        default: description
        }
    }
}
