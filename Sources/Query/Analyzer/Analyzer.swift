import Columnar

/// Turns a parsed plan into an analyzed one: tables looked up in the catalog, `*` expanded,
/// column names checked (with "did you mean" suggestions), aggregates split out of select lists,
/// ORDER BY keys bound to select items, and types coerced as Spark does.
///
/// After analysis every column reference is unqualified and names exactly one input column.
public struct Analyzer {
    public let catalog: any Catalog

    public init(catalog: any Catalog) { self.catalog = catalog }

    public func analyze(_ plan: LogicalPlan) throws -> LogicalPlan {
        try Self.showingVisibleNames(try resolve(plan))
    }

    /// `plan` with a projection on top that gives columns a join renamed (`id#1`) the names the
    /// query knows them by, and leaves out hidden columns: the result may have two `id` columns,
    /// as in Spark, but inside the plan every column keeps a name of its own.
    static func showingVisibleNames(_ plan: LogicalPlan) throws -> LogicalPlan {
        let all = try plan.schema().columns
        let columns = all.filter { !$0.isHidden }
        guard columns.count < all.count || columns.contains(where: { $0.visibleName != $0.name }) else { return plan }
        return .projection(columns.map { column in
            let reference = Expr.column(ColumnReference(column.name))
            return column.visibleName == column.name ? reference : .alias(reference, name: column.visibleName)
        }, input: plan)
    }

    func resolve(_ plan: LogicalPlan) throws -> LogicalPlan {
        switch plan {
        case .unresolvedRelation(let name):
            return try catalog.relation(for: name)
        case .scan, .oneRow:
            return plan
        case .subqueryAlias(let name, let input):
            return .subqueryAlias(name, input: try resolve(input))
        case .filter(let predicate, let input) where predicate.containsScalarSubquery:
            return try resolve(try filteringByScalarSubqueries(predicate, input))
        case .filter(let predicate, let input) where predicate.containsSubquery:
            return try resolve(try joiningSubqueries(predicate, input))
        case .filter(let predicate, let input):
            let child = try resolve(input)
            let schema = try child.schema()
            if predicate.containsAggregate {
                throw QueryError.invalid("aggregate functions are not allowed in WHERE: \(predicate); use HAVING")
            }
            return .filter(try booleanExpression(predicate, schema, "WHERE"), input: child)
        case .projection(let items, let input)
            where items.contains(where: \.containsScalarSubquery) && AggregateSelect(items: items, input: input) == nil:
            return try resolve(try projectingScalarSubqueries(items, input))
        case .projection(let items, let input):
            if let form = AggregateSelect(items: items, input: input) {
                return try resolveAggregateSelect(form, extraKeys: []).plan
            }
            let child = try resolve(input)
            let schema = try child.schema()
            let expanded = try expandStars(items, schema)
            if expanded.contains(where: \.containsAggregate) {
                // `df.select(sum(x))`: a global aggregate.
                return try resolveAggregateSelect(AggregateSelect(items: expanded, having: nil, groupBy: [], input: child), extraKeys: []).plan
            }
            return .projection(Self.uniquelyNamed(try expanded.map { try selectItem($0, schema) }), input: child)
        case .aggregate(let groupBy, let aggregates, let input)
            where aggregates.contains(where: { !$0.unaliased.isAggregateCall }):
            // `agg(sum(x) + 1)`: computed over aggregates, as a select list would be.
            let items = groupBy + aggregates
            return try resolveAggregateSelect(AggregateSelect(items: items, having: nil, groupBy: groupBy, input: input), extraKeys: []).plan
        case .aggregate(let groupBy, let aggregates, let input):
            let child = try resolve(input)
            let schema = try child.schema()
            let groups = try groupBy.map { try expression($0, schema) }
            let resolvedAggregates = try aggregates.map { try expression($0, schema) }
            return .aggregate(groupBy: groups, aggregates: resolvedAggregates, input: child)
        case .sort(let keys, let input):
            return try resolveSort(keys, input)
        case .limit(let count, let offset, let input):
            return .limit(count, offset: offset, input: try resolve(input))
        case .distinct(let input):
            // Rows are told apart by the columns they show.
            return .distinct(try Self.withoutHiddenColumns(try resolve(input)))
        case .unionAll(let inputs):
            return try resolveUnion(inputs)
        case .join(let left, let right, let spec):
            return try resolveJoin(left, right, spec)
        case .hint(let hint, let input):
            return .hint(hint, input: try resolve(input))
        case .columnAliases(let names, let input):
            return try resolveColumnAliases(names, input)
        }
    }

