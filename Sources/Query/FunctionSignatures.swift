import Columnar

/// The scalar functions SQL and the DataFrame API can call: their argument counts and types and
/// what they return. `TypeCoercion` casts arguments to `parameterTypes`; execution implements each.
public enum FunctionSignatures {
    /// Every scalar function name, lower case.
    public static let names: [String] = [
        "year", "month", "day", "dayofmonth", "quarter", "date_trunc", "trunc", "date_add", "date_sub", "datediff",
        "lower", "upper", "substring", "substr", "length", "char_length", "character_length", "concat",
        "trim", "ltrim", "rtrim", "abs", "round", "floor", "ceil", "ceiling", "coalesce", "nullif",
    ]

    /// The canonical name of `name` (aliases such as `substr` and `ceiling` map to one function).
    public static func canonicalName(_ name: String) -> String {
        switch name.lowercased() {
        case "dayofmonth": "day"
        case "substr": "substring"
        case "char_length", "character_length": "length"
        case "ceiling": "ceil"
        default: name.lowercased()
        }
    }

    public static func isKnown(_ name: String) -> Bool { names.contains(name.lowercased()) }

    /// The types arguments are cast to before the call, given the types written; throws when the
    /// function does not take them. (`coalesce`'s common type is found by `TypeCoercion`.)
    public static func parameterTypes(of name: String, argumentTypes types: [DataType]) throws -> [DataType] {
        let function = canonicalName(name)
        func arity(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(types.count) else {
                let expected = counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)"
                throw QueryError.type("\(function) takes \(expected) argument\(counts.upperBound == 1 ? "" : "s"), not \(types.count)")
            }
        }
        func mismatch(_ expected: String) -> QueryError {
            QueryError.type("\(function) expects \(expected), not (\(types.map(\.sqlName).joined(separator: ", ")))")
        }
        func dateLike(_ type: DataType) -> DataType? {
            switch type {
            case .date32, .timestamp: type
            case .string: .date32
            default: nil
            }
        }
        switch function {
        case "year", "month", "day", "quarter":
            try arity(1...1)
            guard let t = dateLike(types[0]) else { throw mismatch("a DATE or TIMESTAMP") }
            return [t]
        case "date_trunc":
            try arity(2...2)
            guard types[0] == .string, let t = dateLike(types[1]) else { throw mismatch("(STRING, TIMESTAMP)") }
            return [.string, t.isTimestamp ? t : .timestamp(.microseconds, isAdjustedToUTC: false)]
        case "trunc":
            try arity(2...2)
            guard types[1] == .string, dateLike(types[0]) != nil else { throw mismatch("(DATE, STRING)") }
            return [.date32, .string]
        case "date_add", "date_sub":
            try arity(2...2)
            guard dateLike(types[0]) != nil, types[1].isInteger else { throw mismatch("(DATE, INT)") }
            return [.date32, .int32]
        case "datediff":
            try arity(2...2)
            guard dateLike(types[0]) != nil, dateLike(types[1]) != nil else { throw mismatch("(DATE, DATE)") }
            return [.date32, .date32]
        case "lower", "upper", "length", "trim", "ltrim", "rtrim":
            try arity(1...1)
            return [.string]
        case "substring":
            try arity(2...3)
            guard types.dropFirst().allSatisfy(\.isInteger) else { throw mismatch("(STRING, INT[, INT])") }
            return [.string] + Array(repeating: .int32, count: types.count - 1)
        case "concat":
            return Array(repeating: .string, count: types.count)
        case "abs":
            try arity(1...1)
            guard types[0].isNumeric || types[0] == .string else { throw mismatch("a number") }
            return [types[0] == .string ? .float64 : types[0]]
        case "round":
            try arity(1...2)
            guard types[0].isNumeric || types[0] == .string, types.dropFirst().allSatisfy(\.isInteger) else {
                throw mismatch("(number[, INT])")
            }
            return [types[0] == .string ? .float64 : types[0]] + (types.count == 2 ? [.int32] : [])
        case "floor", "ceil":
            try arity(1...1)
            guard types[0].isNumeric || types[0] == .string else { throw mismatch("a number") }
            return [types[0] == .string ? .float64 : (types[0].isDecimal ? types[0] : (types[0].isInteger ? .int64 : .float64))]
        case "coalesce":
            guard !types.isEmpty else { throw QueryError.type("coalesce needs at least one argument") }
            return types
        case "nullif":
            try arity(2...2)
            return types
        default:
            throw QueryError.unresolved(kind: "function", name: name, candidates: NameSuggestions.closest(to: name, among: names))
        }
    }

    /// What `name` returns for `arguments` (already cast to its parameter types) of `types`.
    public static func returnType(of name: String, arguments: [Expr], argumentTypes types: [DataType]) throws -> DataType {
        let function = canonicalName(name)
        let parameters = try parameterTypes(of: function, argumentTypes: types)
        switch function {
        case "year", "month", "day", "quarter", "datediff", "length": return .int32
        case "date_trunc": return .timestamp(.microseconds, isAdjustedToUTC: parameters[1].isUTCTimestamp)
        case "trunc", "date_add", "date_sub": return .date32
        case "lower", "upper", "substring", "concat", "trim", "ltrim", "rtrim": return .string
        case "abs", "coalesce", "nullif": return parameters[0]
        case "round":
            guard case .decimal(let p, let s) = parameters[0] else { return parameters[0] }
            // Spark requires the digits to be a constant; the result keeps at most that many.
            var digits = 0
            if types.count == 2 {
                guard case .literal(let value) = arguments[1], case .int(let d) = value.payload else {
                    throw QueryError.type("round's second argument must be an integer constant")
                }
                digits = Int(clamping: d)
            }
            let scale = min(max(digits, 0), s)
            return DecimalTyping.bounded(p - s + scale + 1, scale)
        case "floor", "ceil":
            guard case .decimal(let p, let s) = parameters[0] else { return .int64 }
            return DecimalTyping.bounded(p - s + 1, 0)
        default:
            throw QueryError.unresolved(kind: "function", name: name, candidates: [])
        }
    }
}

extension DataType {
    var isTimestamp: Bool {
        if case .timestamp = self { return true }
        return false
    }

    var isUTCTimestamp: Bool {
        if case .timestamp(_, let utc) = self { return utc }
        return false
    }
}
