/// Expressions, loosest binding first: OR, AND, NOT, comparisons and predicates (IS NULL, IN,
/// BETWEEN, LIKE), `+ - ||`, `* / %`, unary minus and plus, `::` casts, primaries.
extension SQLParser {
    mutating func parseExpression() throws(QueryError) -> Expr {
        try enterNesting()
        defer { depth -= 1 }
        let start = index
        let expr = try parseOr()
        // A tree is never deeper than its tokens are many; only long expressions need measuring.
        if index - start > Self.maxTreeDepth, Self.treeDepth(expr) > Self.maxTreeDepth {
            throw syntaxError("the expression is nested more than \(Self.maxTreeDepth) levels deep", at: tokens[start])
        }
        return expr
    }

    /// `a OR b OR …` as a balanced tree, as Spark builds it, so that thousands of ORs (a common
    /// shape of generated SQL) make a shallow tree.
    private mutating func parseOr() throws(QueryError) -> Expr {
        var operands = [try parseAnd()]
        while accept(.or) { operands.append(try parseAnd()) }
        return Self.balanced(operands[...], .or)
    }

    private mutating func parseAnd() throws(QueryError) -> Expr {
        var operands = [try parseNot()]
        while accept(.and) { operands.append(try parseNot()) }
        return Self.balanced(operands[...], .and)
    }

    /// Spark's `reduceToExpressionTree`: halves split at the middle, the left half one larger
    /// (`a AND b AND c` is `(a AND b) AND c`; four terms are `(a AND b) AND (c AND d)`).
    static func balanced(_ operands: ArraySlice<Expr>, _ op: BinaryOperator) -> Expr {
        let low = operands.startIndex, high = operands.endIndex - 1
        if low == high { return operands[low] }
        let middle = low + (high - low) / 2
        return .binary(balanced(operands[low...middle], op), op, balanced(operands[(middle + 1)...high], op))
    }

    /// The depth of `expr`'s tree, measured without recursion.
    static func treeDepth(_ expr: Expr) -> Int {
        var deepest = 0
        var pending = [(expr, 1)]
        while let (e, level) = pending.popLast() {
            deepest = max(deepest, level)
            pending.append(contentsOf: e.children.map { ($0, level + 1) })
        }
        return deepest
    }

    private mutating func parseNot() throws(QueryError) -> Expr {
        guard current.keyword == .not || current.isSymbol(.bang) else { return try parseComparison() }
        advance()
        try enterNesting()
        defer { depth -= 1 }
        return .not(try parseNot())
    }

    /// Counts one more operator of a left-deep chain (`a + b + …`), whose tree is as deep as it is long.
    private func countLink(_ links: inout Int) throws(QueryError) {
        links += 1
        if links > Self.maxTreeDepth {
            throw syntaxError("the expression chains more than \(Self.maxTreeDepth) operators", at: current)
        }
    }

