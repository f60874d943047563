import Foundation

/// Reads `sparrow sql --format jsonl` rows and compares them with the expected rows of a `.slt` file.
///
/// Both sides become canonical text first: `NULL`, `(empty)` for the empty string, `true`/`false`,
/// numbers as printed, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS[.ffffff]` without
/// trailing zero fraction digits (and without a `Z`: the session time zone is UTC). `R` columns then
/// compare as numbers (see `matches(_:_:as:)`), everything else compares exactly.
///
/// Implementation notes: the JSON is read by a small scanner rather than JSONSerialization, so
/// that values come in column order even when two columns share a name, and numbers stay as the
/// text Sparrow printed (a decimal(38,4) keeps all its digits, an integer column that prints `3.0`
/// is told apart from one that prints `3`).
enum SQLLogicValues {
    /// One value of a JSON object, numbers and nested values as their text.
    enum JSONValue: Equatable, Sendable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        /// An array or object, as its compact JSON text.
        case nested(String)
    }

    struct JSONError: Error, CustomStringConvertible {
        let description: String
    }

    static let relativeTolerance = 1e-9

    // MARK: Reading

    /// The canonical rows of `sparrow sql --format jsonl` output for columns of `types`.
    static func rows(jsonLines: String, types: [SQLLogicFile.ColumnType]) throws -> [[String]] {
        try jsonLines.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            let values = try objectValues(String(line))
            guard values.count == types.count else {
                throw JSONError(description: "\(values.count) values for \(types.count) columns in \(line)")
            }
            return zip(values, types).map { canonical($0, as: $1) }
        }
    }

    /// The values of a one-line JSON object, in the order of its keys.
    static func objectValues(_ line: String) throws -> [JSONValue] {
        var scanner = Scanner(bytes: Array(line.utf8))
        try scanner.expect(UInt8(ascii: "{"))
        var values: [JSONValue] = []
        if try scanner.peek() == UInt8(ascii: "}") {
            scanner.index += 1
        } else {
            while true {
                _ = try scanner.string()
                try scanner.expect(UInt8(ascii: ":"))
                values.append(try scanner.value())
                if try scanner.peek() == UInt8(ascii: ",") {
                    scanner.index += 1
                    continue
                }
                try scanner.expect(UInt8(ascii: "}"))
                break
            }
        }
        scanner.skipWhitespace()
        guard scanner.index == scanner.bytes.count else { throw scanner.error("text after the object") }
        return values
    }

    // MARK: Canonical text

    /// The canonical text of a value in a column of the given type, as the expected rows spell it.
    static func canonical(_ value: JSONValue, as type: SQLLogicFile.ColumnType) -> String {
        switch value {
        case .null: return "NULL"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text), .nested(let text): return text
        case .string(let text):
            if text.isEmpty { return "(empty)" }
            if type == .text, let timestamp = timestampText(text) { return timestamp }
            return text
        }
    }

    /// `YYYY-MM-DD HH:MM:SS[.f…]` for an ISO 8601 timestamp `YYYY-MM-DDTHH:MM:SS[.f…][Z]`, with the
    /// fraction's trailing zeros (and a bare dot) dropped; nil for any other text.
    static func timestampText(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: "Z") { bytes.removeLast() }
        let pattern = Array("dddd-dd-ddTdd:dd:dd".utf8)
        guard bytes.count >= pattern.count else { return nil }
        for (byte, expected) in zip(bytes, pattern) {
            let matches = expected == UInt8(ascii: "d") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
            if !matches { return nil }
        }
        var fraction = bytes[pattern.count...]
        if !fraction.isEmpty {
            guard fraction.first == UInt8(ascii: "."), fraction.count > 1,
                  fraction.dropFirst().allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { return nil }
            while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
            if fraction.count == 1 { fraction.removeAll() }
        }
        bytes[10] = UInt8(ascii: " ")
        return String(decoding: bytes[..<pattern.count] + fraction, as: UTF8.self)
    }

    // MARK: Comparing

    /// Whether an actual value matches an expected one in a column of the given type.
    ///
    /// `R` values are numbers within a relative 1e-9 of each other, except that two plain numerals
    /// with the same number of fraction digits and at most 15 significant digits must be equal:
    /// those are decimals of one scale (or doubles short enough to be exact), and a cent off in a
    /// sum of prices or a last digit off in a rounded average is a wrong answer, not noise.
    static func matches(_ actual: String, _ expected: String, as type: SQLLogicFile.ColumnType) -> Bool {
        if actual == expected { return true }
        guard type == .real, let a = number(actual), let b = number(expected) else { return false }
        if let x = ExactNumeral(actual), let y = ExactNumeral(expected), x.fractionDigits == y.fractionDigits {
            return x.digits == y.digits
        }
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        return abs(a - b) <= relativeTolerance * max(abs(a), abs(b))
    }

    /// A plain numeral (`-12.30`, `0`, no exponent) of at most 15 significant digits.
    struct ExactNumeral {
        /// The digits without the point, leading zeros and the sign of a zero: `-1230`, `0`.
        let digits: String
        let fractionDigits: Int

        init?(_ text: String) {
            var body = Substring(text)
            let negative = body.first == "-"
            if negative { body = body.dropFirst() }
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
            else { return nil }
            fractionDigits = parts.count == 2 ? parts[1].count : 0
            let significant = parts.joined().drop { $0 == "0" }
            guard significant.count <= 15 else { return nil }
            digits = significant.isEmpty ? "0" : (negative ? "-" : "") + significant
        }
    }

    /// Whether two row lists match value by value, in order.
    static func matches(_ actual: [[String]], _ expected: [[String]], types: [SQLLogicFile.ColumnType]) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { actualRow, expectedRow in
            actualRow.count == types.count && expectedRow.count == types.count
                && zip(types.indices, types).allSatisfy { matches(actualRow[$0], expectedRow[$0], as: $1) }
        }
    }

    /// The rows in `rowsort` order: column by column, NULL first, I and R by number (NaN last), T by
    /// code point. Text in a numeric column that is not a number sorts after the numbers.
    static func sorted(_ rows: [[String]], types: [SQLLogicFile.ColumnType]) -> [[String]] {
        rows.sorted { left, right in
            for (index, type) in types.enumerated() where index < left.count && index < right.count {
                let order = compare(left[index], right[index], as: type)
                if order != 0 { return order < 0 }
            }
            return left.count < right.count
        }
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b`.
    static func compare(_ a: String, _ b: String, as type: SQLLogicFile.ColumnType) -> Int {
        if a == b { return 0 }
        if a == "NULL" || b == "NULL" { return a == "NULL" ? -1 : 1 }
        switch type {
        case .integer:
            if let x = Int64(a), let y = Int64(b), x != y { return x < y ? -1 : 1 }
        case .real:
            if let x = number(a), let y = number(b) {
                if x.isNaN != y.isNaN { return x.isNaN ? 1 : -1 }
                if x != y, !x.isNaN { return x < y ? -1 : 1 }
            }
        case .text:
            break
        }
        // Equal numbers spelled differently (12.3 and 12.30), and text, go by code point.
        if type != .text {
            let aIsNumber = type == .integer ? Int64(a) != nil : number(a) != nil
            let bIsNumber = type == .integer ? Int64(b) != nil : number(b) != nil
            if aIsNumber != bIsNumber { return aIsNumber ? -1 : 1 }
        }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    /// The value of a number's text (`NaN`, `Infinity` and `-Infinity` included); nil for other text.
    static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            // Double(_:) also reads "nan", "inf" and hex floats, which are not numbers here.
            guard !text.isEmpty, text.utf8.allSatisfy(isNumberByte) else { return nil }
            return Double(text)
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(byte)
    }

    // MARK: JSON scanner

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ what: String) -> JSONError {
            JSONError(description: "bad JSON at byte \(index): \(what) in \(String(decoding: bytes, as: UTF8.self))")
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func peek() throws -> UInt8 {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end") }
            return bytes[index]
        }

        mutating func expect(_ byte: UInt8) throws {
            guard try peek() == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
            index += 1
        }

        mutating func value() throws -> JSONValue {
            switch try peek() {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "{"), UInt8(ascii: "["): return .nested(try nested())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                let start = index
                while index < bytes.count, SQLLogicValues.isNumberByte(bytes[index]) { index += 1 }
                guard index > start else { throw error("expected a value") }
                return .number(String(decoding: bytes[start..<index], as: UTF8.self))
            }
        }

        mutating func literal(_ word: String) throws {
            let word = Array(word.utf8)
            guard bytes.count - index >= word.count, Array(bytes[index..<index + word.count]) == word else {
                throw error("expected \(String(decoding: word, as: UTF8.self))")
            }
            index += word.count
        }

        /// A string's contents with its escapes resolved.
        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw error("unterminated string") }
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { break }
                guard byte == UInt8(ascii: "\\") else {
                    out.append(byte)
                    continue
                }
                guard index < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                        else { throw error("lone surrogate") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("bad surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("bad \\u escape") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw error("unknown escape")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - index >= 4, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw error("bad \\u escape") }
            index += 4
            return value
        }

        /// The text of an array or object, up to its matching bracket.
        mutating func nested() throws -> String {
            let start = index
            var depth = 0
            var inString = false
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if inString {
                    if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return String(decoding: bytes[start..<index], as: UTF8.self) }
                default: break
                }
            }
            throw error("unterminated array or object")
        }
    }
}
