import Columnar

/// Literals (numbers, DATE/TIMESTAMP/INTERVAL) and type names, typed the way Spark types them.
extension SQLParser {
    /// A number as written (with the sign of a minus right before it) typed as Spark does: an
    /// integer is INT if it fits, else BIGINT, else DECIMAL(p,0); `1.5`, `.5`, `1.` are DECIMAL with
    /// exactly the digits written; an exponent makes a DOUBLE; suffixes `L` BIGINT, `S` SMALLINT,
    /// `Y` TINYINT, `D` DOUBLE, `F` FLOAT, `BD` DECIMAL.
    func numericLiteral(_ text: String, negative: Bool, at token: SQLToken) throws(QueryError) -> ScalarValue {
        let upper = text.uppercased()
        var body = upper
        var suffix = ""
        if upper.hasSuffix("BD") {
            suffix = "BD"
        } else if let last = upper.last, "LSYDF".contains(last) {
            suffix = String(last)
        }
        body.removeLast(suffix.count)
        let signed = (negative ? "-" : "") + body
        let written = (negative ? "-" : "") + text
        func outOfRange(_ type: String) -> QueryError {
            syntaxError("numeric literal \(written) is outside the range of \(type)", at: token)
        }
        let isInteger = body.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        switch suffix {
        case "L":
            guard let value = Int64(signed) else { throw outOfRange("BIGINT") }
            return .int64(value)
        case "S":
            guard let value = Int16(signed) else { throw outOfRange("SMALLINT") }
            return ScalarValue(.int(Int64(value)), type: .int16)
        case "Y":
            guard let value = Int8(signed) else { throw outOfRange("TINYINT") }
            return ScalarValue(.int(Int64(value)), type: .int8)
        case "D":
            guard let value = Double(signed), value.isFinite else { throw outOfRange("DOUBLE") }
            return .double(value)
        case "F":
            guard let value = Float(signed), value.isFinite else { throw outOfRange("FLOAT") }
            return ScalarValue(.double(Double(value)), type: .float32)
        case "BD":
            return try decimalLiteral(body, negative: negative, written: written, at: token)
        default:
            if isInteger {
                if let value = Int32(signed) { return .int32(value) }
                if let value = Int64(signed) { return .int64(value) }
                return try decimalLiteral(body, negative: negative, written: written, at: token)
            }
            if body.contains("E") {
                guard let value = Double(signed), value.isFinite else { throw outOfRange("DOUBLE") }
                return .double(value)
            }
            return try decimalLiteral(body, negative: negative, written: written, at: token)
        }
    }

    /// `digits[.digits][E[+-]digits]` as DECIMAL(p,s): s is the number of fraction digits (less
    /// the exponent, at least 0), p the number of digits of the unscaled value, at least s.
    private func decimalLiteral(_ text: String, negative: Bool, written: String, at token: SQLToken) throws(QueryError) -> ScalarValue {
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(of: "E") {
            mantissa = text[..<e]
            guard let value = Int(text[text.index(after: e)...]), abs(value) < 1000 else {
                throw syntaxError("numeric literal \(written) is outside the range of DECIMAL", at: token)
            }
            exponent = value
        }
        var digits = Substring(mantissa)
        var scale = 0
        if let dot = mantissa.firstIndex(of: ".") {
            digits = mantissa[..<dot] + mantissa[mantissa.index(after: dot)...]
            scale = mantissa.distance(from: mantissa.index(after: dot), to: mantissa.endIndex)
        }
        scale -= exponent
        var significant = digits.drop { $0 == "0" }
        if scale < 0 {
            if !significant.isEmpty { significant += String(repeating: "0", count: -scale) }
            scale = 0
        }
        let precision = max(significant.count, 1, scale)
        guard precision <= DecimalTyping.maxPrecision, let magnitude = Int128(significant.isEmpty ? "0" : String(significant)) else {
            throw syntaxError("numeric literal \(written) needs \(precision) digits; DECIMAL holds at most \(DecimalTyping.maxPrecision)", at: token)
        }
        return .decimal(negative ? -magnitude : magnitude, precision: precision, scale: scale)
    }

    /// `DATE '…'`, `TIMESTAMP '…'`, `TIMESTAMP_NTZ '…'` (TIMESTAMP is without time zone in Sparrow).
    func typedLiteral(_ keyword: SQLKeyword, _ text: String, at token: SQLToken) throws(QueryError) -> ScalarValue {
        switch keyword {
        case .date:
            guard let days = SQLDateTimeText.days(text) else {
                throw syntaxError("invalid DATE literal '\(Self.abbreviated(text))'; expected 'yyyy-mm-dd'", at: token)
            }
            return .date(days)
        case .timestampLTZ:
            throw unsupported("TIMESTAMP_LTZ literals", at: token)
        default:
            switch SQLDateTimeText.microseconds(text) {
            case .value(let microseconds):
                return .timestamp(microseconds: microseconds, utc: false)
            case .hasTimeZone:
                throw syntaxError("TIMESTAMP literal '\(Self.abbreviated(text))' has a time zone; Sparrow's TIMESTAMP has none", at: token)
            case .invalid:
                throw syntaxError("invalid TIMESTAMP literal '\(Self.abbreviated(text))'; expected 'yyyy-mm-dd[ hh:mm:ss[.ffffff]]'", at: token)
            }
        }
    }

    // MARK: Intervals

    /// Whether a value and a unit (`90 DAYS`, `'90' DAY`, `-1 YEAR`) start at token `position`.
    func isIntervalPart(at position: Int) -> Bool {
        var i = min(position, tokens.count - 1)
        if isSign(tokens[i]) { i = min(i + 1, tokens.count - 1) }
        switch tokens[i].kind {
        case .number, .string: return SQLInterval.Unit(tokens[min(i + 1, tokens.count - 1)]) != nil
        default: return false
        }
    }

