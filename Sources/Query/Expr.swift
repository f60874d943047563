import Columnar

/// A column reference by name, optionally qualified by a table or alias (`t.a`).
public struct ColumnReference: Hashable, Sendable, CustomStringConvertible {
    public var qualifier: String?
    public var name: String
    /// Names the column by its name in the plan (`id#1`, the second of two `id`s), as `*`
    /// expands, not by the name a query would write (which could be both `id`s).
    public var byPlanName: Bool

    public init(_ name: String, qualifier: String? = nil, byPlanName: Bool = false) {
        self.name = name
        self.qualifier = qualifier
        self.byPlanName = byPlanName
    }

    public var description: String { qualifier.map { "\($0).\(name)" } ?? name }
}

/// One `WHEN condition THEN result` of a CASE expression.
public struct WhenThen: Hashable, Sendable {
    public var condition: Expr
    public var result: Expr

    public init(_ condition: Expr, _ result: Expr) {
        self.condition = condition
        self.result = result
    }
}

/// An expression of the logical plan: what SQL and the DataFrame API build, what the analyzer
/// resolves and types, and what the optimizer rewrites. Execution compiles it into typed kernels.
///
/// Column references are by name until the plan is executed; the analyzer checks that each
/// names exactly one input column. Scalar functions are by name (`year`, `substring`…); the
/// analyzer checks them against the function registry.
public indirect enum Expr: Hashable, Sendable {
    case column(ColumnReference)
    case literal(ScalarValue)
    case not(Expr)
    case negate(Expr)
    case isNull(Expr)
    case isNotNull(Expr)
    case binary(Expr, BinaryOperator, Expr)
    case inList(Expr, [Expr], negated: Bool)
    case between(Expr, low: Expr, high: Expr, negated: Bool)
    /// `LIKE` with SQL wildcards `%` and `_` (and `\` escapes).
    case like(Expr, pattern: Expr, negated: Bool)
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`; with an operand, each WHEN is compared to it.
    case caseWhen(operand: Expr?, branches: [WhenThen], otherwise: Expr?)
    case cast(Expr, DataType)
    case function(name: String, arguments: [Expr])
    /// An aggregate call; `count(*)` has no arguments.
    case aggregate(AggregateFunction, arguments: [Expr], distinct: Bool)
    case alias(Expr, name: String)
    /// An output column that only a reference qualified by `qualifier` finds (`PlanColumn.isHidden`):
    /// what a USING join keeps of its sides' keys, `b.k` after `a JOIN b USING (k)`. `name` is
    /// its own in the plan, `visibleName` what the query calls it.
    case hidden(Expr, name: String, qualifier: String?, visibleName: String)
    /// `*` or `t.*` in a select list, expanded by the analyzer.
    case star(qualifier: String?)
    /// `x [NOT] IN (SELECT …)`, `[NOT] EXISTS (SELECT …)`: joins once analyzed.
    case subquery(SubqueryPredicate)
    /// `(SELECT avg(x) FROM t)` as a value: a join with its one row once analyzed.
    case scalarSubquery(ScalarSubquery)

    // MARK: Building

    public static func col(_ name: String) -> Expr {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        return parts.count == 2 ? .column(ColumnReference(parts[1], qualifier: parts[0])) : .column(ColumnReference(name))
    }

    public static func lit(_ value: Int) -> Expr { .literal(.int64(Int64(value))) }
    public static func lit(_ value: Double) -> Expr { .literal(.double(value)) }
    public static func lit(_ value: String) -> Expr { .literal(.string(value)) }
    public static func lit(_ value: Bool) -> Expr { .literal(.boolean(value)) }

    public func alias(_ name: String) -> Expr { .alias(self, name: name) }

    public static func && (lhs: Expr, rhs: Expr) -> Expr { .binary(lhs, .and, rhs) }
    public static func || (lhs: Expr, rhs: Expr) -> Expr { .binary(lhs, .or, rhs) }
    public static prefix func ! (operand: Expr) -> Expr { .not(operand) }
    public static func + (lhs: Expr, rhs: Expr) -> Expr { .binary(lhs, .add, rhs) }
    public static func - (lhs: Expr, rhs: Expr) -> Expr { .binary(lhs, .subtract, rhs) }
    public static func * (lhs: Expr, rhs: Expr) -> Expr { .binary(lhs, .multiply, rhs) }
    public static func / (lhs: Expr, rhs: Expr) -> Expr { .binary(lhs, .divide, rhs) }
    public static func == (lhs: Expr, rhs: Expr) -> Expr { .binary(lhs, .equal, rhs) }

    public func isEqual(to other: Expr) -> Expr { .binary(self, .equal, other) }
    public func isNotEqual(to other: Expr) -> Expr { .binary(self, .notEqual, other) }
    public func lessThan(_ other: Expr) -> Expr { .binary(self, .less, other) }
    public func lessThanOrEqual(_ other: Expr) -> Expr { .binary(self, .lessOrEqual, other) }
    public func greaterThan(_ other: Expr) -> Expr { .binary(self, .greater, other) }
    public func greaterThanOrEqual(_ other: Expr) -> Expr { .binary(self, .greaterOrEqual, other) }

    // MARK: Structure

    /// The direct subexpressions.
    public var children: [Expr] {
        switch self {
        case .column, .literal, .star, .scalarSubquery: []
        case .not(let e), .negate(let e), .isNull(let e), .isNotNull(let e), .cast(let e, _), .alias(let e, _), .hidden(let e, _, _, _): [e]
        case .binary(let l, _, let r): [l, r]
        case .inList(let e, let list, _): [e] + list
        case .between(let e, let low, let high, _): [e, low, high]
        case .like(let e, let pattern, _): [e, pattern]
        case .caseWhen(let operand, let branches, let otherwise):
            (operand.map { [$0] } ?? []) + branches.flatMap { [$0.condition, $0.result] } + (otherwise.map { [$0] } ?? [])
        case .function(_, let arguments), .aggregate(_, let arguments, _): arguments
        case .subquery(let predicate): predicate.value.map { [$0] } ?? []
        }
    }

    /// This expression with each direct subexpression replaced by `transform(child)`.
    public func mapChildren(_ transform: (Expr) throws -> Expr) rethrows -> Expr {
        switch self {
        case .column, .literal, .star, .scalarSubquery: self
        case .not(let e): .not(try transform(e))
        case .negate(let e): .negate(try transform(e))
        case .isNull(let e): .isNull(try transform(e))
        case .isNotNull(let e): .isNotNull(try transform(e))
        case .cast(let e, let type): .cast(try transform(e), type)
        case .alias(let e, let name): .alias(try transform(e), name: name)
        case .hidden(let e, let name, let qualifier, let visibleName):
            .hidden(try transform(e), name: name, qualifier: qualifier, visibleName: visibleName)
        case .binary(let l, let op, let r): .binary(try transform(l), op, try transform(r))
        case .inList(let e, let list, let negated): .inList(try transform(e), try list.map(transform), negated: negated)
        case .between(let e, let low, let high, let negated):
            .between(try transform(e), low: try transform(low), high: try transform(high), negated: negated)
        case .like(let e, let pattern, let negated): .like(try transform(e), pattern: try transform(pattern), negated: negated)
        case .caseWhen(let operand, let branches, let otherwise):
            .caseWhen(operand: try operand.map(transform),
                      branches: try branches.map { WhenThen(try transform($0.condition), try transform($0.result)) },
                      otherwise: try otherwise.map(transform))
        case .function(let name, let arguments): .function(name: name, arguments: try arguments.map(transform))
        case .aggregate(let function, let arguments, let distinct):
            .aggregate(function, arguments: try arguments.map(transform), distinct: distinct)
        case .subquery(let predicate): .subquery(predicate.with(value: try predicate.value.map(transform)))
        }
    }

    /// Rewrites bottom-up: children first, then `rule` on the rebuilt node.
    public func transformUp(_ rule: (Expr) throws -> Expr) rethrows -> Expr {
        try rule(try mapChildren { try $0.transformUp(rule) })
    }

    /// True when `predicate` holds for this expression or any subexpression.
    public func contains(where predicate: (Expr) -> Bool) -> Bool {
        predicate(self) || children.contains { $0.contains(where: predicate) }
    }

    /// The columns referenced anywhere in the expression.
    public var columnReferences: [ColumnReference] {
        if case .column(let reference) = self { return [reference] }
        return children.flatMap(\.columnReferences)
    }

    /// True for an aggregate function call itself (not an expression over one).
    public var isAggregateCall: Bool {
        if case .aggregate = self { return true }
        return false
    }

    public var containsAggregate: Bool {
        contains { if case .aggregate = $0 { true } else { false } }
    }

    /// Whether an IN or EXISTS subquery is somewhere in this expression.
    public var containsSubquery: Bool {
        contains { if case .subquery = $0 { true } else { false } }
    }

    /// Whether a scalar subquery is somewhere in this expression.
    public var containsScalarSubquery: Bool {
        contains { if case .scalarSubquery = $0 { true } else { false } }
    }

    /// The expression without a top-level alias.
    public var unaliased: Expr {
        if case .alias(let e, _) = self { return e }
        return self
    }

    /// The conjuncts of an AND chain (`a AND (b AND c)` → `[a, b, c]`).
    public var conjuncts: [Expr] {
        if case .binary(let l, .and, let r) = self { return l.conjuncts + r.conjuncts }
        return [self]
    }

    /// `a AND b AND …`, or nil for no predicates.
    public static func conjunction(_ predicates: [Expr]) -> Expr? {
        guard var result = predicates.first else { return nil }
        for predicate in predicates.dropFirst() { result = .binary(result, .and, predicate) }
        return result
    }
}
