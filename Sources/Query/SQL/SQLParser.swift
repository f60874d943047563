/// Parses Spark SQL text into `Statement`s, and filter text (`--where "…"`, `df.filter("…")`)
/// into an `Expr`.
///
/// A hand-written recursive-descent parser over `SQLLexer`'s tokens. It only builds the tree:
/// names stay unresolved (`LogicalPlan.unresolvedRelation`, `Expr.column`), GROUP BY and ORDER BY
/// keep aliases and ordinals as written, and an aggregating SELECT gets an `.aggregate` node with
/// no aggregates yet; the analyzer resolves all of that. WITH queries are substituted here: a table
/// name that matches a WITH query in scope becomes `.subqueryAlias(name, input: query)`.
///
/// Errors are `QueryError.syntax` with the 1-based line and column of the offending token, or
/// `QueryError.unsupported` for valid Spark SQL that Sparrow does not run (joins, subqueries in
/// expressions, window functions, INTERSECT/EXCEPT…).
public struct SQLParser {
    let source: [UInt8]
    let tokens: [SQLToken]
    var index = 0
    /// How deeply the parser has recursed (parentheses, subqueries, unary operators); bounded so
    /// that hostile input gets an error instead of exhausting the stack.
    var depth = 0
    /// The WITH queries in scope, innermost scope last.
    var withScopes: [[(name: String, plan: LogicalPlan)]] = []
    /// The token index of the latest alias written without AS, to explain a misspelt keyword
    /// (`SELECT a FORM t` reads FORM as an alias of `a`).
    var implicitAliasIndex: Int?

    static let maxDepth = 128
    /// The deepest expression tree the parser returns: every later pass over a tree (analysis,
    /// printing, equality) recurses, and must not run out of stack.
    static let maxTreeDepth = 1000

    init(_ text: String) throws(QueryError) {
        source = Array(text.utf8)
        tokens = try SQLLexer.tokenize(text)
    }

    // MARK: Entry points

    /// The statements of `text`, separated by `;`; empty statements and a trailing `;` are allowed.
    public static func parseStatements(_ text: String) throws(QueryError) -> [Statement] {
        var parser = try SQLParser(text)
        var statements: [Statement] = []
        while true {
            while parser.accept(.semicolon) {}
            if parser.current.isEnd { return statements }
            statements.append(try parser.parseStatement())
            if !parser.current.isEnd && !parser.current.isSymbol(.semicolon) {
                throw parser.unexpected("';' or end of input", clauseMayStart: true)
            }
        }
    }

    /// Exactly one statement, optionally followed by `;`.
    public static func parseStatement(_ text: String) throws(QueryError) -> Statement {
        var parser = try SQLParser(text)
        let statement = try parser.parseStatement()
        while parser.accept(.semicolon) {}
        guard parser.current.isEnd else {
            if parser.tokens[parser.index - 1].isSymbol(.semicolon) {
                throw parser.syntaxError("expected one statement, but another follows", at: parser.current)
            }
            throw parser.unexpected("';' or end of input", clauseMayStart: true)
        }
        return statement
    }

    /// One expression, the whole of `text`.
    public static func parseExpression(_ text: String) throws(QueryError) -> Expr {
        var parser = try SQLParser(text)
        let expr = try parser.parseExpression()
        guard parser.current.isEnd else { throw parser.unexpected("end of the expression") }
        return expr
    }

    // MARK: Statements