    /// Select items with names of their own: an item whose name an earlier one has (`SELECT 1 AS
    /// x, 2 AS x`, `SELECT id, id`) is named `x#1`, which results still show as `x`, so that a
    /// query over this one (`SELECT *`) tells the columns apart, as Spark's attribute ids do.
    static func uniquelyNamed(_ items: [Expr]) -> [Expr] {
        var used = Set(items.map { $0.outputName.lowercased() })
        var seen = Set<String>()
        return items.map { item in
            if case .hidden = item { return item }
            if seen.insert(item.outputName.lowercased()).inserted { return item }
            return .alias(item.unaliased, name: freshName(PlanColumn.withoutJoinSuffixes(item.outputName), used: &used))
        }
    }

    /// `AS t(a, b)`: the input's shown columns renamed in order, one name each (hidden columns,
    /// a USING join's sides' keys, are not among them and go).
    func resolveColumnAliases(_ names: [String], _ input: LogicalPlan) throws -> LogicalPlan {
        let child = try resolve(input)
        let columns = try child.schema().columns.filter { !$0.isHidden }
        guard names.count == columns.count else {
            throw QueryError.invalid("\(names.count) column name\(names.count == 1 ? "" : "s") given (\(names.joined(separator: ", "))) "
                                     + "for a relation of \(columns.count) column\(columns.count == 1 ? "" : "s") "
                                     + "(\(columns.map(\.visibleName).joined(separator: ", ")))")
        }
        // A projection's items are renamed where they are, which also tells apart items of one
        // name (`SELECT 1 AS x, 2 AS x`) that a reference by name could not.
        if case .projection(let items, let below) = child, !items.contains(where: { if case .hidden = $0 { true } else { false } }) {
            return .projection(zip(items, names).map { .alias($0.unaliased, name: $1) }, input: below)
        }
        return .projection(zip(columns, names).map { .alias(.column(ColumnReference($0.name)), name: $1) }, input: child)
    }

    // MARK: Expressions

    /// Checks every column reference against `schema`, strips qualifiers, and coerces types.
    func expression(_ expr: Expr, _ schema: PlanSchema) throws -> Expr {
        try TypeCoercion.coerce(try bind(expr, schema), in: schema)
    }

    /// A select item as `expression` resolves it, named as Spark names it: by its text before
    /// type coercion (`(x + 1)`, not `(x + CAST(1 AS DECIMAL(1,0)))`) when it has no alias.
    func selectItem(_ item: Expr, _ schema: PlanSchema) throws -> Expr {
        let bound = try bind(item, schema)
        let coerced = try TypeCoercion.coerce(bound, in: schema)
        return coerced.outputName == bound.outputName ? coerced : .alias(coerced.unaliased, name: bound.outputName)
    }

    /// `expr` with every column reference checked against `schema` and its qualifier stripped.
    private func bind(_ expr: Expr, _ schema: PlanSchema) throws -> Expr {
        try expr.transformUp { e -> Expr in
            switch e {
            case .column(let reference):
                return .column(ColumnReference(schema.columns[try schema.index(of: reference, matchingSourceNames: true)].name))
            case .star:
                throw QueryError.invalid("'*' is only allowed in a select list or count(*)")
            case .subquery(let subquery):
                // A WHERE's were made joins (`joiningSubqueries`) before its condition got here.
                throw QueryError.unsupported("\(subquery) other than as a condition of WHERE (joined by AND)")
            case .scalarSubquery:
                // WHERE's and a plain select list's were made joins before they got here.
                throw QueryError.unsupported("scalar subqueries other than in WHERE or in the select list of a query without aggregates")
            case .aggregate(_, let arguments, _):
                if arguments.contains(where: \.containsAggregate) {
                    throw QueryError.invalid("an aggregate function cannot contain another: \(e)")
                }
                return e
            default:
                return e
            }
        }
    }

    func booleanExpression(_ expr: Expr, _ schema: PlanSchema, _ clause: String) throws -> Expr {
        let resolved = try expression(expr, schema)
        if case .literal(let value) = resolved, value.isNull { return .literal(.null(.boolean)) }
        let type = try ExpressionTyping.type(of: resolved, in: schema)
        guard type == .boolean else { throw QueryError.type("\(clause) needs a BOOLEAN condition, not \(type.sqlName): \(expr)") }
        return resolved
    }

