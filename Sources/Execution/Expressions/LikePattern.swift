import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A SQL `LIKE` pattern: `%` matches any sequence of characters, `_` exactly one character
/// (a Unicode scalar, as in Spark, which matches on code points), and `\` makes the next `%`,
/// `_` or `\` literal. Matching is case-sensitive and bytewise on UTF-8 otherwise.
///
/// A pattern is compiled once into the cheapest matcher that implements it: equality, prefix,
/// suffix, substring (memmem), a chain of substrings for `%`-separated literals (`%a%b%`),
/// and a general matcher with backtracking on the last `%` for patterns with `_`.
struct LikePattern: Sendable {
    /// A pattern element: a literal byte (0...255), one character, or any sequence.
    typealias Token = Int16
    static let anyCharacter: Token = -1
    static let anySequence: Token = -2

    enum Matcher: Sendable {
        case equals([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case contains([UInt8])
        /// Literal runs separated by `%`: the first anchored at the start unless the pattern
        /// starts with `%`, the last at the end unless it ends with `%`.
        case segments([[UInt8]], anchoredStart: Bool, anchoredEnd: Bool)
        case any
        case general([Token])
    }

    let matcher: Matcher

    enum PatternError: Error, Equatable {
        case escapeBefore(UInt8)
        case trailingEscape
    }

    init(_ pattern: [UInt8]) throws {
        var tokens: [Token] = []
        try LikePattern.tokenize(pattern, into: &tokens)
        matcher = LikePattern.plan(tokens)
    }

    /// Splits a pattern into tokens (appended to `tokens`).
    static func tokenize(_ pattern: UnsafeBufferPointer<UInt8>, into tokens: inout [Token]) throws {
        var i = 0
        while i < pattern.count {
            let byte = pattern[i]
            switch byte {
            case UInt8(ascii: "\\"):
                guard i + 1 < pattern.count else { throw PatternError.trailingEscape }
                let next = pattern[i + 1]
                guard next == UInt8(ascii: "%") || next == UInt8(ascii: "_") || next == UInt8(ascii: "\\") else {
                    throw PatternError.escapeBefore(next)
                }
                tokens.append(Token(next))
                i += 2
            case UInt8(ascii: "%"):
                if tokens.last != anySequence { tokens.append(anySequence) }
                i += 1
            case UInt8(ascii: "_"):
                tokens.append(anyCharacter)
                i += 1
            default:
                tokens.append(Token(byte))
                i += 1
            }
        }
    }

    static func tokenize(_ pattern: [UInt8], into tokens: inout [Token]) throws {
        try pattern.withUnsafeBufferPointer { try tokenize($0, into: &tokens) }
    }

    private static func plan(_ tokens: [Token]) -> Matcher {
        if tokens.contains(anyCharacter) { return .general(tokens) }
        let anchoredStart = tokens.first != anySequence
        let anchoredEnd = tokens.last != anySequence
        let segments = tokens.split(separator: anySequence, omittingEmptySubsequences: true).map { $0.map { UInt8($0) } }
        switch (segments.count, anchoredStart, anchoredEnd) {
        case (0, true, true): return .equals([])
        case (0, _, _): return .any
        case (1, true, true): return .equals(segments[0])
        case (1, true, false): return .prefix(segments[0])
        case (1, false, true): return .suffix(segments[0])
        case (1, false, false): return .contains(segments[0])
        default: return .segments(segments, anchoredStart: anchoredStart, anchoredEnd: anchoredEnd)
        }
    }

    /// The match of every value of a plain string column, as bits: the matcher is chosen once and
    /// each kind runs its own loop over the values.
    func matchBits(_ column: Column) -> Buffer {
        let reader = ByteValues.Reader(column)
        let count = column.count
        switch matcher {
        case .equals(let literal):
            return literal.withUnsafeBufferPointer { l in
                BitWords.make(count: count) { i in
                    let (p, n) = reader[i]
                    return n == l.count && (n == 0 || memcmp(p, l.baseAddress!, n) == 0)
                }
            }
        case .prefix(let literal):
            return literal.withUnsafeBufferPointer { l in
                BitWords.make(count: count) { i in
                    let (p, n) = reader[i]
                    return n >= l.count && (l.count == 0 || memcmp(p, l.baseAddress!, l.count) == 0)
                }
            }
        case .suffix(let literal):
            return literal.withUnsafeBufferPointer { l in
                BitWords.make(count: count) { i in
                    let (p, n) = reader[i]
                    return n >= l.count && (l.count == 0 || memcmp(p + (n - l.count), l.baseAddress!, l.count) == 0)
                }
            }
        case .any:
            return BitWords.filled(true, count: count)
        default:
            return BitWords.make(count: count) { i in
                let (p, n) = reader[i]
                return matches(p, n)
            }
        }
    }

    /// True when the `n` bytes at `p` match.
    @inline(__always)
    func matches(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        switch matcher {
        case .equals(let literal): return LikePattern.equal(p, n, literal)
        case .prefix(let literal): return n >= literal.count && LikePattern.equal(p, literal.count, literal)
        case .suffix(let literal): return n >= literal.count && LikePattern.equal(p + (n - literal.count), literal.count, literal)
        case .contains(let literal): return LikePattern.find(literal, in: p, n) != nil
        case .segments(let segments, let anchoredStart, let anchoredEnd):
            return LikePattern.matchSegments(segments, anchoredStart, anchoredEnd, p, n)
        case .any: return true
        case .general(let tokens): return tokens.withUnsafeBufferPointer { LikePattern.matchGeneral($0, p, n) }
        }
    }

    @inline(__always)
    static func equal(_ p: UnsafePointer<UInt8>, _ n: Int, _ literal: [UInt8]) -> Bool {
        n == literal.count && literal.withUnsafeBufferPointer { l in n == 0 || memcmp(p, l.baseAddress!, n) == 0 }
    }

    /// Offset of the first occurrence of `literal` in the `n` bytes at `p`.
    static func find(_ literal: [UInt8], in p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        if literal.isEmpty { return 0 }
        guard n >= literal.count else { return nil }
        return literal.withUnsafeBufferPointer { l -> Int? in
            // memchr for the first byte, memcmp for the rest.
            let first = Int32(l[0])
            let rest = l.count - 1
            var start = 0
            let last = n - l.count
            while start <= last {
                guard let hit = memchr(p + start, first, last - start + 1) else { return nil }
                let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(p)
                if rest == 0 || memcmp(p + offset + 1, l.baseAddress! + 1, rest) == 0 { return offset }
                start = offset + 1
            }
            return nil
        }
    }

    private static func matchSegments(_ segments: [[UInt8]], _ anchoredStart: Bool, _ anchoredEnd: Bool,
                                      _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var start = 0
        var end = n
        var first = 0, last = segments.count
        if anchoredStart {
            let s = segments[0]
            guard n >= s.count, equal(p, s.count, s) else { return false }
            start = s.count
            first = 1
        }
        if anchoredEnd {
            let s = segments[segments.count - 1]
            guard end - start >= s.count, equal(p + (end - s.count), s.count, s) else { return false }
            end -= s.count
            last -= 1
        }
        for k in first..<max(first, last) {
            let s = segments[k]
            guard let offset = find(s, in: p + start, end - start) else { return false }
            start += offset + s.count
        }
        return true
    }

    /// Byte length of the UTF-8 character starting with `lead` (1 for a stray continuation byte).
    @inline(__always)
    static func characterLength(_ lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : (lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4))
    }

    /// Wildcard matching with backtracking to the last `%` (linear for most patterns, at worst
    /// the product of the lengths).
    static func matchGeneral(_ tokens: UnsafeBufferPointer<Token>, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var t = 0, k = 0
        var star = -1, mark = 0
        while t < n {
            if k < tokens.count {
                let token = tokens[k]
                if token == anySequence {
                    star = k
                    k += 1
                    mark = t
                    continue
                }
                if token == anyCharacter {
                    t = min(n, t + characterLength(p[t]))
                    k += 1
                    continue
                }
                if UInt8(token) == p[t] {
                    t += 1
                    k += 1
                    continue
                }
            }
            guard star >= 0 else { return false }
            k = star + 1
            mark = min(n, mark + characterLength(p[mark]))
            t = mark
        }
        while k < tokens.count && tokens[k] == anySequence { k += 1 }
        return k == tokens.count
    }
}