    mutating func parseStatement() throws(QueryError) -> Statement {
        let token = current
        switch token.keyword {
        case .select, .with, .values:
            return .query(try parseQuery())
        case .explain:
            advance()
            var mode = ExplainMode.simple
            switch current.keyword {
            case .extended, .logical, .cost: advance(); mode = .extended
            case .formatted: advance(); mode = .formatted
            case .codegen: throw unsupported("EXPLAIN CODEGEN", at: current)
            default: break
            }
            return .explain(mode, try parseStatement())
        case .create:
            return try parseCreateView()
        case .drop:
            advance()
            if current.keyword == .table { throw unsupported("DROP TABLE", at: current) }
            try expect(.view)
            var ifExists = false
            if accept(.if) {
                try expect(.exists)
                ifExists = true
            }
            return .dropView(name: try parseMultipartName("a view name"), ifExists: ifExists)
        case .set:
            return try parseSet()
        case .insert:
            return try parseInsert()
        case .table, .from:
            throw unsupported("queries that start with \(token.keyword!.rawValue)", at: token)
        case .desc:
            throw unsupported("DESC statements", at: token)
        default:
            if token.isSymbol(.leftParen) { return .query(try parseQuery()) }
            if case .word(let word) = token.kind {
                switch word.uppercased() {
                case "CACHE": return try parseCacheTable()
                case "UNCACHE": return try parseUncacheTable()
                case "CLEAR": return try parseClearCache()
                default: break
                }
            }
            if case .word(let word) = token.kind, Self.otherStatements.contains(word.uppercased()) {
                throw unsupported("\(word.uppercased()) statements", at: token)
            }
            throw unexpected("a statement (SELECT, WITH, EXPLAIN, CREATE TEMP VIEW, DROP VIEW or SET)")
        }
    }

    /// Spark statements that Sparrow does not run, named in the error instead of "expected SELECT".
    private static let otherStatements: Set<String> = [
        "ALTER", "ANALYZE", "DELETE", "DESCRIBE", "LOAD", "MERGE", "MSCK",
        "REFRESH", "RESET", "SHOW", "TRUNCATE", "UPDATE", "USE",
    ]

    /// `CREATE [OR REPLACE] [GLOBAL] TEMP|TEMPORARY VIEW name AS query`, or Spark's
    /// `… VIEW name USING format OPTIONS (path '…')` over a file.
    private mutating func parseCreateView() throws(QueryError) -> Statement {
        advance()
        var replace = false
        if accept(.or) {
            try expect(.replace)
            replace = true
        }
        _ = accept(.global)
        if current.keyword == .view { throw unsupported("persistent views (CREATE VIEW); use CREATE TEMP VIEW", at: current) }
        if current.keyword == .table { throw unsupported("CREATE TABLE; use CREATE TEMP VIEW", at: current) }
        guard accept(.temp) || accept(.temporary) else { throw unexpected("TEMP VIEW") }
        try expect(.view)
        if current.keyword == .if { throw unsupported("IF NOT EXISTS on a temporary view", at: current) }
        let name = try parseMultipartName("a view name")
        if current.isSymbol(.leftParen) { throw unsupported("column lists in CREATE TEMP VIEW", at: current) }
        if accept(.using) {
            let formatToken = current
            let format = try parseIdentifier("a data source format such as parquet").lowercased()
            var path: String?
            if accept(.options) {
                for option in try parseOptionList() {
                    guard option.key.lowercased() == "path" else {
                        throw unsupported("data source option '\(option.key.lowercased())' (only path is)", at: option.token)
                    }
                    path = option.value
                }
            }
            guard let path else {
                throw QueryError.syntax(message: "CREATE TEMP VIEW … USING \(format) needs OPTIONS (path '…')",
                                        line: formatToken.line, column: formatToken.column)
            }
            let relation = LogicalPlan.unresolvedRelation(TableName(path, format: format))
            return .createTempView(name: name, replace: replace, query: .projection([.star(qualifier: nil)], input: relation))
        }
        try expect(.as)
        return .createTempView(name: name, replace: replace, query: try parseQuery())
    }

    /// `CACHE [LAZY] TABLE name [OPTIONS ('storageLevel' 'MEMORY_ONLY')] [[AS] query]`. Sparrow keeps
    /// cached rows in memory only, so of Spark's storage levels only the in-memory ones are accepted.
    private mutating func parseCacheTable() throws(QueryError) -> Statement {
        advance()
        let isLazy = acceptWord("LAZY")
        try expect(.table)
        let nameToken = current
        let name = try parseCachedTableName()
        if accept(.options) {
            for option in try parseOptionList() {
                guard option.key.lowercased() == "storagelevel" else {
                    throw unsupported("CACHE TABLE option '\(option.key)' (only storageLevel is)", at: option.token)
                }
                let level = option.value.uppercased()
                guard Self.inMemoryStorageLevels.contains(level) else {
                    throw unsupported("storage level \(level); cached tables are kept in memory (MEMORY_ONLY or MEMORY_AND_DISK)", at: option.token)
                }
            }
        }
        let hasAs = accept(.as)
        if !hasAs && (current.isEnd || current.isSymbol(.semicolon)) {
            return .cacheTable(name, query: nil, isLazy: isLazy)
        }
        guard startsQuery(current) else {
            throw unexpected(hasAs ? "a query (SELECT or WITH)" : "AS and a query (SELECT or WITH), or the end of the statement")
        }
        if name.format != nil {
            throw syntaxError("CACHE TABLE … AS query names a temporary view, not a path", at: nameToken)
        }
        return .cacheTable(name, query: try parseQuery(), isLazy: isLazy)
    }

