import Testing
@testable import Query

struct SQLLexerTests {
    /// "message @line:column" of the syntax error lexing `text` throws.
    private func lexError(_ text: String) -> String? {
        do {
            _ = try SQLLexer.tokenize(text)
            return nil
        } catch {
            guard case .syntax(let message, let line, let column) = error else { return "\(error)" }
            return "\(message) @\(line):\(column)"
        }
    }

    private func kinds(_ text: String) throws -> [SQLToken.Kind] {
        try SQLLexer.tokenize(text).map(\.kind).dropLast()
    }

    @Test func tokensCarryLineAndColumn() throws {
        let tokens = try SQLLexer.tokenize("SELECT a,\n  `b c` FROM t -- note\nWHERE x >= 1.5e3")
        let expected: [(SQLToken.Kind, Int, Int)] = [
            (.word("SELECT"), 1, 1), (.word("a"), 1, 8), (.symbol(.comma), 1, 9),
            (.quotedIdentifier("b c"), 2, 3), (.word("FROM"), 2, 9), (.word("t"), 2, 14),
            (.word("WHERE"), 3, 1), (.word("x"), 3, 7), (.symbol(.greaterOrEqual), 3, 9), (.number("1.5e3"), 3, 12),
            (.end, 3, 17),
        ]
        #expect(tokens.count == expected.count)
        for (token, (kind, line, column)) in zip(tokens, expected) {
            #expect(token.kind == kind)
            #expect(token.line == line && token.column == column, "\(token.kind) at \(token.line):\(token.column)")
        }
        #expect(tokens[0].keyword == .select)
        #expect(tokens[4].keyword == .from)
        #expect(tokens[1].keyword == nil)
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let tokens = try SQLLexer.tokenize("SELECT 'héllo', x, '😀' y")
        #expect(tokens[3].column == 17)
        #expect(tokens[5].column == 20)
        #expect(tokens[6].column == 24)
        #expect(tokens[1].kind == .string("héllo"))
    }

    @Test func keywordsAreCaseInsensitiveAndQuotedWordsAreNone() throws {
        let tokens = try SQLLexer.tokenize("select SeLeCt `select` timestamp_ntz")
        #expect(tokens[0].keyword == .select)
        #expect(tokens[1].keyword == .select)
        #expect(tokens[2].keyword == nil)
        #expect(tokens[3].keyword == .timestampNTZ)
    }

    @Test(arguments: SQLToken.Symbol.allCases)
    func everySymbolLexesAlone(symbol: SQLToken.Symbol) throws {
        #expect(try kinds("a \(symbol.rawValue) b") == [.word("a"), .symbol(symbol), .word("b")])
    }