    /// `plan` without its hidden columns, for a consumer that takes columns by position or
    /// compares whole rows.
    static func withoutHiddenColumns(_ plan: LogicalPlan) throws -> LogicalPlan {
        let schema = try plan.schema()
        guard schema.hasHiddenColumns else { return plan }
        return .projection(schema.columns.filter { !$0.isHidden }.map { .column(ColumnReference($0.name)) }, input: plan)
    }

    /// `*` is every visible column; `t.*` every column qualified by `t`, hidden ones too unless
    /// a visible one of `t` shows the same name (`t.*` over `(a JOIN b USING (k)) t`).
    func expandStars(_ items: [Expr], _ schema: PlanSchema) throws -> [Expr] {
        try items.flatMap { item -> [Expr] in
            guard case .star(let qualifier) = item else { return [item] }
            let qualified = schema.columns.filter { qualifier == nil || $0.qualifier?.lowercased() == qualifier?.lowercased() }
            let shown = Set(qualified.filter { !$0.isHidden }.map { $0.visibleName.lowercased() })
            let columns = qualified.filter { !$0.isHidden || (qualifier != nil && !shown.contains($0.visibleName.lowercased())) }
            if columns.isEmpty {
                if let qualifier {
                    let known = Set(schema.columns.compactMap(\.qualifier))
                    throw QueryError.unresolved(kind: "table alias", name: qualifier,
                                                candidates: NameSuggestions.closest(to: qualifier, among: Array(known)))
                }
                throw QueryError.invalid("SELECT * over a relation with no columns")
            }
            return columns.map { .column(ColumnReference($0.name, qualifier: $0.qualifier, byPlanName: true)) }
        }
    }

    // MARK: Aggregation

    /// A SQL select block with aggregation, as the parser shapes it: a projection over an optional
    /// HAVING filter over an aggregate whose aggregate list is still empty.
    struct AggregateSelect {
        var items: [Expr]
        var having: Expr?
        var groupBy: [Expr]
        var input: LogicalPlan

        init(items: [Expr], having: Expr?, groupBy: [Expr], input: LogicalPlan) {
            self.items = items
            self.having = having
            self.groupBy = groupBy
            self.input = input
        }

        init?(items: [Expr], input: LogicalPlan) {
            switch input {
            case .aggregate(let groupBy, let aggregates, let child) where aggregates.isEmpty:
                self.init(items: items, having: nil, groupBy: groupBy, input: child)
            case .filter(let having, .aggregate(let groupBy, let aggregates, let child)) where aggregates.isEmpty:
                self.init(items: items, having: having, groupBy: groupBy, input: child)
            default:
                return nil
            }
        }
    }

    /// The analyzed plan of an aggregate select, and how to rewrite further expressions (ORDER BY
    /// keys) over its aggregate's output.
    struct ResolvedAggregateSelect {
        var plan: LogicalPlan
        var aggregateNode: LogicalPlan
        var rewrite: (Expr) throws -> Expr
    }