    private static let inMemoryStorageLevels: Set<String> = ["MEMORY_ONLY", "MEMORY_AND_DISK", "MEMORY_ONLY_SER", "MEMORY_AND_DISK_SER"]

    /// `UNCACHE TABLE [IF EXISTS] name`.
    private mutating func parseUncacheTable() throws(QueryError) -> Statement {
        advance()
        try expect(.table)
        var ifExists = false
        if accept(.if) {
            try expect(.exists)
            ifExists = true
        }
        return .uncacheTable(try parseCachedTableName(), ifExists: ifExists)
    }

    /// `CLEAR CACHE`.
    private mutating func parseClearCache() throws(QueryError) -> Statement {
        advance()
        guard acceptWord("CACHE") else { throw unexpected("CACHE") }
        return .clearCache
    }

    /// The table of CACHE and UNCACHE TABLE: a (multipart) name, or a file as `parquet.\`/path\``.
    private mutating func parseCachedTableName() throws(QueryError) -> TableName {
        if case .word(let format) = current.kind, ["parquet", "csv"].contains(format.lowercased()), peek().isSymbol(.dot),
           case .quotedIdentifier(let path) = peek(2).kind {
            advance(); advance(); advance()
            return TableName(path, format: format.lowercased())
        }
        return TableName(try parseMultipartName("a table name"))
    }

    /// Consumes the current token if it is the unquoted word `word` (not a keyword Sparrow knows).
    private mutating func acceptWord(_ word: String) -> Bool {
        guard case .word(let text) = current.kind, text.uppercased() == word else { return false }
        advance()
        return true
    }

    /// `(key [=] value, …)` after OPTIONS: keys are names (`a.b`) or string literals, values
    /// strings, numbers or booleans.
    private mutating func parseOptionList() throws(QueryError) -> [(key: String, value: String, token: SQLToken)] {
        try expect(.leftParen, "'('")
        var options: [(key: String, value: String, token: SQLToken)] = []
        repeat {
            let keyToken = current
            let key: String
            if case .string(let text) = current.kind {
                advance()
                key = text
            } else {
                key = try parseMultipartName("an option name")
            }
            _ = accept(.equal)
            let valueToken = current
            let value: String
            switch valueToken.kind {
            case .string(let text): value = text
            case .number(let text): value = text
            case .word where valueToken.keyword == .true || valueToken.keyword == .false: value = valueToken.keyword!.rawValue.lowercased()
            default: throw unexpected("an option value")
            }
            advance()
            options.append((key, value, keyToken))
        } while accept(.comma)
        try expect(.rightParen, "')'")
        return options
    }

