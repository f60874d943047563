/// Queries: WITH, set operations, SELECT blocks, FROM, ORDER BY, LIMIT and OFFSET.
extension SQLParser {
    /// `[WITH …] body [ORDER BY …] [LIMIT n] [OFFSET m]`, where ORDER BY and LIMIT apply to the
    /// whole body, after any UNION.
    mutating func parseQuery() throws(QueryError) -> LogicalPlan {
        try enterNesting()
        defer { depth -= 1 }
        let scopes = withScopes.count
        defer { withScopes.removeSubrange(scopes...) }
        if current.keyword == .with { try parseWith() }
        var plan = try parseSetOperations()
        if accept(.order) {
            try expect(.by)
            plan = .sort(try parseSortKeys(), input: plan)
        }
        var limit: Int?
        var offset: Int?
        if accept(.limit), !accept(.all) { limit = try parseCount(after: "LIMIT") }
        if accept(.offset) { offset = try parseCount(after: "OFFSET") }
        if limit != nil || offset != nil {
            // OFFSET alone skips rows without bounding the rest.
            plan = .limit(limit ?? Int.max, offset: offset ?? 0, input: plan)
        }
        return plan
    }

    /// `WITH name [AS] (query), …`: pushes one scope that each query after it can use, the later
    /// WITH queries included.
    private mutating func parseWith() throws(QueryError) {
        advance()
        if current.keyword == .recursive { throw unsupported("WITH RECURSIVE", at: current) }
        withScopes.append([])
        repeat {
            let nameToken = current
            let name = try parseIdentifier("a name for the WITH query")
            if withScopes[withScopes.count - 1].contains(where: { $0.name.lowercased() == name.lowercased() }) {
                throw syntaxError("WITH query '\(name)' is defined twice", at: nameToken)
            }
            // `WITH t(a, b) AS (…)`: names for the query's columns.
            let names = current.isSymbol(.leftParen) && !startsQuery(peek()) ? try parseColumnNames() : nil
            _ = accept(.as)
            try expect(.leftParen, "'('")
            var plan = try parseQuery()
            try expect(.rightParen, "')'")
            if let names { plan = .columnAliases(names, input: plan) }
            withScopes[withScopes.count - 1].append((name, plan))
        } while accept(.comma)
    }

    /// Whether `token` starts a query inside parentheses.
    func startsQuery(_ token: SQLToken) -> Bool {
        token.keyword == .select || token.keyword == .with || token.keyword == .values || token.isSymbol(.leftParen)
    }

    /// Terms joined by UNION [ALL | DISTINCT], left to right. Chains flatten into one `.unionAll`;
    /// UNION (distinct) puts a `.distinct` over the union of everything to its left and right.
    private mutating func parseSetOperations() throws(QueryError) -> LogicalPlan {
        var plan = try parseQueryTerm()
        while true {
            let token = current
            switch token.keyword {
            case .union:
                advance()
                let distinct = !accept(.all)
                if distinct { _ = accept(.distinct) }
                let right = try parseQueryTerm()
                var inputs: [LogicalPlan]
                switch plan {
                case .unionAll(let left): inputs = left
                case .distinct(.unionAll(let left)) where distinct: inputs = left
                default: inputs = [plan]
                }
                inputs.append(right)
                plan = distinct ? .distinct(.unionAll(inputs)) : .unionAll(inputs)
            case .intersect, .except, .minus:
                throw unsupported(token.keyword!.unsupportedClause!, at: token)
            default:
                return plan
            }
        }
    }

    /// A SELECT block or a parenthesised query.
    private mutating func parseQueryTerm() throws(QueryError) -> LogicalPlan {
        let token = current
        if token.keyword == .select { return try parseSelect() }
        if token.isSymbol(.leftParen) {
            advance()
            let plan = try parseQuery()
            try expect(.rightParen, "')'")
            return plan
        }
        switch token.keyword {
        case .values: return try parseValues()
        case .table: throw unsupported("TABLE queries", at: token)
        case .from: throw unsupported("queries that start with FROM", at: token)
        default: throw unexpected("SELECT")
        }
    }

    /// `VALUES (1, 'a'), (2, 'b')` (or `VALUES 1, 2`, a column of one value a row), as Spark reads
    /// it: the rows' columns are `col1`, `col2`…, each row a projection of one row, the rows a
    /// UNION ALL whose columns take the wider type of each position.
    private mutating func parseValues() throws(QueryError) -> LogicalPlan {
        advance()
        var rows: [[Expr]] = []
        repeat {
            let rowToken = current
            var row: [Expr] = []
            if accept(.leftParen) {
                repeat { row.append(try parseExpression()) } while accept(.comma)
                try expect(.rightParen, "')'")
            } else {
                row = [try parseExpression()]
            }
            if let first = rows.first, first.count != row.count {
                throw syntaxError("every row of a VALUES list needs \(first.count) values; this one has \(row.count)", at: rowToken)
            }
            rows.append(row)
        } while accept(.comma)
        let projections = rows.map { row in
            LogicalPlan.projection(row.enumerated().map { .alias($1, name: "col\($0 + 1)") }, input: .oneRow)
        }
        return projections.count == 1 ? projections[0] : .unionAll(projections)
    }