    /// Splits the aggregate calls out of the select list, HAVING and `extraKeys` into an aggregate
    /// node; the select list and HAVING then refer to its output by name.
    func resolveAggregateSelect(_ select: AggregateSelect, extraKeys: [Expr]) throws -> ResolvedAggregateSelect {
        let child = try resolve(select.input)
        let schema = try child.schema()
        let items = try expandStars(select.items, schema)
        let aliases = Dictionary(items.compactMap { item -> (String, Expr)? in
            if case .alias(let e, let name) = item { return (name.lowercased(), e) }
            return nil
        }, uniquingKeysWith: { first, _ in first })

        // GROUP BY: ordinals and select aliases stand for select items.
        let groups = try select.groupBy.map { g -> Expr in
            if case .literal(let value) = g, case .int(let ordinal) = value.payload {
                guard ordinal >= 1 && ordinal <= items.count else {
                    throw QueryError.invalid("GROUP BY position \(ordinal) is not in the select list (1...\(items.count))")
                }
                let item = items[Int(ordinal) - 1].unaliased
                if item.containsAggregate { throw QueryError.invalid("GROUP BY position \(ordinal) refers to an aggregate: \(item)") }
                return try expression(item, schema)
            }
            if case .column(let reference) = g, reference.qualifier == nil, (try? schema.index(of: reference, matchingSourceNames: true)) == nil,
               let aliased = aliases[reference.name.lowercased()] {
                return try expression(aliased, schema)
            }
            if g.containsAggregate { throw QueryError.invalid("aggregate functions are not allowed in GROUP BY: \(g)") }
            return try expression(g, schema)
        }
        let resolvedItems = try items.map { try selectItem($0, schema) }
        // HAVING may name a select alias (Spark allows it).
        let having = try select.having.map { h in
            try expression(substituteAliases(h, aliases, schema), schema)
        }
        let keys = try extraKeys.compactMap { key -> Expr? in
            guard key.containsAggregate else { return nil }
            return try expression(substituteAliases(key, aliases, schema), schema)
        }

        var aggregateCalls: [Expr] = []
        for e in resolvedItems + (having.map { [$0] } ?? []) + keys {
            collectAggregates(e, into: &aggregateCalls)
        }
        let groupOutputs = groups.map { g -> Expr in
            if case .column = g { return g }
            return .alias(g, name: g.description)
        }
        let groupNames = groupOutputs.map(\.outputName)
        let aggregateOutputs = aggregateCalls.map { Expr.alias($0, name: $0.description) }
        let aggregateNode = LogicalPlan.aggregate(groupBy: groupOutputs, aggregates: aggregateOutputs, input: child)
        let outputSchema = try aggregateNode.schema()

        func rewrite(_ e: Expr) throws -> Expr {
            func replace(_ e: Expr) -> Expr {
                if let i = groups.firstIndex(of: e) { return .column(ColumnReference(groupNames[i])) }
                if case .aggregate = e { return .column(ColumnReference(e.description)) }
                if case .alias(let inner, let name) = e { return .alias(replace(inner), name: name) }
                return e.mapChildren(replace)
            }
            let replaced = replace(e)
            for reference in replaced.columnReferences where (try? outputSchema.index(of: reference)) == nil {
                throw QueryError.invalid("column '\(reference.name)' is neither in GROUP BY nor inside an aggregate function: \(e.unaliased)")
            }
            return replaced
        }

        var plan = aggregateNode
        if let having {
            plan = .filter(try rewrite(having), input: plan)
        }
        let projected = try resolvedItems.map { item -> Expr in
            let rewritten = try rewrite(item)
            // Keep the name the item had before the rewrite (`sum(x)`, `(a + 1)`).
            return rewritten.outputName == item.outputName ? rewritten : .alias(rewritten.unaliased, name: item.outputName)
        }
        plan = .projection(Self.uniquelyNamed(projected), input: plan)
        return ResolvedAggregateSelect(plan: plan, aggregateNode: aggregateNode, rewrite: rewrite)
    }

    func collectAggregates(_ e: Expr, into calls: inout [Expr]) {
        if case .aggregate = e {
            if !calls.contains(e) { calls.append(e) }
            return
        }
        for child in e.children { collectAggregates(child, into: &calls) }
    }

    /// Replaces unqualified names that are select aliases (and not input columns) by what they alias.
    func substituteAliases(_ e: Expr, _ aliases: [String: Expr], _ schema: PlanSchema) -> Expr {
        e.transformUp { node in
            if case .column(let reference) = node, reference.qualifier == nil, (try? schema.index(of: reference, matchingSourceNames: true)) == nil,
               let aliased = aliases[reference.name.lowercased()] {
                return aliased
            }
            return node
        }
    }

    // MARK: ORDER BY