    /// `INSERT OVERWRITE|INTO DIRECTORY ['path'] USING parquet [OPTIONS (…)] [PARTITIONED BY (…)] query`.
    private mutating func parseInsert() throws(QueryError) -> Statement {
        let insertToken = advance()
        let overwrite: Bool
        if accept(.overwrite) {
            overwrite = true
        } else if accept(.into) {
            overwrite = false
        } else {
            throw unexpected("OVERWRITE or INTO")
        }
        if current.keyword == .local {
            throw unsupported("INSERT … LOCAL DIRECTORY (Hive formats); write INSERT OVERWRITE DIRECTORY '…' USING parquet", at: current)
        }
        guard accept(.directory) else {
            throw unsupported("INSERT statements into tables; Sparrow writes directories: INSERT OVERWRITE DIRECTORY '/path' USING parquet query",
                              at: insertToken)
        }
        var path: String?
        if case .string(let text) = current.kind {
            advance()
            path = text
        }
        try expect(.using)
        let formatToken = current
        let format = try parseIdentifier("a data source format such as parquet").lowercased()
        guard format == "parquet" else { throw unsupported("writing the \(format) format (only parquet is written)", at: formatToken) }
        var options: [(key: String, value: String)] = []
        if accept(.options) {
            for option in try parseOptionList() {
                if option.key.lowercased() == "path" {
                    // Spark: "Directory path and 'path' in OPTIONS should be specified one, but not both".
                    if path != nil { throw syntaxError("give the directory either after DIRECTORY or as the 'path' option, not both", at: option.token) }
                    path = option.value
                } else {
                    options.append((option.key, option.value))
                }
            }
        }
        var partitionColumns: [String] = []
        if accept(.partitioned) {
            try expect(.by)
            try expect(.leftParen, "'('")
            repeat { partitionColumns.append(try parseIdentifier("a partition column")) } while accept(.comma)
            try expect(.rightParen, "')'")
        }
        guard let path else {
            throw QueryError.syntax(message: "INSERT … DIRECTORY needs the directory: DIRECTORY '/path' or OPTIONS (path '/path')",
                                    line: insertToken.line, column: insertToken.column)
        }
        let queryStart = current
        guard queryStart.keyword == .select || queryStart.keyword == .with || queryStart.isSymbol(.leftParen) else {
            throw unexpected(partitionColumns.isEmpty ? "PARTITIONED BY or a query" : "a query (SELECT or WITH)")
        }
        return .insertDirectory(DirectoryInsert(path: path, format: format, options: options, partitionColumns: partitionColumns,
                                                overwrite: overwrite, query: try parseQuery()))
    }

