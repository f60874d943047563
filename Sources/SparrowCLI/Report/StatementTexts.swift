import Query

/// The source text of each statement of a script, for the job report (the parser keeps none).
enum StatementTexts {
    /// One text per non-empty statement, split at `;` as the parser splits them, from the
    /// statement's first token to its last (comments before it left out, hints inside kept); nil
    /// when the script does not lex.
    static func split(_ script: String) -> [String]? {
        guard let tokens = try? SQLLexer.tokenize(script) else { return nil }
        let bytes = Array(script.utf8)
        var texts: [String] = []
        var first: SQLToken?
        var last: SQLToken?
        for token in tokens {
            if token.isEnd || token.isSymbol(.semicolon) {
                if let first, let last {
                    texts.append(String(decoding: bytes[first.range.lowerBound..<last.range.upperBound], as: UTF8.self))
                }
                first = nil
                last = nil
            } else {
                if first == nil { first = token }
                last = token
            }
        }
        return texts
    }
}
