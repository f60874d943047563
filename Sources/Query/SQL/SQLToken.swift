/// One token of SQL text, with where it starts (1-based line and column, columns counted in
/// Unicode scalars) and the UTF-8 byte range it covers in the source.
public struct SQLToken: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// An unquoted identifier or keyword, as written.
        case word(String)
        /// A backquoted identifier without its quotes (` `` ` unescaped).
        case quotedIdentifier(String)
        /// A string literal's value (quotes removed, escapes applied).
        case string(String)
        /// A numeric literal as written: digits, `.`, exponent and type suffix (`12`, `.5`, `1e3`,
        /// `10L`, `1.5BD`). The parser types it, because a minus before it changes what fits.
        case number(String)
        /// A binary literal `X'0AFF'`.
        case binary([UInt8])
        case symbol(Symbol)
        /// A character that starts no token (`&`, `$`…). Only `SET key=value` accepts it, in its value.
        case unrecognized(String)
        case end
    }

    /// Operators and punctuation.
    public enum Symbol: String, Hashable, Sendable, CaseIterable {
        case plus = "+"
        case minus = "-"
        case star = "*"
        case slash = "/"
        case percent = "%"
        case equal = "="
        case doubleEqual = "=="
        case notEqual = "!="
        case lessGreater = "<>"
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case nullSafeEqual = "<=>"
        case concat = "||"
        case bang = "!"
        case leftParen = "("
        case rightParen = ")"
        case comma = ","
        case dot = "."
        case semicolon = ";"
        case doubleColon = "::"
    }

    public var kind: Kind
    /// The keyword an unquoted word spells, if any (matched case-insensitively).
    public var keyword: SQLKeyword?
    public var line: Int
    public var column: Int
    /// UTF-8 byte offsets of the token in the source text.
    public var range: Range<Int>

    public init(_ kind: Kind, keyword: SQLKeyword? = nil, line: Int, column: Int, range: Range<Int>) {
        self.kind = kind
        self.keyword = keyword
        self.line = line
        self.column = column
        self.range = range
    }

    public var isEnd: Bool { kind == .end }

    public func isSymbol(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }

    public var description: String {
        switch kind {
        case .word(let text): text
        case .quotedIdentifier(let text): "`" + text.replacingAll("`", with: "``") + "`"
        case .string(let text): ScalarValue.string(text).description
        case .number(let text): text
        case .binary(let bytes): ScalarValue(.bytes(bytes), type: .binary).description
        case .symbol(let symbol): symbol.rawValue
        case .unrecognized(let text): text
        case .end: "end of input"
        }
    }
}