    /// Whether what follows INTERVAL at `position` is its value: a string (which may hold the
    /// units too) or a number and a word (the unit, checked later). Otherwise `interval` is a
    /// name (`interval - 1`).
    func startsIntervalLiteral(at position: Int) -> Bool {
        var i = min(position, tokens.count - 1)
        if case .string = tokens[i].kind { return true }
        if isSign(tokens[i]) { i = min(i + 1, tokens.count - 1) }
        guard case .number = tokens[i].kind else { return false }
        let next = tokens[min(i + 1, tokens.count - 1)]
        guard case .word = next.kind else { return false }
        return !(next.keyword?.startsClause ?? false)
    }

    /// `INTERVAL value unit [value unit …]`, with values as numbers or strings (`INTERVAL '90' DAY`,
    /// `INTERVAL 1 YEAR 2 MONTHS`, `INTERVAL '1 year 2 months'`), and TPC-H's `DAY (3)` precision.
    mutating func parseInterval() throws(QueryError) -> ScalarValue {
        let intervalToken = advance()
        var interval = SQLInterval()
        repeat {
            let valueToken = current
            var negative = false
            if accept(SQLToken.Symbol.minus) {
                negative = true
            } else {
                _ = accept(.plus)
            }
            let value: String
            switch current.kind {
            case .number(let text): value = text
            case .string(let text): value = text
            default: throw unexpected("an interval value")
            }
            let literal = advance()
            if case .string(let text) = literal.kind, !negative, SQLInterval.Unit(current) == nil,
               text.contains(where: { $0.isLetter }) {
                // The units are inside the string: '1 year 2 months'.
                guard interval.isEmpty, interval.add(text: text) else {
                    throw syntaxError("invalid INTERVAL '\(Self.abbreviated(text))'; expected a number followed by a unit such as DAY", at: literal)
                }
                break
            }
            guard let unit = SQLInterval.Unit(current) else {
                throw unexpected("an interval unit (YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND or MICROSECOND)")
            }
            let unitToken = advance()
            if current.keyword == .to { throw unsupported("INTERVAL … TO … ranges", at: current) }
            guard interval.add(value, negative: negative, unit: unit) else {
                throw syntaxError("invalid interval value \(quoted(valueToken)) for \(nameText(unitToken).uppercased())", at: valueToken)
            }
            // TPC-H writes `interval '90' day (3)`: the precision of the leading field.
            if current.isSymbol(.leftParen), case .number = peek().kind, peek(2).isSymbol(.rightParen) {
                advance()
                advance()
                advance()
            }
        } while isIntervalPart(at: index)
        guard let value = interval.value else {
            throw syntaxError("the INTERVAL is too large", at: intervalToken)
        }
        return value
    }

    private func isSign(_ token: SQLToken) -> Bool { token.isSymbol(.minus) || token.isSymbol(.plus) }

    // MARK: Types

    /// A Spark type name (`INT`, `DECIMAL(15,2)`, `STRING`, `VARCHAR(25)`, `DATE`, `TIMESTAMP`…)
    /// as a Columnar type.
    mutating func parseDataType() throws(QueryError) -> DataType {
        let token = current
        guard case .word(let name) = token.kind else { throw unexpected("a type name") }
        advance()
        switch name.uppercased() {
        case "BOOLEAN": return .boolean
        case "TINYINT", "BYTE": return .int8
        case "SMALLINT", "SHORT": return .int16
        case "INT", "INTEGER": return .int32
        case "BIGINT", "LONG": return .int64
        case "FLOAT", "REAL": return .float32
        case "DOUBLE": return .float64
        case "DECIMAL", "DEC", "NUMERIC":
            guard accept(.leftParen) else { return .decimal(precision: 10, scale: 0) }
            let precisionToken = current
            let precision = try parseTypeParameter()
            guard (1...DecimalTyping.maxPrecision).contains(precision) else {
                throw syntaxError("DECIMAL precision \(precision) is outside 1…\(DecimalTyping.maxPrecision)", at: precisionToken)
            }
            var scale = 0
            if accept(.comma) {
                let scaleToken = current
                scale = try parseTypeParameter()
                guard scale <= precision else {
                    throw syntaxError("DECIMAL scale \(scale) is larger than its precision \(precision)", at: scaleToken)
                }
            }
            try expect(.rightParen, "')'")
            return .decimal(precision: precision, scale: scale)
        case "STRING", "TEXT": return .string
        case "VARCHAR", "CHAR", "CHARACTER":
            if accept(.leftParen) {
                let lengthToken = current
                guard try parseTypeParameter() > 0 else { throw syntaxError("\(name.uppercased()) length must be positive", at: lengthToken) }
                try expect(.rightParen, "')'")
            }
            return .string
        case "DATE": return .date32
        case "TIMESTAMP", "TIMESTAMP_NTZ": return .timestamp(.microseconds, isAdjustedToUTC: false)
        case "TIMESTAMP_LTZ": return .timestamp(.microseconds, isAdjustedToUTC: true)
        case "BINARY": return .binary
        case "ARRAY", "MAP", "STRUCT", "INTERVAL", "VOID", "VARIANT", "OBJECT":
            throw unsupported("the \(name.uppercased()) type", at: token)
        default:
            throw syntaxError("unknown type '\(name)'", at: token)
        }
    }

    /// A non-negative integer inside a type's parentheses.
    private mutating func parseTypeParameter() throws(QueryError) -> Int {
        guard case .number(let text) = current.kind, let value = Int(text), value <= 1_000_000_000 else {
            throw unexpected("an integer")
        }
        advance()
        return value
    }
}