    /// Binds ORDER BY keys: an ordinal or an alias names a select item; an expression equal to a
    /// select item uses its output; other columns of the select's input are carried through the
    /// projection hidden and dropped after the sort (as Spark does).
    func resolveSort(_ keys: [SortKey], _ input: LogicalPlan) throws -> LogicalPlan {
        var items: [Expr]?
        var projectionInput: LogicalPlan?
        var aggregateForm: AggregateSelect?
        var isDistinct = false
        switch input {
        case .projection(let p, let child):
            items = p; projectionInput = child; aggregateForm = AggregateSelect(items: p, input: child)
        case .distinct(.projection(let p, let child)):
            items = p; projectionInput = child; isDistinct = true
        default:
            break
        }

        guard let items, let projectionInput else {
            let child = try resolve(input)
            let schema = try child.schema()
            return .sort(try keys.map { try bindKey($0, schema: schema, items: []) }, input: child)
        }

        // Resolve the select block (with ORDER BY's aggregates when it aggregates).
        var resolvedAggregate: ResolvedAggregateSelect?
        let child: LogicalPlan
        if let aggregateForm {
            resolvedAggregate = try resolveAggregateSelect(aggregateForm, extraKeys: keys.map(\.expr))
            child = resolvedAggregate!.plan
        } else {
            child = try resolve(isDistinct ? .distinct(.projection(items, input: projectionInput)) : .projection(items, input: projectionInput))
        }
        guard case .projection(let resolvedItems, let below) = isDistinct ? child.inputs[0] : child else {
            let schema = try child.schema()
            return .sort(try keys.map { try bindKey($0, schema: schema, items: []) }, input: child)
        }
        let outputSchema = try child.schema()
        let belowSchema = try below.schema()

        var hidden: [Expr] = []
        var bound: [SortKey] = []
        for key in keys {
            if let direct = try? bindKey(key, schema: outputSchema, items: items) {
                bound.append(direct)
                continue
            }
            // A key over the select's input that the select does not output.
            if isDistinct {
                throw QueryError.invalid("ORDER BY \(key.expr) must be in the select list of SELECT DISTINCT")
            }
            let expr: Expr
            if let resolvedAggregate {
                // Over the aggregate's input, then onto its outputs (`ORDER BY sum(x)` not selected).
                let inputSchema = try resolvedAggregate.aggregateNode.inputs[0].schema()
                expr = try resolvedAggregate.rewrite(try expression(key.expr, inputSchema))
            } else {
                expr = try expression(key.expr, belowSchema)
            }
            let name = "__sort_\(hidden.count)"
            hidden.append(.alias(expr, name: name))
            bound.append(SortKey(.column(ColumnReference(name)), ascending: key.ascending, nullsFirst: key.nullsFirst))
        }
        if hidden.isEmpty { return .sort(bound, input: child) }
        let widened = LogicalPlan.projection(resolvedItems + hidden, input: below)
        return .projection(resolvedItems.map { .column(ColumnReference($0.outputName)) },
                           input: .sort(bound, input: widened))
    }

    /// Binds one key against the select's output: ordinals, aliases, select expressions, output columns.
    func bindKey(_ key: SortKey, schema: PlanSchema, items: [Expr]) throws -> SortKey {
        func bound(_ e: Expr) -> SortKey { SortKey(e, ascending: key.ascending, nullsFirst: key.nullsFirst) }
        if case .literal(let value) = key.expr, case .int(let ordinal) = value.payload {
            guard ordinal >= 1 && ordinal <= schema.columns.count else {
                throw QueryError.invalid("ORDER BY position \(ordinal) is not in the select list (1...\(schema.columns.count))")
            }
            return bound(.column(ColumnReference(schema.columns[Int(ordinal) - 1].name)))
        }
        if let i = items.firstIndex(where: { $0.unaliased == key.expr || $0 == key.expr }), i < schema.columns.count {
            return bound(.column(ColumnReference(schema.columns[i].name)))
        }
        return bound(try expression(key.expr, schema))
    }

    // MARK: UNION ALL

    func resolveUnion(_ inputs: [LogicalPlan]) throws -> LogicalPlan {
        let children = try inputs.map { try Self.withoutHiddenColumns(try resolve($0)) }
        let schemas = try children.map { try $0.schema() }
        let width = schemas[0].columns.count
        for (i, schema) in schemas.enumerated() where schema.columns.count != width {
            throw QueryError.invalid("UNION ALL inputs have different numbers of columns: \(width) in the first, \(schema.columns.count) in input \(i + 1)")
        }
        var types = schemas[0].columns.map(\.type)
        for schema in schemas.dropFirst() {
            for (c, column) in schema.columns.enumerated() {
                guard let wider = TypeCoercion.widerType(types[c], column.type) ?? (types[c] == .string || column.type == .string ? .string : nil) else {
                    throw QueryError.type("UNION ALL column \(c + 1) ('\(schemas[0].columns[c].name)') mixes \(types[c].sqlName) and \(column.type.sqlName)")
                }
                types[c] = wider
            }
        }
        let names = schemas[0].columns.map(\.name)
        let aligned = zip(children, schemas).map { child, schema -> LogicalPlan in
            let needsCast = zip(schema.columns, types).contains { $0.type != $1 }
            let needsRename = zip(schema.columns, names).contains { $0.name != $1 }
            guard needsCast || needsRename else { return child }
            return .projection(zip(schema.columns, zip(types, names)).map { column, target in
                let ref = Expr.column(ColumnReference(column.name))
                return .alias(column.type == target.0 ? ref : .cast(ref, target.0), name: target.1)
            }, input: child)
        }
        return .unionAll(aligned)
    }
}