    /// Comparisons and predicates, left to right at one level (as in Spark, `a = b IS NULL` is
    /// `(a = b) IS NULL`); their operands are additive expressions.
    private mutating func parseComparison() throws(QueryError) -> Expr {
        var left = try parseAdditive()
        var links = 0
        while true {
            let token = current
            if case .symbol(let symbol) = token.kind, let op = Self.comparisonOperator(symbol) {
                try countLink(&links)
                advance()
                left = .binary(left, op, try parseAdditive())
                continue
            }
            if token.keyword == .is {
                try countLink(&links)
                advance()
                left = try parseIsPredicate(left)
                continue
            }
            var negated = false
            if token.keyword == .not || token.isSymbol(.bang),
               let next = peek().keyword, [.in, .between, .like, .ilike, .rlike, .regexp].contains(next) {
                advance()
                negated = true
            }
            let predicate = current
            switch predicate.keyword {
            case .in:
                advance()
                try expect(.leftParen, "'(' after IN")
                if startsQuery(current), current.keyword != nil {
                    let query = try parseQuery()
                    try expect(.rightParen, "')'")
                    left = .subquery(SubqueryPredicate(value: left, query: query, negated: negated))
                } else {
                    var list: [Expr] = []
                    repeat {
                        list.append(try parseExpression())
                    } while accept(.comma)
                    try expect(.rightParen, "')'")
                    left = .inList(left, list, negated: negated)
                }
            case .between:
                advance()
                let low = try parseAdditive()
                try expect(.and)
                left = .between(left, low: low, high: try parseAdditive(), negated: negated)
            case .like:
                advance()
                if let quantifier = current.keyword, [.any, .all, .some].contains(quantifier), peek().isSymbol(.leftParen) {
                    throw unsupported("LIKE \(quantifier.rawValue) (…)", at: current)
                }
                let pattern = try parseAdditive()
                if current.keyword == .escape {
                    // Only the default escape character fits `Expr.like`.
                    guard case .string("\\") = peek().kind else { throw unsupported("LIKE … ESCAPE with a character other than '\\'", at: current) }
                    advance()
                    advance()
                }
                left = .like(left, pattern: pattern, negated: negated)
            case .ilike, .rlike, .regexp:
                throw unsupported("\(predicate.keyword!.rawValue) (only LIKE is)", at: predicate)
            default:
                return left
            }
            try countLink(&links)
        }
    }

    /// After IS: `[NOT] NULL`, `[NOT] TRUE|FALSE|UNKNOWN`, `[NOT] DISTINCT FROM e`, mapped the way
    /// Spark maps them (`IS TRUE` is `<=> TRUE`, `IS DISTINCT FROM` is `NOT <=>`).
    private mutating func parseIsPredicate(_ operand: Expr) throws(QueryError) -> Expr {
        let negated = accept(.not)
        if accept(.null) || accept(.unknown) { return negated ? .isNotNull(operand) : .isNull(operand) }
        for (keyword, value) in [(SQLKeyword.true, true), (.false, false)] where accept(keyword) {
            let test = Expr.binary(operand, .nullSafeEqual, .literal(.boolean(value)))
            return negated ? .not(test) : test
        }
        if accept(.distinct) {
            try expect(.from)
            let test = Expr.binary(operand, .nullSafeEqual, try parseAdditive())
            return negated ? test : .not(test)
        }
        throw unexpected(negated ? "NULL, TRUE, FALSE or DISTINCT FROM after IS NOT" : "NULL, NOT NULL, TRUE, FALSE or DISTINCT FROM after IS")
    }

    private static func comparisonOperator(_ symbol: SQLToken.Symbol) -> BinaryOperator? {
        switch symbol {
        case .equal, .doubleEqual: .equal
        case .notEqual, .lessGreater: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        case .nullSafeEqual: .nullSafeEqual
        default: nil
        }
    }