    /// `SET`, `SET key`, `SET key=value`: the value is the raw text up to `;` or the end, trimmed,
    /// as in Spark (it need not be one token: `SET spark.sql.session.timeZone = America/New_York`).
    private mutating func parseSet() throws(QueryError) -> Statement {
        let setToken = advance()
        let first = current
        var end = index
        while !tokens[end].isEnd && !tokens[end].isSymbol(.semicolon) { end += 1 }
        let text = String(decoding: source[setToken.range.upperBound..<tokens[end].range.lowerBound], as: UTF8.self)
        index = end
        let raw = text.trimmedWhitespace
        if raw.isEmpty { return .set(key: nil, value: nil) }
        var key = raw
        var value: String?
        if let equals = raw.firstIndex(of: "=") {
            key = String(raw[..<equals]).trimmedWhitespace
            value = String(raw[raw.index(after: equals)...]).trimmedWhitespace
        }
        let isKey = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == "_" || $0 == "." || $0 == ":" || $0 == "-"
        }
        guard isKey else {
            throw QueryError.syntax(message: "expected a configuration key such as spark.sql.shuffle.partitions after SET but found '\(Self.abbreviated(key))'",
                                    line: first.line, column: first.column)
        }
        return .set(key: key, value: value)
    }

    // MARK: Tokens

    var current: SQLToken { tokens[index] }

    /// The token `offset` places ahead (the end token past the end).
    func peek(_ offset: Int = 1) -> SQLToken { tokens[min(index + offset, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> SQLToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func accept(_ keyword: SQLKeyword) -> Bool {
        guard current.keyword == keyword else { return false }
        advance()
        return true
    }

    mutating func accept(_ symbol: SQLToken.Symbol) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        advance()
        return true
    }

    mutating func expect(_ keyword: SQLKeyword) throws(QueryError) {
        guard accept(keyword) else { throw unexpected(keyword.rawValue) }
    }

    mutating func expect(_ symbol: SQLToken.Symbol, _ what: String) throws(QueryError) {
        guard accept(symbol) else { throw unexpected(what) }
    }

    /// Whether `token` can be a name: a backquoted identifier or a word that is not reserved.
    func isIdentifier(_ token: SQLToken) -> Bool {
        switch token.kind {
        case .quotedIdentifier: true
        case .word: !(token.keyword?.isReserved ?? false)
        default: false
        }
    }

    /// Whether `token` can be an alias written without AS.
    func isImplicitAlias(_ token: SQLToken) -> Bool {
        switch token.kind {
        case .quotedIdentifier: true
        case .word: !(token.keyword?.startsClause ?? false)
        default: false
        }
    }

    /// A name: a backquoted identifier or a word that is not reserved (case as written).
    mutating func parseIdentifier(_ what: String) throws(QueryError) -> String {
        let token = current
        switch token.kind {
        case .quotedIdentifier(let name):
            advance()
            return name
        case .word(let name) where isIdentifier(token):
            advance()
            return name
        case .word(let name):
            throw syntaxError("expected \(what) but found '\(name)', a reserved word (write `\(name)` to use it as a name)", at: token)
        default:
            throw unexpected(what)
        }
    }

    /// `a`, `a.b`, `a.b.c` joined with dots; parts after the first may be any word.
    mutating func parseMultipartName(_ what: String) throws(QueryError) -> String {
        var parts = [try parseIdentifier(what)]
        while current.isSymbol(.dot) {
            advance()
            parts.append(try parseNamePart())
        }
        return parts.joined(separator: ".")
    }

    /// A name after a dot, where even reserved words are unambiguous (`t.from`).
    mutating func parseNamePart() throws(QueryError) -> String {
        switch current.kind {
        case .quotedIdentifier(let name), .word(let name):
            advance()
            return name
        default:
            throw unexpected("a name after '.'")
        }
    }

    /// Counts one level of recursion; the caller undoes it with `defer { depth -= 1 }`.
    mutating func enterNesting() throws(QueryError) {
        depth += 1
        if depth > Self.maxDepth {
            throw syntaxError("the statement is nested too deeply (more than \(Self.maxDepth) levels)", at: current)
        }
    }

    // MARK: Errors

    func syntaxError(_ message: String, at token: SQLToken) -> QueryError {
        .syntax(message: message, line: token.line, column: token.column)
    }

    func unsupported(_ feature: String, at token: SQLToken) -> QueryError {
        .unsupported("\(feature), at line \(token.line), column \(token.column)")
    }

    /// The token as written, quoted, or "end of input".
    func quoted(_ token: SQLToken) -> String {
        token.isEnd ? "end of input" : "'\(Self.abbreviated(String(decoding: source[token.range], as: UTF8.self)))'"
    }

    static func abbreviated(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// "expected `what` but found …" at the current token. Where a clause may start, a Spark clause
    /// Sparrow does not support (a JOIN, WINDOW…) is reported as unsupported instead.
    func unexpected(_ what: String, clauseMayStart: Bool = false) -> QueryError {
        let token = current
        if clauseMayStart {
            if token.isSymbol(.comma) { return unsupported("joins (JOIN, or FROM a, b)", at: token) }
            if let clause = token.keyword?.unsupportedClause { return unsupported(clause, at: token) }
        }
        if let aliasIndex = implicitAliasIndex, aliasIndex == index - 1, let keyword = Self.misspeltKeyword(tokens[aliasIndex]) {
            return syntaxError("expected \(keyword) but found \(quoted(tokens[aliasIndex]))", at: tokens[aliasIndex])
        }
        if token.isEnd { return syntaxError("unexpected end of input; expected \(what)", at: token) }
        var message = "expected \(what) but found \(quoted(token))"
        if let keyword = Self.misspeltKeyword(token) { message += " (did you mean \(keyword)?)" }
        return syntaxError(message, at: token)
    }

    private static let clauseKeywords = ["SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION"]

    /// The clause keyword an unquoted word of four or more letters is a likely typo of (`FORM`,
    /// `WHRE`): same first letter, at most two edits.
    static func misspeltKeyword(_ token: SQLToken) -> String? {
        guard case .word(let word) = token.kind, token.keyword == nil, word.count >= 4 else { return nil }
        let upper = Array(word.uppercased())
        return clauseKeywords.first { $0.first == upper.first && NameSuggestions.editDistance(upper, Array($0)) <= 2 }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmedWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
