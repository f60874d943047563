import Columnar
import Query

/// One aggregate of a hash aggregation: the function, its argument type (nil for `count(*)`)
/// and its result type (Spark's, see `ExpressionTyping.aggregateResultType`).
public struct AggregateSpec: Hashable, Sendable {
    public var function: AggregateFunction
    public var distinct: Bool
    public var argumentType: DataType?
    public var resultType: DataType
    /// The SQL text, for output column names and error messages (`sum(l_quantity)`).
    public var name: String

    public init(function: AggregateFunction, distinct: Bool = false, argumentType: DataType?, resultType: DataType,
                name: String? = nil) {
        self.function = function
        self.distinct = distinct
        self.argumentType = argumentType
        self.resultType = resultType
        self.name = name ?? "\(function.rawValue)(\(distinct ? "DISTINCT " : "")\(argumentType?.sqlName ?? "*"))"
    }

    /// An aggregate with the result type Spark gives it; throws `QueryError` for an argument
    /// type the function does not take.
    public init(function: AggregateFunction, distinct: Bool = false, argumentType: DataType?, name: String? = nil) throws {
        let resultType = try argumentType.map { try ExpressionTyping.aggregateResultType(function, $0) } ?? .int64
        self.init(function: function, distinct: distinct, argumentType: argumentType, resultType: resultType, name: name)
    }

    /// The columns of this aggregate's partial state, what `.partial` mode outputs and `.final`
    /// mode takes as arguments:
    /// - count: (BIGINT count)
    /// - sum of integers: (BIGINT sum, NULL when no value); of floating point: (DOUBLE sum, NULL when no value)
    /// - sum and avg of DECIMAL(p, s): (DECIMAL(min(38, p + 10), s) sum, NULL after an overflow; BIGINT count)
    /// - avg of integers or floating point: (DOUBLE sum, BIGINT count)
    /// - min, max: (the argument type, NULL when no value)
    ///
    /// DISTINCT aggregates have no partial state (they run in `.complete` mode only); the
    /// answer for them is that of the aggregate without DISTINCT.
    public var partialStateTypes: [DataType] {
        guard let argumentType else { return [.int64] }
        switch function {
        case .count: return [.int64]
        case .min, .max: return [argumentType]
        case .sum, .avg:
            if case .decimal(let p, let s) = argumentType { return [.decimal(precision: min(38, p + 10), scale: s), .int64] }
            if function == .avg { return [.float64, .int64] }
            return [argumentType.isInteger ? .int64 : .float64]
        }
    }

    /// Whether the result can be NULL: only counts cannot.
    var resultIsNullable: Bool { function != .count }

    /// Whether each partial-state column can be NULL: counts and average sums of DOUBLE cannot.
    var partialStateNullability: [Bool] {
        let types = partialStateTypes
        if function == .count { return [false] }
        if types.count == 2 { return [types[0] != .float64, false] }
        return [true]
    }
}
