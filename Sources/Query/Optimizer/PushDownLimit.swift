/// Moves LIMIT towards the scan: below projections, into each input of a union (keeping the
/// outer limit), merged with a limit directly below, and into the scan itself, which then stops
/// reading once it has produced enough rows.
public struct PushDownLimit: OptimizerRule {
    public let name = "limit_pushdown"
    public init() {}

    public func apply(_ plan: LogicalPlan, _ context: OptimizerContext) throws -> LogicalPlan {
        plan.transformDown { node in
            guard case .limit(let count, let offset, let input) = node else { return node }
            let needed = count + offset
            switch input {
            case .projection(let exprs, let child):
                return .projection(exprs, input: .limit(count, offset: offset, input: child))
            case .limit(let innerCount, let innerOffset, let child) where offset == 0 && innerOffset == 0:
                return .limit(min(count, innerCount), offset: 0, input: child)
            case .unionAll(let children):
                let limited = children.map { child -> LogicalPlan in
                    if case .limit(let c, 0, _) = child, c <= needed { return child }
                    return .limit(needed, offset: 0, input: child)
                }
                return .limit(count, offset: offset, input: .unionAll(limited))
            case .scan(var scan) where scan.limit.map({ $0 > needed }) ?? true:
                scan.limit = needed
                return .limit(count, offset: offset, input: .scan(scan))
            default:
                return node
            }
        }
    }
}
