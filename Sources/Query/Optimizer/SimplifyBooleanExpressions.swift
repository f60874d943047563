/// Simplifies boolean logic with SQL's three-valued rules: `TRUE AND x` is `x`, `FALSE AND x` is
/// `FALSE`, `TRUE OR x` is `TRUE`, `NOT NOT x` is `x`, `NOT (a < b)` is `a >= b` (NULL stays NULL
/// either way); a filter that is always true goes away.
public struct SimplifyBooleanExpressions: OptimizerRule {
    public let name = "boolean_simplification"
    public init() {}

    public func apply(_ plan: LogicalPlan, _ context: OptimizerContext) throws -> LogicalPlan {
        plan.transformUp { node in
            let simplified = node.mapExpressionsKeepingNames(simplify)
            if case .filter(.literal(let value), let input) = simplified, value.payload == .boolean(true) { return input }
            return simplified
        }
    }

    func simplify(_ expr: Expr) -> Expr {
        expr.transformUp { e in
            switch e {
            case .binary(let l, .and, let r):
                if isTrue(l) { return r }
                if isTrue(r) { return l }
                if isFalse(l) || isFalse(r) { return .literal(.boolean(false)) }
                if l == r { return l }
                return e
            case .binary(let l, .or, let r):
                if isFalse(l) { return r }
                if isFalse(r) { return l }
                if isTrue(l) || isTrue(r) { return .literal(.boolean(true)) }
                if l == r { return l }
                return e
            case .not(.not(let inner)):
                return inner
            case .not(.binary(let l, let op, let r)) where op.isComparison && op != .nullSafeEqual:
                let negated: BinaryOperator = switch op {
                case .equal: .notEqual
                case .notEqual: .equal
                case .less: .greaterOrEqual
                case .lessOrEqual: .greater
                case .greater: .lessOrEqual
                default: .less
                }
                return .binary(l, negated, r)
            case .not(.isNull(let inner)): return .isNotNull(inner)
            case .not(.isNotNull(let inner)): return .isNull(inner)
            case .not(let inner) where isTrue(inner): return .literal(.boolean(false))
            case .not(let inner) where isFalse(inner): return .literal(.boolean(true))
            default:
                return e
            }
        }
    }

    func isTrue(_ e: Expr) -> Bool {
        if case .literal(let value) = e { return value.payload == .boolean(true) }
        return false
    }

    func isFalse(_ e: Expr) -> Bool {
        if case .literal(let value) = e { return value.payload == .boolean(false) }
        return false
    }
}