    private mutating func parseAdditive() throws(QueryError) -> Expr {
        var left = try parseMultiplicative()
        var links = 0
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .symbol(.plus): op = .add
            case .symbol(.minus): op = .subtract
            case .symbol(.concat): op = .concat
            default: return left
            }
            try countLink(&links)
            advance()
            left = .binary(left, op, try parseMultiplicative())
        }
    }

    private mutating func parseMultiplicative() throws(QueryError) -> Expr {
        var left = try parseUnary()
        var links = 0
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .symbol(.star): op = .multiply
            case .symbol(.slash): op = .divide
            case .symbol(.percent): op = .modulo
            case .word where current.keyword == .div && startsOperand(peek()):
                throw unsupported("DIV (integer division)", at: current)
            default: return left
            }
            try countLink(&links)
            advance()
            left = .binary(left, op, try parseUnary())
        }
    }

    /// Whether `token` can begin an operand (to tell the operator `a DIV b` from an alias `a div`).
    private func startsOperand(_ token: SQLToken) -> Bool {
        switch token.kind {
        case .number, .string, .binary, .quotedIdentifier, .symbol(.leftParen), .symbol(.minus), .symbol(.plus): true
        case .word: !(token.keyword?.startsClause ?? false)
        default: false
        }
    }

    /// `-e`, `+e`, `!e`; a minus right before a number is part of the literal (`-2147483648` is an INT).
    private mutating func parseUnary() throws(QueryError) -> Expr {
        let token = current
        if token.isSymbol(.minus), case .number(let text) = peek().kind {
            advance()
            advance()
            return try parsePostfix(.literal(try numericLiteral(text, negative: true, at: token)))
        }
        guard token.isSymbol(.minus) || token.isSymbol(.plus) || token.isSymbol(.bang) else {
            return try parsePostfix(try parsePrimary())
        }
        advance()
        try enterNesting()
        defer { depth -= 1 }
        let operand = try parseUnary()
        switch token.kind {
        case .symbol(.minus): return .negate(operand)
        case .symbol(.bang): return .not(operand)
        default: return operand
        }
    }

    /// `e::type`, any number of times.
    private mutating func parsePostfix(_ primary: Expr) throws(QueryError) -> Expr {
        var expr = primary
        while accept(.doubleColon) {
            expr = .cast(expr, try parseDataType())
        }
        return expr
    }

    private mutating func parsePrimary() throws(QueryError) -> Expr {
        let token = current
        switch token.kind {
        case .number(let text):
            advance()
            return .literal(try numericLiteral(text, negative: false, at: token))
        case .string(var text):
            advance()
            // Adjacent string literals are one ('a' 'b' is 'ab'), as in Spark.
            while case .string(let more) = current.kind {
                text += more
                advance()
            }
            return .literal(.string(text))
        case .binary(let bytes):
            advance()
            return .literal(ScalarValue(.bytes(bytes), type: .binary))
        case .symbol(.leftParen):
            if startsQuery(peek()), peek().keyword != nil {
                advance()
                let query = try parseQuery()
                try expect(.rightParen, "')'")
                return .scalarSubquery(ScalarSubquery(query: query))
            }
            advance()
            let expr = try parseExpression()
            if current.isSymbol(.comma) { throw unsupported("row values (a, b)", at: current) }
            try expect(.rightParen, "')'")
            return expr
        case .symbol(.star):
            throw syntaxError("'*' is only allowed in a select list or in count(*)", at: token)
        case .quotedIdentifier:
            if peek().isSymbol(.leftParen) { return try parseFunctionCall() }
            return try parseColumnReference()
        case .word:
            break
        default:
            throw unexpected("an expression")
        }

        switch token.keyword {
        case .true:
            advance()
            return .literal(.boolean(true))
        case .false:
            advance()
            return .literal(.boolean(false))
        case .null:
            advance()
            return .literal(.untypedNull)
        case .case:
            return try parseCase()
        case .exists where peek().isSymbol(.leftParen):
            advance()
            advance()
            guard startsQuery(current), current.keyword != nil else { throw unexpected("a query after EXISTS (") }
            let query = try parseQuery()
            try expect(.rightParen, "')'")
            return .subquery(SubqueryPredicate(value: nil, query: query, negated: false))
        case .date, .timestamp, .timestampNTZ, .timestampLTZ:
            if case .string(let text) = peek().kind {
                advance()
                let literal = current
                advance()
                return .literal(try typedLiteral(token.keyword!, text, at: literal))
            }
        case .interval where startsIntervalLiteral(at: index + 1):
            return .literal(try parseInterval())
        default:
            break
        }
        if peek().isSymbol(.leftParen), isIdentifier(token) || token.keyword == .left || token.keyword == .right {
            return try parseFunctionCall()
        }
        if isIdentifier(token) { return try parseColumnReference() }
        if case .word(let word) = token.kind, token.keyword?.isReserved == true,
           ![.from, .where, .group, .having, .order, .limit, .union, .and, .or, .not, .when, .then, .else, .end, .as, .in, .is, .between, .like, .by, .on, .join].contains(token.keyword!) {
            throw syntaxError("expected an expression but found '\(word)', a reserved word (write `\(word)` to use it as a name)", at: token)
        }
        throw unexpected("an expression")
    }

    /// `a`, `t.a`, `db.t.a` (the qualifier keeps every part but the last).
    private mutating func parseColumnReference() throws(QueryError) -> Expr {
        var parts = [try parseIdentifier("a column name")]
        while current.isSymbol(.dot) {
            advance()
            if current.isSymbol(.star) {
                throw syntaxError("'\(parts.joined(separator: ".")).*' is only allowed in a select list", at: current)
            }
            parts.append(try parseNamePart())
        }
        let name = parts.removeLast()
        return .column(ColumnReference(name, qualifier: parts.isEmpty ? nil : parts.joined(separator: ".")))
    }

    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    private mutating func parseCase() throws(QueryError) -> Expr {
        advance()
        let operand = current.keyword == .when ? nil : try parseExpression()
        var branches: [WhenThen] = []
        while accept(.when) {
            let condition = try parseExpression()
            try expect(.then)
            branches.append(WhenThen(condition, try parseExpression()))
        }
        if branches.isEmpty { throw unexpected("WHEN") }
        let otherwise = accept(.else) ? try parseExpression() : nil
        try expect(.end)
        return .caseWhen(operand: operand, branches: branches, otherwise: otherwise)
    }

    // MARK: Function calls

    private static let aggregates: [String: AggregateFunction] = [
        "count": .count, "sum": .sum, "avg": .avg, "mean": .avg, "min": .min, "max": .max,
    ]

    /// `name(args)` with the special forms of CAST, EXTRACT, SUBSTRING and TRIM; aggregates
    /// (`count(*)`, `count(DISTINCT a)`, `sum(x)`…) become `.aggregate`.
    private mutating func parseFunctionCall() throws(QueryError) -> Expr {
        let nameToken = advance()
        let name = nameText(nameToken).lowercased()
        advance()
        var arguments: [Expr] = []
        switch name {
        case "cast":
            let expr = try parseExpression()
            try expect(.as)
            let type = try parseDataType()
            try expect(.rightParen, "')'")
            return .cast(expr, type)
        case "try_cast":
            throw unsupported("TRY_CAST", at: nameToken)
        case "extract":
            return try parseExtract()
        case "substring", "substr":
            return try parseSubstring(name)
        case "trim", "ltrim", "rtrim":
            if let trim = try parseTrimSyntax(name, firstArgument: &arguments) { return trim }
        default:
            break
        }

        var distinct = false
        var starToken: SQLToken?
        if !arguments.isEmpty {
            while accept(.comma) { arguments.append(try parseExpression()) }
        } else {
            if accept(.distinct) {
                distinct = true
            } else if current.keyword == .all, !peek().isSymbol(.rightParen), !peek().isSymbol(.comma) {
                advance()
            }
            if current.isSymbol(.star), peek().isSymbol(.rightParen) {
                starToken = advance()
            } else if !current.isSymbol(.rightParen) {
                repeat {
                    arguments.append(try parseExpression())
                } while accept(.comma)
            }
        }
        try expect(.rightParen, "')'")
        if current.keyword == .filter, peek().isSymbol(.leftParen) {
            throw unsupported("FILTER (WHERE …) on aggregates", at: current)
        }
        if current.keyword == .over, peek().isSymbol(.leftParen) || isIdentifier(peek()) {
            throw unsupported("window functions (OVER …)", at: current)
        }

        if let aggregate = Self.aggregates[name] {
            if let starToken {
                guard aggregate == .count, !distinct else {
                    throw syntaxError("'*' is only allowed in count(*)", at: starToken)
                }
                return .aggregate(.count, arguments: [], distinct: false)
            }
            if aggregate == .count, arguments.isEmpty {
                throw syntaxError("count needs an argument or *", at: nameToken)
            }
            if aggregate != .count, arguments.count != 1 {
                throw syntaxError("\(name) takes exactly one argument, not \(arguments.count)", at: nameToken)
            }
            return .aggregate(aggregate, arguments: arguments, distinct: distinct)
        }
        if let starToken { throw syntaxError("'*' is only allowed in count(*)", at: starToken) }
        if distinct { throw syntaxError("DISTINCT is only allowed in aggregate functions, not in \(name)", at: nameToken) }
        if name == "trim" || name == "ltrim" || name == "rtrim", arguments.count == 2 {
            // Spark's two-argument form is trim(trimStr, str); the tree keeps the string first,
            // as TRIM(chars FROM str) does.
            arguments.swapAt(0, 1)
        }
        return .function(name: name, arguments: arguments)
    }

    /// `EXTRACT(field FROM e)` as the function of that field: `year(e)`, `month(e)`, `day(e)`…
    private mutating func parseExtract() throws(QueryError) -> Expr {
        let fieldToken = current
        guard case .word(let field) = fieldToken.kind else { throw unexpected("a field such as YEAR, MONTH or DAY") }
        let function: String
        switch field.uppercased() {
        case "YEAR", "Y", "YEARS", "YR", "YRS": function = "year"
        case "QUARTER", "QTR": function = "quarter"
        case "MONTH", "MON", "MONS", "MONTHS": function = "month"
        case "WEEK", "W", "WEEKS": function = "weekofyear"
        case "DAY", "D", "DAYS", "DAYOFMONTH": function = "day"
        case "DAYOFWEEK", "DOW": function = "dayofweek"
        case "DOY": function = "dayofyear"
        case "HOUR", "H", "HOURS", "HR", "HRS": function = "hour"
        case "MINUTE", "M", "MIN", "MINS", "MINUTES": function = "minute"
        case "SECOND", "S", "SEC", "SECONDS", "SECS": function = "second"
        default: throw syntaxError("unknown EXTRACT field '\(field)'; expected YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE or SECOND", at: fieldToken)
        }
        advance()
        try expect(.from)
        let expr = try parseExpression()
        try expect(.rightParen, "')'")
        return .function(name: function, arguments: [expr])
    }

    /// `substring(s FROM pos [FOR len])`, `substring(s, pos[, len])` and Spark's mixtures of the two.
    private mutating func parseSubstring(_ name: String) throws(QueryError) -> Expr {
        var arguments = [try parseExpression()]
        guard accept(.from) || accept(.comma) else { throw unexpected("FROM or ','") }
        arguments.append(try parseExpression())
        if accept(.for) || accept(.comma) { arguments.append(try parseExpression()) }
        try expect(.rightParen, "')'")
        return .function(name: name, arguments: arguments)
    }

    /// `trim([BOTH | LEADING | TRAILING] [chars] FROM s)` as `trim`, `ltrim` or `rtrim` of
    /// `(s[, chars])`. For a plain call (`trim(s)`) it returns nil, with the first argument, if it
    /// has read one, in `firstArgument`.
    private mutating func parseTrimSyntax(_ name: String, firstArgument: inout [Expr]) throws(QueryError) -> Expr? {
        if current.isSymbol(.rightParen) { return nil }
        var function = name
        var sideGiven = false
        if let side = current.keyword, [.both, .leading, .trailing].contains(side), !peek().isSymbol(.rightParen), !peek().isSymbol(.comma) {
            advance()
            sideGiven = true
            function = side == .leading ? "ltrim" : side == .trailing ? "rtrim" : "trim"
        }
        if accept(.from) {
            let string = try parseExpression()
            try expect(.rightParen, "')'")
            return .function(name: function, arguments: [string])
        }
        let first = try parseExpression()
        if accept(.from) {
            let string = try parseExpression()
            try expect(.rightParen, "')'")
            return .function(name: function, arguments: [string, first])
        }
        if sideGiven { throw unexpected("FROM") }
        firstArgument = [first]
        return nil
    }
}