    /// One SELECT block, bottom-up: FROM, WHERE, the aggregate (for GROUP BY, HAVING or an
    /// aggregate call in the select list), HAVING, the projection, DISTINCT.
    private mutating func parseSelect() throws(QueryError) -> LogicalPlan {
        let selectToken = current
        advance()
        let hints = joinHints(between: selectToken, and: current)
        let distinct = accept(.distinct)
        if !distinct { _ = accept(.all) }
        var items: [Expr] = []
        repeat {
            items.append(try parseSelectItem())
        } while accept(.comma)

        var plan = LogicalPlan.oneRow
        if accept(.from) { plan = Self.applying(hints, to: try parseFrom()) }
        if accept(.where) { plan = .filter(try parseExpression(), input: plan) }
        var groupBy: [Expr]?
        if accept(.group) {
            try expect(.by)
            groupBy = try parseGroupBy()
        }
        var having: Expr?
        if accept(.having) { having = try parseExpression() }
        // Spark reads HAVING without GROUP BY as a global aggregate.
        if groupBy != nil || having != nil || items.contains(where: \.containsAggregate) {
            plan = .aggregate(groupBy: groupBy ?? [], aggregates: [], input: plan)
        }
        if let having { plan = .filter(having, input: plan) }
        plan = .projection(items, input: plan)
        return distinct ? .distinct(plan) : plan
    }

    /// `*`, `t.*`, or an expression with an optional alias (`e AS name` or `e name`).
    private mutating func parseSelectItem() throws(QueryError) -> Expr {
        if accept(.star) { return .star(qualifier: nil) }
        // `t.*` and `db.t.*`: look ahead over `name .` pairs for a star.
        var ahead = index
        var qualifier: [String] = []
        while isIdentifier(tokens[ahead]) || (!qualifier.isEmpty && isNameToken(tokens[ahead])), tokens[ahead + 1].isSymbol(.dot) {
            qualifier.append(nameText(tokens[ahead]))
            if tokens[ahead + 2].isSymbol(.star) {
                index = ahead + 3
                return .star(qualifier: qualifier.joined(separator: "."))
            }
            ahead += 2
        }
        let expr = try parseExpression()
        if accept(.as) {
            if current.isSymbol(.leftParen) { throw unsupported("multiple aliases AS (a, b)", at: current) }
            return .alias(expr, name: try parseIdentifier("an alias"))
        }
        if isImplicitAlias(current) {
            implicitAliasIndex = index
            return .alias(expr, name: try parseIdentifier("an alias"))
        }
        return expr
    }

    func isNameToken(_ token: SQLToken) -> Bool {
        switch token.kind {
        case .word, .quotedIdentifier: true
        default: false
        }
    }

    func nameText(_ token: SQLToken) -> String {
        switch token.kind {
        case .word(let text), .quotedIdentifier(let text): text
        default: ""
        }
    }

    /// Table references separated by commas (cross joins), each with its JOINs.
    private mutating func parseFrom() throws(QueryError) -> LogicalPlan {
        var plan = try parseJoinedTable()
        while accept(.comma) {
            plan = .join(left: plan, right: try parseJoinedTable(), JoinSpec(type: .cross))
        }
        if let clause = current.keyword?.unsupportedClause { throw unsupported(clause, at: current) }
        return plan
    }

    /// `reference [NATURAL] [joinType] JOIN reference [ON condition | USING (columns)] …`,
    /// left-associative; a NATURAL join takes neither ON nor USING.
    private mutating func parseJoinedTable() throws(QueryError) -> LogicalPlan {
        var plan = try parseTableReference()
        while true {
            let token = current
            let natural = accept(.natural)
            guard let type = try parseJoinType() else {
                if natural { throw unexpected("JOIN after NATURAL") }
                return plan
            }
            // As in Spark: a NATURAL join is inner or outer.
            if natural && type == .cross { throw unsupported("NATURAL CROSS JOIN", at: token) }
            if natural && (type == .leftSemi || type == .leftAnti) { throw unsupported("NATURAL semi and anti joins", at: token) }
            let right = try parseTableReference()
            var spec = JoinSpec(type: type, isNatural: natural)
            if natural {
                if current.keyword == .on || current.keyword == .using {
                    throw unexpected("the end of a NATURAL join (it takes no ON or USING)")
                }
            } else if accept(.on) {
                spec.condition = try parseExpression()
            } else if accept(.using) {
                try expect(.leftParen, "'('")
                var columns: [String] = []
                repeat { columns.append(try parseIdentifier("a column name")) } while accept(.comma)
                try expect(.rightParen, "')'")
                spec.using = columns
            } else if type != .cross && type != .inner {
                throw unexpected("ON or USING after a \(type == .leftSemi ? "LEFT SEMI" : type == .leftAnti ? "LEFT ANTI" : "outer") join")
            }
            if type == .cross, spec.using != nil { spec.type = .inner }
            plan = .join(left: plan, right: right, spec)
        }
    }

