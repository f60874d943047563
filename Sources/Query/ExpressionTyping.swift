import Columnar

/// The type and nullability of an analyzed expression.
///
/// It expects what `TypeCoercion` produces: operands of a comparison, of `IN`, `BETWEEN`, `CASE`
/// results and `coalesce` arguments share one type, arithmetic operands are both integers of one
/// width, both doubles or both decimals. Execution relies on the same rules to pick its kernels.
public enum ExpressionTyping {
    /// The output column `expr` produces over `schema`: named by `Expr.outputName`.
    public static func column(for expr: Expr, in schema: PlanSchema) throws -> PlanColumn {
        if case .column(let reference) = expr {
            // A hidden column selected by name is part of the result.
            var column = try schema.column(reference)
            column.isHidden = false
            return column
        }
        if case .hidden(let e, let name, let qualifier, let visibleName) = expr {
            let (type, nullable) = try typeAndNullability(of: e, in: schema)
            return PlanColumn(qualifier: qualifier, name: name, type: type, isNullable: nullable,
                              sourceName: visibleName == name ? nil : visibleName, isHidden: true)
        }
        let (type, nullable) = try typeAndNullability(of: expr, in: schema)
        return PlanColumn(name: expr.outputName, type: type, isNullable: nullable)
    }

    public static func type(of expr: Expr, in schema: PlanSchema) throws -> DataType {
        try typeAndNullability(of: expr, in: schema).type
    }

    public static func typeAndNullability(of expr: Expr, in schema: PlanSchema) throws -> (type: DataType, nullable: Bool) {
        switch expr {
        case .column(let reference):
            let column = try schema.column(reference)
            return (column.type, column.isNullable)
        case .literal(let value):
            return (value.type, value.isNull)
        case .not(let e):
            return (.boolean, try nullable(e, schema))
        case .negate(let e), .alias(let e, _), .hidden(let e, _, _, _):
            return try typeAndNullability(of: e, in: schema)
        case .isNull, .isNotNull:
            return (.boolean, false)
        case .subquery:
            // Only ever typed before the analyzer makes it a join: an IN may be NULL.
            return (.boolean, true)
        case .scalarSubquery:
            throw QueryError.invalid("a scalar subquery has no type before the analyzer joins it")
        case .binary(let l, let op, let r):
            let (lt, ln) = try typeAndNullability(of: l, in: schema)
            let (rt, rn) = try typeAndNullability(of: r, in: schema)
            switch op {
            case .nullSafeEqual: return (.boolean, false)
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .and, .or:
                return (.boolean, ln || rn)
            case .concat: return (.string, ln || rn)
            case .add, .subtract, .multiply, .divide, .modulo:
                let type = try arithmeticResultType(op, lt, rt)
                // Division by zero is NULL, and so is a DECIMAL result that does not fit (non-ANSI).
                return (type, ln || rn || op == .divide || op == .modulo || type.isDecimal)
            }
        case .inList(let e, let list, _):
            return (.boolean, try nullable(e, schema) || list.contains { (try? nullable($0, schema)) ?? true })
        case .between(let e, let low, let high, _):
            return (.boolean, try [e, low, high].contains { try nullable($0, schema) })
        case .like(let e, let pattern, _):
            return (.boolean, try nullable(e, schema) || nullable(pattern, schema))
        case .caseWhen(_, let branches, let otherwise):
            let results = branches.map(\.result) + (otherwise.map { [$0] } ?? [])
            let type = try typeAndNullability(of: results[0], in: schema).type
            let anyNullable = try otherwise == nil || results.contains { try nullable($0, schema) }
            return (type, anyNullable)
        case .cast(let e, let type):
            // A cast that can fail (a string that is no number, a value too wide for a DECIMAL)
            // gives NULL.
            return (type, try nullable(e, schema) || (try Self.type(of: e, in: schema)) == .string || type.isDecimal)
        case .function(let name, let arguments):
            let types = try arguments.map { try typeAndNullability(of: $0, in: schema) }
            let returnType = try FunctionSignatures.returnType(of: name, arguments: arguments, argumentTypes: types.map(\.type))
            let nullable = name == "coalesce" ? types.allSatisfy(\.nullable) : true
            return (returnType, nullable)
        case .aggregate(let function, let arguments, _):
            guard let argument = arguments.first else { return (.int64, false) }
            let argumentType = try type(of: argument, in: schema)
            return (try aggregateResultType(function, argumentType), function != .count)
        case .star:
            throw QueryError.invalid("'*' is only allowed in a select list or count(*)")
        }
    }