    @Test func longestOperatorWins() throws {
        #expect(try kinds("a<=>b<>c<=d!=e==f||g::h") == [
            .word("a"), .symbol(.nullSafeEqual), .word("b"), .symbol(.lessGreater), .word("c"), .symbol(.lessOrEqual),
            .word("d"), .symbol(.notEqual), .word("e"), .symbol(.doubleEqual), .word("f"), .symbol(.concat),
            .word("g"), .symbol(.doubleColon), .word("h"),
        ])
        #expect(try kinds("!a") == [.symbol(.bang), .word("a")])
        #expect(try kinds("a & b | c") == [.word("a"), .unrecognized("&"), .word("b"), .unrecognized("|"), .word("c")])
    }

    /// String values as Spark 3.5 returns them (`SELECT 'x\'y'` …), except `''`, which Spark reads
    /// as two adjacent literals and Sparrow as a quote (standard SQL).
    @Test(arguments: [
        (#"'it''s'"#, "it's"),
        (#"'x\'y'"#, "x'y"),
        (#""dq""#, "dq"),
        (#""say ""hi""""#, #"say "hi""#),
        (#"'a\nb'"#, "a\nb"),
        (#"'a\\b'"#, #"a\b"#),
        (#"'a\%b'"#, #"a\%b"#),
        (#"'a\_b'"#, #"a\_b"#),
        (#"'q\tz'"#, "q\tz"),
        (#"'u\u0041'"#, "uA"),
        (#"'\101'"#, "A"),
        (#"'\ud83d\ude00'"#, "😀"),
        (#"'\q'"#, "q"),
        (#"r'a\nb'"#, #"a\nb"#),
        (#"R"C:\dir""#, #"C:\dir"#),
        ("'é'", "é"),
        ("''", ""),
    ])
    func stringLiterals(text: String, value: String) throws {
        #expect(try kinds(text) == [.string(value)])
    }

    @Test func backquotedIdentifiers() throws {
        #expect(try kinds("`weird name` `a``b` ``") == [.quotedIdentifier("weird name"), .quotedIdentifier("a`b"), .quotedIdentifier("")])
    }

    @Test func binaryLiterals() throws {
        #expect(try kinds("X'0AFF' x'123' X''") == [.binary([0x0A, 0xFF]), .binary([0x01, 0x23]), .binary([])])
        #expect(throws: QueryError.self) { try SQLLexer.tokenize("X'0G'") }
    }

    @Test(arguments: ["123", "1.5", ".5", "1.", "1e3", "1E+3", "1.5e-3", "10L", "10l", "1S", "1Y", "2D", "2.5F", "1.5BD", "1e3BD", "007"])
    func numbers(text: String) throws {
        #expect(try kinds(text) == [.number(text)])
    }

    /// Like Spark, a run of letters and digits that starts with a digit and is no number is a name.
    @Test(arguments: ["123abc", "1st", "1e3x", "10Lx", "1_000"])
    func digitLedWordsAreIdentifiers(text: String) throws {
        #expect(try kinds(text) == [.word(text)])
    }

    @Test func numbersStopAtOperators() throws {
        #expect(try kinds("1+2.5*.5-3") == [.number("1"), .symbol(.plus), .number("2.5"), .symbol(.star), .number(".5"), .symbol(.minus), .number("3")])
        #expect(try kinds("t.a") == [.word("t"), .symbol(.dot), .word("a")])
    }

    @Test func invalidNumberIsAnErrorAtItsStart() {
        #expect(lexError("SELECT 1.5abc") == "invalid number '1.5abc' @1:8")
    }

    @Test func commentsAreSkipped() throws {
        #expect(try kinds("a -- to the end\nb /* block /* nested */ still */ c /*+ BROADCAST(t) */ d--x") == [
            .word("a"), .word("b"), .word("c"), .word("d"),
        ])
        #expect(try kinds("a - -1") == [.word("a"), .symbol(.minus), .symbol(.minus), .number("1")])
    }

    @Test func unterminatedStringIsAnErrorAtItsStart() {
        #expect(lexError("SELECT\nx = 'abc\n FROM t") == "unterminated string literal @2:5")
        #expect(lexError(#"'abc\'"#) == "unterminated string literal @1:1")
        #expect(lexError("a r'xyz") == "unterminated string literal @1:3")
    }

    @Test func unterminatedCommentAndIdentifier() {
        #expect(lexError("SELECT 1 /* /* */") == "unterminated comment: '/*' has no matching '*/' @1:10")
        #expect(lexError("\n\n `abc") == "unterminated quoted identifier: '`' has no matching '`' @3:2")
    }

    @Test func rangesCoverTheTokenText() throws {
        let text = "SELECT 'a''b' AS `x`"
        let tokens = try SQLLexer.tokenize(text)
        let bytes = Array(text.utf8)
        #expect(tokens.map { String(decoding: bytes[$0.range], as: UTF8.self) } == ["SELECT", "'a''b'", "AS", "`x`", ""])
    }

    @Test func emptyAndBlankTextIsJustTheEnd() throws {
        #expect(try SQLLexer.tokenize("").map(\.kind) == [.end])
        let tokens = try SQLLexer.tokenize("  \n -- c\n  ")
        #expect(tokens.map(\.kind) == [.end])
        #expect(tokens[0].line == 3 && tokens[0].column == 3)
    }
}