    /// The join type before JOIN (consuming `… JOIN`), or nil when no join follows.
    private mutating func parseJoinType() throws(QueryError) -> JoinType? {
        let type: JoinType
        switch current.keyword {
        case .join: advance(); return .inner
        case .inner: advance(); type = .inner
        case .cross: advance(); type = .cross
        case .left:
            advance()
            if accept(.semi) { type = .leftSemi } else if accept(.anti) { type = .leftAnti } else { _ = accept(.outer); type = .leftOuter }
        case .right: advance(); _ = accept(.outer); type = .rightOuter
        case .full: advance(); _ = accept(.outer); type = .fullOuter
        case .semi: advance(); type = .leftSemi
        case .anti: advance(); type = .leftAnti
        default: return nil
        }
        try expect(.join)
        return type
    }

    /// The join hints in a `/*+ … */` comment between two tokens (`BROADCAST(t), MERGE(a, b)`):
    /// each hinted relation name with its hint. Unknown hints are ignored, as Spark does.
    private func joinHints(between first: SQLToken, and second: SQLToken) -> [(name: String, hint: JoinHint)] {
        let gap = Array(source[first.range.upperBound..<second.range.lowerBound])
        let opener = Array("/*+".utf8), closer = Array("*/".utf8)
        guard let open = gap.firstRange(of: opener),
              let close = gap[open.upperBound...].firstRange(of: closer),
              let tokens = try? SQLLexer.tokenize(String(decoding: gap[open.upperBound..<close.lowerBound], as: UTF8.self))
        else { return [] }
        // NAME(a, b) NAME(c) …, separated by commas or spaces.
        var hints: [(String, JoinHint)] = []
        var i = 0
        while i < tokens.count, !tokens[i].isEnd {
            guard case .word(let name) = tokens[i].kind, tokens[i + 1].isSymbol(.leftParen) else { i += 1; continue }
            let hint = JoinHint(name: name)
            i += 2
            while i < tokens.count, !tokens[i].isEnd, !tokens[i].isSymbol(.rightParen) {
                switch tokens[i].kind {
                case .word(let relation), .quotedIdentifier(let relation): if let hint { hints.append((relation, hint)) }
                default: break
                }
                i += 1
            }
            i += 1
        }
        return hints
    }

    /// `plan` (a FROM clause) with each hinted relation wrapped in its hint; subqueries' own
    /// FROM clauses are not searched.
    private static func applying(_ hints: [(name: String, hint: JoinHint)], to plan: LogicalPlan) -> LogicalPlan {
        guard !hints.isEmpty else { return plan }
        func hint(for name: String) -> JoinHint? { hints.first { $0.name.lowercased() == name.lowercased() }?.hint }
        func walk(_ plan: LogicalPlan) -> LogicalPlan {
            switch plan {
            case .subqueryAlias(let name, _):
                return hint(for: name).map { .hint($0, input: plan) } ?? plan
            case .unresolvedRelation(let table):
                let last = table.name.split(separator: ".").last.map(String.init) ?? table.name
                return (hint(for: table.name) ?? hint(for: last)).map { .hint($0, input: plan) } ?? plan
            case .join:
                return plan.withInputs(plan.inputs.map(walk))
            default:
                return plan
            }
        }
        return walk(plan)
    }

    /// The file formats `format.\`path\`` can name.
    private static let fileFormats: Set<String> = ["parquet", "csv", "json", "orc", "avro", "text"]