    static func nullable(_ expr: Expr, _ schema: PlanSchema) throws -> Bool {
        try typeAndNullability(of: expr, in: schema).nullable
    }

    /// The result type of arithmetic on already coerced operand types (Spark's rules).
    public static func arithmeticResultType(_ op: BinaryOperator, _ left: DataType, _ right: DataType) throws -> DataType {
        switch (left, right) {
        case (.decimal(let p1, let s1), .decimal(let p2, let s2)):
            return DecimalTyping.arithmetic(op, p1, s1, p2, s2)
        case (.date32, .interval) where op == .add || op == .subtract:
            return .date32
        case (.timestamp(let unit, let utc), .interval) where op == .add || op == .subtract:
            return .timestamp(unit, isAdjustedToUTC: utc)
        case _ where left == right && (left.isInteger || left == .float64 || left == .float32):
            return left
        default:
            throw QueryError.type("cannot apply '\(op.rawValue)' to \(left.sqlName) and \(right.sqlName)")
        }
    }

    /// What an aggregate returns for an argument of `type` (Spark's rules).
    public static func aggregateResultType(_ function: AggregateFunction, _ type: DataType) throws -> DataType {
        switch function {
        case .count: return .int64
        case .min, .max: return type
        case .sum:
            if type.isInteger { return .int64 }
            if type.isFloatingPoint { return .float64 }
            if case .decimal(let p, let s) = type { return .decimal(precision: Swift.min(38, p + 10), scale: s) }
        case .avg:
            if type.isInteger || type.isFloatingPoint { return .float64 }
            if case .decimal(let p, let s) = type {
                return .decimal(precision: Swift.min(38, p + 4), scale: Swift.min(38, s + 4))
            }
        }
        throw QueryError.type("\(function.rawValue) needs a numeric argument, not \(type.sqlName)")
    }
}

/// Spark's decimal precision and scale rules (DecimalPrecision, with precision loss allowed).
public enum DecimalTyping {
    public static let maxPrecision = 38
    /// The fewest fraction digits Spark keeps when a result would need more than 38 digits.
    static let minimumAdjustedScale = 6

    public static func arithmetic(_ op: BinaryOperator, _ p1: Int, _ s1: Int, _ p2: Int, _ s2: Int) -> DataType {
        switch op {
        case .add, .subtract:
            let scale = max(s1, s2)
            return bounded(max(p1 - s1, p2 - s2) + scale + 1, scale)
        case .multiply:
            return bounded(p1 + p2 + 1, s1 + s2)
        case .divide:
            let scale = max(minimumAdjustedScale, s1 + p2 + 1)
            return bounded(p1 - s1 + s2 + scale, scale)
        default:
            let scale = max(s1, s2)
            return bounded(min(p1 - s1, p2 - s2) + scale, scale)
        }
    }

    /// Fits a result into 38 digits, giving up fraction digits first but keeping at least 6.
    static func bounded(_ precision: Int, _ scale: Int) -> DataType {
        if precision <= maxPrecision { return .decimal(precision: precision, scale: scale) }
        let integerDigits = precision - scale
        let adjustedScale = max(maxPrecision - integerDigits, min(scale, minimumAdjustedScale))
        return .decimal(precision: maxPrecision, scale: adjustedScale)
    }

    /// The decimal type an integer type widens to (Spark: INT is DECIMAL(10,0), BIGINT DECIMAL(20,0)).
    public static func forInteger(_ type: DataType) -> DataType? {
        switch type {
        case .int8, .uint8: .decimal(precision: 3, scale: 0)
        case .int16, .uint16: .decimal(precision: 5, scale: 0)
        case .int32, .uint32: .decimal(precision: 10, scale: 0)
        case .int64: .decimal(precision: 20, scale: 0)
        case .uint64: .decimal(precision: 20, scale: 0)
        default: nil
        }
    }

    /// The smallest decimal that holds both.
    public static func wider(_ a: DataType, _ b: DataType) -> DataType? {
        guard case .decimal(let p1, let s1) = a, case .decimal(let p2, let s2) = b else { return nil }
        let scale = max(s1, s2)
        return bounded(max(p1 - s1, p2 - s2) + scale, scale)
    }
}
