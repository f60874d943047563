import Columnar
import Query

/// The scalar functions of `FunctionSignatures`, by name; arguments arrive already cast to the
/// function's parameter types.
enum FunctionKernels {
    static func compile(_ name: String, _ arguments: [Kernel], text: String) throws -> Kernel {
        let function = FunctionSignatures.canonicalName(name)
        func arity(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(arguments.count) else {
                throw QueryError.type("\(function) takes \(counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)") arguments, not \(arguments.count)")
            }
        }
        switch function {
        case "year", "month", "day", "quarter":
            try arity(1...1)
            return try DateTimeKernels.part(function, arguments[0])
        case "date_trunc":
            try arity(2...2)
            return try DateTimeKernels.dateTrunc(unit: arguments[0], arguments[1], text: text)
        case "trunc":
            try arity(2...2)
            return try DateTimeKernels.trunc(arguments[0], format: arguments[1], text: text)
        case "date_add", "date_sub":
            try arity(2...2)
            return try DateTimeKernels.dateAdd(arguments[0], arguments[1], subtract: function == "date_sub", text: text)
        case "datediff":
            try arity(2...2)
            return try DateTimeKernels.dateDiff(arguments[0], arguments[1], text: text)
        case "lower", "upper":
            try arity(1...1)
            return try StringKernels.changeCase(arguments[0], upper: function == "upper")
        case "trim", "ltrim", "rtrim":
            try arity(1...2)
            return try StringKernels.trim(arguments[0], characters: arguments.count == 2 ? arguments[1] : nil,
                                          leading: function != "rtrim", trailing: function != "ltrim")
        case "substring":
            try arity(2...3)
            return try StringKernels.substring(arguments[0], position: arguments[1], length: arguments.count == 3 ? arguments[2] : nil)
        case "length":
            try arity(1...1)
            return try StringKernels.length(arguments[0])
        case "concat":
            return try StringKernels.concat(arguments)
        case "abs":
            try arity(1...1)
            return try MathKernels.abs(arguments[0], text: text)
        case "round":
            try arity(1...2)
            return try MathKernels.round(arguments[0], digits: arguments.count == 2 ? arguments[1] : nil, text: text)
        case "floor", "ceil":
            try arity(1...1)
            return try MathKernels.floorOrCeil(arguments[0], ceil: function == "ceil")
        case "coalesce":
            return try ConditionalKernels.coalesce(arguments)
        case "nullif":
            try arity(2...2)
            return try ConditionalKernels.nullIf(arguments[0], arguments[1])
        default:
            throw QueryError.unresolved(kind: "function", name: name,
                                        candidates: NameSuggestions.closest(to: name, among: FunctionSignatures.names))
        }
    }

    /// The constant integer value of an argument, if it is a non-NULL constant.
    static func constantInteger(_ kernel: Kernel) -> Int64? {
        guard let column = kernel.constantColumn, column.nullCount == 0 else { return nil }
        switch kernel.type {
        case .int8: return Int64(column.values(Int8.self)[0])
        case .int16: return Int64(column.values(Int16.self)[0])
        case .int32: return Int64(column.values(Int32.self)[0])
        case .int64: return column.values(Int64.self)[0]
        default: return nil
        }
    }

    /// The constant string value of an argument, if it is a non-NULL constant string.
    static func constantString(_ kernel: Kernel) -> String? {
        guard let column = kernel.constantColumn, column.nullCount == 0, kernel.type.layout == .variableWidth else { return nil }
        return column.stringValue(at: 0)
    }
}
