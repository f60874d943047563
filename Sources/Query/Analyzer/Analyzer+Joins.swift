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
            let base = column.sourceName ?? column.name
            var suffix = 1
            while used.contains("\(base)#\(suffix)".lowercased()) { suffix += 1 }
            let renamed = "\(base)#\(suffix)"
            used.insert(renamed.lowercased())
            renames[column.name.lowercased()] = renamed
        }
        return renames
    }

    /// `USING (k, …)`: equality of the same-named columns, then Spark's output order: the keys
    /// (from the left, the right for RIGHT OUTER, coalesced for FULL OUTER), the other left
    /// columns, the other right columns.
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
                throw QueryError.invalid("USING column '\(key)' is not in the left side of the join (its columns: \(leftSchema.columns.map(\.visibleName).joined(separator: ", ")))")
            }
            do { r = try rightSchema.index(of: reference, matchingSourceNames: true) } catch {
                throw QueryError.invalid("USING column '\(key)' is not in the right side of the join (its columns: \(rightSchema.columns.map(\.visibleName).joined(separator: ", ")))")
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
        let leftColumns = combined.columns[..<leftSchema.columns.count]
        let rightColumns = combined.columns[leftSchema.columns.count...]
        func reference(_ column: PlanColumn) -> Expr { .column(ColumnReference(column.name)) }

        var items: [Expr] = []
        for (l, r) in zip(leftKeys, rightKeys) {
            let leftColumn = leftSchema.columns[l]
            let rightColumn = combined.columns[leftSchema.columns.count + r]
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
        items += leftColumns.enumerated().filter { !leftKeys.contains($0.offset) }.map { reference($0.element) }
        if spec.type.outputsRight {
            items += rightColumns.enumerated().filter { !rightKeys.contains($0.offset) }.map { reference($0.element) }
        }
        return .projection(items, input: join)
    }
}
