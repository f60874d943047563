/// Splits SQL text into tokens: words, backquoted identifiers, string, number and binary
/// literals, operators. Comments (`-- …` to the end of the line, nested `/* … */`, which includes
/// Spark's `/*+ hints */`) and whitespace separate tokens and are dropped.
///
/// The lexical rules are Spark's: strings in single or double quotes with backslash escapes
/// (plus `''` for a quote, as in standard SQL), `R'…'` raw strings, `X'…'` binary literals,
/// numbers with optional `L` `S` `Y` `D` `F` `BD` type suffixes, and, like Spark, a run of
/// letters and digits that starts with a digit but is no number (`1st`, `123abc`) is an identifier.
public struct SQLLexer {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var column = 1

    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Every token of `text`, ending with one `.end` token.
    public static func tokenize(_ text: String) throws(QueryError) -> [SQLToken] {
        var lexer = SQLLexer(text)
        var tokens: [SQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.isEnd { return tokens }
        }
    }

    /// The next token; `.end` at the end of the text (and again on every call after it).
    public mutating func next() throws(QueryError) -> SQLToken {
        try skipWhitespaceAndComments()
        let start = position, startLine = line, startColumn = column
        func token(_ kind: SQLToken.Kind, keyword: SQLKeyword? = nil) -> SQLToken {
            SQLToken(kind, keyword: keyword, line: startLine, column: startColumn, range: start..<position)
        }
        guard position < bytes.count else { return token(.end) }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return token(.string(try string(raw: false)))
        case UInt8(ascii: "`"):
            return token(.quotedIdentifier(try quotedIdentifier()))
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return token(try numberOrWord())
        case UInt8(ascii: ".") where isDigit(at: position + 1):
            return token(try numberOrWord())
        case _ where Self.isIdentifierStart(byte):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "'") || bytes[position + 1] == UInt8(ascii: "\"") {
                switch byte {
                case UInt8(ascii: "r"), UInt8(ascii: "R"):
                    advance()
                    return token(.string(try string(raw: true)))
                case UInt8(ascii: "x"), UInt8(ascii: "X"):
                    advance()
                    return token(.binary(try hexString(startLine: startLine, startColumn: startColumn)))
                default:
                    break
                }
            }
            while position < bytes.count, Self.isIdentifierPart(bytes[position]) { advance() }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            return token(.word(text), keyword: SQLKeyword(word: text))
        default:
            return token(symbol())
        }
    }

    // MARK: Pieces

    private mutating func skipWhitespaceAndComments() throws(QueryError) {
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                advance()
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { advance() }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                let startLine = line, startColumn = column
                advance(2)
                var depth = 1
                while depth > 0 {
                    guard position < bytes.count else {
                        throw QueryError.syntax(message: "unterminated comment: '/*' has no matching '*/'", line: startLine, column: startColumn)
                    }
                    if bytes[position] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        depth -= 1
                        advance(2)
                    } else if bytes[position] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                        depth += 1
                        advance(2)
                    } else {
                        advance()
                    }
                }
            default:
                return
            }
        }
    }

    /// A quoted string starting at the opening quote. Raw strings (`R'…'`) take every character
    /// up to the closing quote as written.
    private mutating func string(raw: Bool) throws(QueryError) -> String {
        let quote = bytes[position]
        let startLine = line, startColumn = column - (raw ? 1 : 0)
        advance()
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw QueryError.syntax(message: "unterminated string literal", line: startLine, column: startColumn)
            }
            let byte = bytes[position]
            if byte == quote {
                advance()
                // A doubled quote stands for one quote.
                if !raw, position < bytes.count, bytes[position] == quote {
                    value.append(quote)
                    advance()
                    continue
                }
                return String(decoding: value, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\"), !raw, position + 1 < bytes.count {
                advance()
                escape(into: &value)
            } else {
                value.append(byte)
                advance()
            }
        }
    }

    /// Spark's backslash escapes (`unescapeSQLString`); the backslash is already consumed.
    private mutating func escape(into value: inout [UInt8]) {
        let byte = bytes[position]
        func append(_ scalar: Unicode.Scalar) { value.append(contentsOf: Array(String(Character(scalar)).utf8)) }
        switch byte {
        case UInt8(ascii: "u") where hexDigits(from: position + 1, count: 4) != nil:
            var code = hexDigits(from: position + 1, count: 4)!
            advance(5)
            // A UTF-16 surrogate pair written as two escapes.
            if (0xD800..<0xDC00).contains(code), peek(0) == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u"),
               let low = hexDigits(from: position + 2, count: 4), (0xDC00..<0xE000).contains(low) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                advance(6)
            }
            append(Unicode.Scalar(code) ?? "\u{FFFD}")
        case UInt8(ascii: "0")...UInt8(ascii: "3") where isOctal(at: position + 1) && isOctal(at: position + 2):
            let code = (UInt32(byte) - 48) << 6 | (UInt32(bytes[position + 1]) - 48) << 3 | (UInt32(bytes[position + 2]) - 48)
            advance(3)
            append(Unicode.Scalar(code)!)
        default:
            advance()
            switch byte {
            case UInt8(ascii: "0"): value.append(0)
            case UInt8(ascii: "b"): value.append(0x08)
            case UInt8(ascii: "n"): value.append(0x0A)
            case UInt8(ascii: "r"): value.append(0x0D)
            case UInt8(ascii: "t"): value.append(0x09)
            case UInt8(ascii: "Z"): value.append(0x1A)
            // Kept escaped so that LIKE still sees a literal % or _.
            case UInt8(ascii: "%"), UInt8(ascii: "_"): value.append(contentsOf: [UInt8(ascii: "\\"), byte])
            default:
                // Any other escaped character stands for itself, whole (it may be several bytes).
                value.append(byte)
                while position < bytes.count, bytes[position] & 0xC0 == 0x80 {
                    value.append(bytes[position])
                    advance()
                }
            }
        }
    }

    private mutating func quotedIdentifier() throws(QueryError) -> String {
        let startLine = line, startColumn = column
        advance()
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw QueryError.syntax(message: "unterminated quoted identifier: '`' has no matching '`'", line: startLine, column: startColumn)
            }
            let byte = bytes[position]
            advance()
            if byte == UInt8(ascii: "`") {
                guard position < bytes.count, bytes[position] == UInt8(ascii: "`") else {
                    return String(decoding: value, as: UTF8.self)
                }
                advance()
            }
            value.append(byte)
        }
    }

    /// The bytes of `X'0AFF'`; the X is consumed. An odd number of digits reads the first as one nibble.
    private mutating func hexString(startLine: Int, startColumn: Int) throws(QueryError) -> [UInt8] {
        let quote = bytes[position]
        advance()
        var nibbles: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw QueryError.syntax(message: "unterminated binary literal", line: startLine, column: startColumn)
            }
            let byte = bytes[position]
            if byte == quote { advance(); break }
            guard let nibble = Self.hexValue(byte) else {
                throw QueryError.syntax(message: "binary literal X'…' may only hold hexadecimal digits", line: line, column: column)
            }
            nibbles.append(UInt8(nibble))
            advance()
        }
        if nibbles.count % 2 == 1 { nibbles.insert(0, at: 0) }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }

    /// A number (digits, fraction, exponent, type suffix), or a word when the run of letters and
    /// digits that starts here is longer than any number (Spark reads `123abc` as an identifier).
    private mutating func numberOrWord() throws(QueryError) -> SQLToken.Kind {
        let start = position
        var i = position
        while isDigit(at: i) { i += 1 }
        var isInteger = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            while isDigit(at: i) { i += 1 }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            var j = i + 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
            if isDigit(at: j) {
                while isDigit(at: j) { j += 1 }
                i = j
                isInteger = false
            }
        }
        var end = i
        if i < bytes.count {
            let suffix = bytes[i] | 0x20
            if suffix == UInt8(ascii: "b"), i + 1 < bytes.count, bytes[i + 1] | 0x20 == UInt8(ascii: "d") {
                end = i + 2
            } else if suffix == UInt8(ascii: "d") || suffix == UInt8(ascii: "f")
                        || (isInteger && (suffix == UInt8(ascii: "l") || suffix == UInt8(ascii: "s") || suffix == UInt8(ascii: "y"))) {
                end = i + 1
            }
            if end > i, end < bytes.count, Self.isIdentifierPart(bytes[end]) { end = i }
        }
        var wordEnd = start
        while wordEnd < bytes.count, Self.isIdentifierPart(bytes[wordEnd]) { wordEnd += 1 }
        if wordEnd > end {
            advance(wordEnd - start)
            return .word(String(decoding: bytes[start..<wordEnd], as: UTF8.self))
        }
        if end < bytes.count, Self.isIdentifierPart(bytes[end]) {
            var badEnd = end
            while badEnd < bytes.count, Self.isIdentifierPart(bytes[badEnd]) { badEnd += 1 }
            throw QueryError.syntax(message: "invalid number '\(String(decoding: bytes[start..<badEnd], as: UTF8.self))'",
                                    line: line, column: column)
        }
        advance(end - start)
        return .number(String(decoding: bytes[start..<end], as: UTF8.self))
    }

    private mutating func symbol() -> SQLToken.Kind {
        let byte = bytes[position]
        let next = peek(1)
        func take(_ count: Int, _ symbol: SQLToken.Symbol) -> SQLToken.Kind {
            advance(count)
            return .symbol(symbol)
        }
        switch byte {
        case UInt8(ascii: "+"): return take(1, .plus)
        case UInt8(ascii: "-"): return take(1, .minus)
        case UInt8(ascii: "*"): return take(1, .star)
        case UInt8(ascii: "/"): return take(1, .slash)
        case UInt8(ascii: "%"): return take(1, .percent)
        case UInt8(ascii: "("): return take(1, .leftParen)
        case UInt8(ascii: ")"): return take(1, .rightParen)
        case UInt8(ascii: ","): return take(1, .comma)
        case UInt8(ascii: "."): return take(1, .dot)
        case UInt8(ascii: ";"): return take(1, .semicolon)
        case UInt8(ascii: "="): return next == UInt8(ascii: "=") ? take(2, .doubleEqual) : take(1, .equal)
        case UInt8(ascii: "!"): return next == UInt8(ascii: "=") ? take(2, .notEqual) : take(1, .bang)
        case UInt8(ascii: ">"): return next == UInt8(ascii: "=") ? take(2, .greaterOrEqual) : take(1, .greater)
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "="), peek(2) == UInt8(ascii: ">") { return take(3, .nullSafeEqual) }
            if next == UInt8(ascii: "=") { return take(2, .lessOrEqual) }
            if next == UInt8(ascii: ">") { return take(2, .lessGreater) }
            return take(1, .less)
        case UInt8(ascii: "|") where next == UInt8(ascii: "|"): return take(2, .concat)
        case UInt8(ascii: ":") where next == UInt8(ascii: ":"): return take(2, .doubleColon)
        default:
            let start = position
            advance()
            while position < bytes.count, bytes[position] & 0xC0 == 0x80 { advance() }
            return .unrecognized(String(decoding: bytes[start..<position], as: UTF8.self))
        }
    }

    // MARK: Characters

    /// Moves past `count` bytes, keeping line and column: a column is one Unicode scalar, so
    /// UTF-8 continuation bytes do not count.
    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            position += 1
        }
    }

    private func peek(_ offset: Int) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private func isDigit(at index: Int) -> Bool {
        index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
    }

    private func isOctal(at index: Int) -> Bool {
        index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "7")
    }

    private func hexDigits(from index: Int, count: Int) -> UInt32? {
        guard index + count <= bytes.count else { return nil }
        var value: UInt32 = 0
        for i in index..<index + count {
            guard let digit = Self.hexValue(bytes[i]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Letters, `_`, and any non-ASCII character (so names in other scripts need no quotes).
    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
