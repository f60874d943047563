/// Joins: both inputs resolved, clashing right column names made unique, the ON condition
/// checked over the left and right columns, USING turned into a condition and a projection.
extension Analyzer {
    func resolveJoin(_ left: LogicalPlan, _ right: LogicalPlan, _ spec: JoinSpec) throws -> LogicalPlan {
        let resolvedLeft = try resolve(left)
        let resolvedRight = try resolve(right)
        let leftSchema = try resolvedLeft.schema()
        let rightSchema = try resolvedRight.schema()
        var spec = spec
        spec.rightRenames = Self.rightRenames(left: leftSchema, right: rightSchema)
        if spec.isNatural {
            // USING every column name both sides show, in the left side's order.
            spec.isNatural = false
            let rightNames = Set(rightSchema.columns.filter { !$0.isHidden }.map { $0.visibleName.lowercased() })
            let common = leftSchema.columns.filter { !$0.isHidden && rightNames.contains($0.visibleName.lowercased()) }.map(\.visibleName)
            guard !common.isEmpty else {
                // No common name: every row meets every row, as Spark joins them.
                if spec.type == .inner { spec.type = .cross } else { spec.condition = .literal(.boolean(true)) }
                return .join(left: resolvedLeft, right: resolvedRight, spec)
            }
            spec.using = common
        }
        if let using = spec.using {
            return try resolveUsing(using, resolvedLeft, resolvedRight, leftSchema, rightSchema, spec)
        }
        if let condition = spec.condition {
            let schema = spec.combinedSchema(left: leftSchema, right: rightSchema)
            if condition.containsAggregate { throw QueryError.invalid("aggregate functions are not allowed in a join condition: \(condition)") }
            spec.condition = try booleanExpression(condition, schema, "the join condition")
            if spec.type == .cross { spec.type = .inner }
        }
        return .join(left: resolvedLeft, right: resolvedRight, spec)
    }

    /// New names for the right columns whose names the left side (or an earlier rename) uses:
    /// `id` becomes `id#1`, `id#2`…, as Spark's expression ids tell same-named columns apart.
    static func rightRenames(left: PlanSchema, right: PlanSchema) -> [String: String] {
        let leftNames = Set(left.columns.map { $0.name.lowercased() })
        var used = leftNames.union(right.columns.map { $0.name.lowercased() })
        var renames: [String: String] = [:]
        for column in right.columns where leftNames.contains(column.name.lowercased()) {
            renames[column.name.lowercased()] = freshName(column.sourceName ?? column.name, used: &used)
        }
        return renames
    }

    /// `base#1`, `base#2`… whichever is first not in `used` (lowercased), which then holds it.
    static func freshName(_ base: String, used: inout Set<String>) -> String {
        var suffix = 1
        while used.contains("\(base)#\(suffix)".lowercased()) { suffix += 1 }
        let name = "\(base)#\(suffix)"
        used.insert(name.lowercased())
        return name
    }

    /// `USING (k, …)`: equality of the same-named columns, then Spark's output order: the keys
    /// (from the left, the right for RIGHT OUTER, coalesced for FULL OUTER), the other left
    /// columns, the other right columns.
    ///
    /// Each side's own keys stay reachable by qualifier as hidden columns (`b.k`, and `a.k` when
    /// the key shown is not `a`'s), placed so that `a.*` and `b.*` list a side's keys first, then
    /// its other columns, as Spark does. Hidden columns of the sides stay hidden.
    func resolveUsing(_ keys: [String], _ left: LogicalPlan, _ right: LogicalPlan,
                      _ leftSchema: PlanSchema, _ rightSchema: PlanSchema, _ spec: JoinSpec) throws -> LogicalPlan {
        var spec = spec
        spec.using = nil
        if spec.type == .cross { spec.type = .inner }
        let combined = spec.combinedSchema(left: leftSchema, right: rightSchema)
        var leftKeys: [Int] = []
        var rightKeys: [Int] = []
        var conjuncts: [Expr] = []
        for key in keys {
            let reference = ColumnReference(key)
            let l: Int, r: Int
            do { l = try leftSchema.index(of: reference, matchingSourceNames: true) } catch {
                throw QueryError.invalid("USING column '\(key)' is not in the left side of the join (its columns: \(leftSchema.columns.filter { !$0.isHidden }.map(\.visibleName).joined(separator: ", ")))")
            }
            do { r = try rightSchema.index(of: reference, matchingSourceNames: true) } catch {
                throw QueryError.invalid("USING column '\(key)' is not in the right side of the join (its columns: \(rightSchema.columns.filter { !$0.isHidden }.map(\.visibleName).joined(separator: ", ")))")
            }
            leftKeys.append(l)
            rightKeys.append(r)
            let leftName = combined.columns[l].name
            let rightName = combined.columns[leftSchema.columns.count + r].name
            conjuncts.append(.binary(.column(ColumnReference(leftName)), .equal, .column(ColumnReference(rightName))))
        }
        // The references name the join's own columns: coerce types, no name lookup.
        spec.condition = try TypeCoercion.coerce(Expr.conjunction(conjuncts)!, in: combined)
        let join = LogicalPlan.join(left: left, right: right, spec)
        let leftColumns = Array(combined.columns[..<leftSchema.columns.count])
        let rightColumns = Array(combined.columns[leftSchema.columns.count...])
        func reference(_ column: PlanColumn) -> Expr { .column(ColumnReference(column.name)) }
        var used = Set(combined.columns.map { $0.name.lowercased() })
        /// `column` as a hidden output, under a name of its own unless it has one already.
        func hidden(_ column: PlanColumn, renamed: Bool = false) -> Expr {
            .hidden(reference(column), name: renamed ? Self.freshName(column.visibleName, used: &used) : column.name,
                    qualifier: column.qualifier, visibleName: column.visibleName)
        }
        /// A side's columns other than its keys, hidden ones kept hidden.
        func others(_ columns: [PlanColumn], keys: [Int]) -> [Expr] {
            columns.enumerated().filter { !keys.contains($0.offset) }.map { $0.element.isHidden ? hidden($0.element) : reference($0.element) }
        }

        var items: [Expr] = []
        for (l, r) in zip(leftKeys, rightKeys) {
            let leftColumn = leftColumns[l]
            let rightColumn = rightColumns[r]
            switch spec.type {
            case .rightOuter:
                items.append(.alias(reference(rightColumn), name: leftColumn.visibleName))
            case .fullOuter:
                let merged = try TypeCoercion.coerce(.function(name: "coalesce", arguments: [reference(leftColumn), reference(rightColumn)]), in: combined)
                items.append(.alias(merged, name: leftColumn.visibleName))
            default:
                items.append(reference(leftColumn))
            }
        }
        used.formUnion(items.map { $0.outputName.lowercased() })
        if spec.type == .rightOuter || spec.type == .fullOuter {
            // The key shown is not the left side's own: that one is kept out of sight.
            items += leftKeys.map { hidden(leftColumns[$0], renamed: true) }
        }
        items += others(leftColumns, keys: leftKeys)
        if spec.type.outputsRight {
            items += rightKeys.map { hidden(rightColumns[$0]) }
            items += others(rightColumns, keys: rightKeys)
        }
        return .projection(items, input: join)
    }
}