    /// `name`, `db.name`, `parquet.\`path\``, a WITH query's name, or `(query)`; then `[AS] alias`.
    private mutating func parseTableReference() throws(QueryError) -> LogicalPlan {
        let token = current
        var plan: LogicalPlan
        if token.isSymbol(.leftParen) {
            advance()
            if startsQuery(current) {
                plan = try parseQuery()
            } else {
                try enterNesting()
                defer { depth -= 1 }
                plan = try parseFrom()
            }
            try expect(.rightParen, "')'")
        } else if token.keyword == .values {
            plan = try parseValues()
        } else if isIdentifier(token) {
            if peek().isSymbol(.leftParen) { throw unsupported("table-valued functions", at: token) }
            var parts = [(text: nameText(token), quoted: !isWord(token))]
            advance()
            while current.isSymbol(.dot) {
                advance()
                let part = current
                parts.append((try parseNamePart(), !isWord(part)))
            }
            if parts.count == 2, !parts[0].quoted, parts[1].quoted, Self.fileFormats.contains(parts[0].text.lowercased()) {
                plan = .unresolvedRelation(TableName(parts[1].text, format: parts[0].text.lowercased()))
            } else if parts.count == 1, let with = withQuery(named: parts[0].text) {
                plan = .subqueryAlias(with.name, input: with.plan)
            } else {
                plan = .unresolvedRelation(TableName(parts.map(\.text).joined(separator: ".")))
            }
        } else if token.keyword == .lateral {
            throw unsupported(token.keyword!.unsupportedClause!, at: token)
        } else if case .word(let word) = token.kind {
            throw syntaxError("expected a table name but found '\(word)', a reserved word (write `\(word)` to use it as a name)", at: token)
        } else {
            throw unexpected("a table name or a subquery")
        }

        var alias: String?
        if accept(.as) {
            alias = try parseIdentifier("an alias")
        } else if isImplicitAlias(current) {
            implicitAliasIndex = index
            alias = try parseIdentifier("an alias")
        }
        if let alias {
            // `AS t(a, b)`: the relation's columns renamed, in order.
            if current.isSymbol(.leftParen) { plan = .columnAliases(try parseColumnNames(), input: plan) }
            plan = .subqueryAlias(alias, input: plan)
        }
        return plan
    }

    /// `(a, b, …)`: the names a column alias list gives.
    private mutating func parseColumnNames() throws(QueryError) -> [String] {
        try expect(.leftParen, "'('")
        var names: [String] = []
        repeat { names.append(try parseIdentifier("a column name")) } while accept(.comma)
        try expect(.rightParen, "')'")
        return names
    }

    private func isWord(_ token: SQLToken) -> Bool {
        if case .word = token.kind { return true }
        return false
    }

    /// The innermost WITH query called `name` (case-insensitively).
    private func withQuery(named name: String) -> (name: String, plan: LogicalPlan)? {
        let lowered = name.lowercased()
        for scope in withScopes.reversed() {
            if let match = scope.last(where: { $0.name.lowercased() == lowered }) { return match }
        }
        return nil
    }

    /// GROUP BY items as written: expressions, select aliases, ordinals.
    private mutating func parseGroupBy() throws(QueryError) -> [Expr] {
        let token = current
        if token.keyword == .all { throw unsupported("GROUP BY ALL", at: token) }
        if token.keyword == .grouping, peek().keyword == .sets { throw unsupported("GROUPING SETS", at: token) }
        if token.keyword == .rollup || token.keyword == .cube, peek().isSymbol(.leftParen) {
            throw unsupported("GROUP BY \(token.keyword!.rawValue)", at: token)
        }
        var exprs: [Expr] = []
        repeat {
            exprs.append(try parseExpression())
        } while accept(.comma)
        if current.keyword == .with, peek().keyword == .rollup || peek().keyword == .cube {
            throw unsupported("GROUP BY … WITH \(peek().keyword!.rawValue)", at: current)
        }
        return exprs
    }

    /// `expr [ASC | DESC] [NULLS FIRST | LAST]`, …
    private mutating func parseSortKeys() throws(QueryError) -> [SortKey] {
        var keys: [SortKey] = []
        repeat {
            let expr = try parseExpression()
            var ascending = true
            if accept(.desc) { ascending = false } else { _ = accept(.asc) }
            var nullsFirst: Bool?
            if accept(.nulls) {
                if accept(.first) {
                    nullsFirst = true
                } else if accept(.last) {
                    nullsFirst = false
                } else {
                    throw unexpected("FIRST or LAST")
                }
            }
            keys.append(SortKey(expr, ascending: ascending, nullsFirst: nullsFirst))
        } while accept(.comma)
        return keys
    }

    /// The non-negative integer literal after LIMIT or OFFSET.
    private mutating func parseCount(after clause: String) throws(QueryError) -> Int {
        let token = current
        if case .number(let text) = token.kind, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let count = Int(text) else { throw syntaxError("\(clause) \(text) is too large", at: token) }
            advance()
            return count
        }
        if token.isSymbol(.minus), case .number = peek().kind {
            throw syntaxError("\(clause) must not be negative", at: token)
        }
        throw unexpected("a non-negative integer after \(clause)")
    }
}
