import Columnar

/// Makes an expression's operand types agree, the way Spark's type coercion rules do, by inserting
/// casts; after it, `ExpressionTyping` can type every node and execution can pick one kernel.
///
/// Rules (Spark 3.5, non-ANSI): integers widen to the wider integer; integers meet decimals as
/// decimals (a literal with exactly its own digits); anything meeting a double becomes double;
/// integer `/` is double division; a string compared with a number, date or timestamp is cast to
/// that type; a date meets a timestamp as a timestamp; the `NULL` literal takes its context's type.
public enum TypeCoercion {
    /// `expr` (its columns resolved against `schema`) with the casts its operators need.
    public static func coerce(_ expr: Expr, in schema: PlanSchema) throws -> Expr {
        let coerced = try expr.transformUp { try coerceNode($0, schema) }
        // Casts were added without looking at their operand's type; drop those that change nothing.
        return try coerced.transformUp { e in
            if case .cast(let inner, let type) = e, try ExpressionTyping.type(of: inner, in: schema) == type { return inner }
            return e
        }
    }

    static func coerceNode(_ expr: Expr, _ schema: PlanSchema) throws -> Expr {
        func type(_ e: Expr) throws -> DataType { try ExpressionTyping.type(of: e, in: schema) }
        switch expr {
        case .not(let e):
            return .not(try boolean(e, schema, "NOT"))
        case .negate(let e):
            let t = try type(e)
            if t == .string { return .negate(cast(e, .float64)) }
            if isUntypedNull(e) { return .negate(cast(e, .int32)) }
            guard t.isNumeric || t == .interval else { throw QueryError.type("cannot negate \(t.sqlName): \(e)") }
            return expr
        case .binary(let l, let op, let r):
            return try coerceBinary(l, op, r, schema)
        case .inList(let e, let list, let negated):
            let common = try comparisonType([e] + list, schema, "IN")
            return .inList(cast(e, common), list.map { cast($0, common) }, negated: negated)
        case .between(let e, let low, let high, let negated):
            let common = try comparisonType([e, low, high], schema, "BETWEEN")
            return .between(cast(e, common), low: cast(low, common), high: cast(high, common), negated: negated)
        case .like(let e, let pattern, let negated):
            return .like(try string(e, schema), pattern: try string(pattern, schema), negated: negated)
        case .caseWhen(let operand, let branches, let otherwise):
            var conditions: [Expr] = []
            if let operand {
                for branch in branches {
                    conditions.append(try coerceBinary(operand, .equal, branch.condition, schema))
                }
            } else {
                conditions = try branches.map { try boolean($0.condition, schema, "WHEN") }
            }
            let results = branches.map(\.result) + (otherwise.map { [$0] } ?? [])
            let common = try commonType(results, schema, "CASE")
            return .caseWhen(operand: nil,
                             branches: zip(conditions, branches).map { WhenThen($0, cast($1.result, common)) },
                             otherwise: otherwise.map { cast($0, common) })
        case .cast(let e, let target):
            if isUntypedNull(e) { return .literal(.null(target)) }
            let source = try type(e)
            guard Self.canCast(source, to: target) else {
                throw QueryError.type("cannot cast \(source.sqlName) to \(target.sqlName): \(e)")
            }
            return source == target ? e : expr
        case .function(let name, let arguments):
            let canonical = FunctionSignatures.canonicalName(name)
            guard FunctionSignatures.isKnown(canonical) else {
                throw QueryError.unresolved(kind: "function", name: name,
                                            candidates: NameSuggestions.closest(to: name, among: FunctionSignatures.names))
            }
            if canonical == "coalesce" || canonical == "nullif" {
                guard !arguments.isEmpty else { throw QueryError.type("\(canonical) needs at least one argument") }
                let common = try commonType(arguments, schema, canonical)
                return .function(name: canonical, arguments: arguments.map { cast($0, common) })
            }
            let types = try arguments.map { isUntypedNull($0) ? DataType.string : try type($0) }
            let parameters = try FunctionSignatures.parameterTypes(of: canonical, argumentTypes: types)
            return .function(name: canonical, arguments: zip(arguments, parameters).map { cast($0, $1) })
        case .aggregate(let function, let arguments, let distinct):
            guard let argument = arguments.first else { return expr }
            // count(a, b) and count(DISTINCT a, b) count rows (or distinct rows) of non-NULL arguments.
            if function == .count && arguments.count > 1 { return expr }
            guard arguments.count == 1 else { throw QueryError.type("\(function.rawValue) takes one argument, not \(arguments.count)") }
            if isUntypedNull(argument) { return .aggregate(function, arguments: [cast(argument, .int32)], distinct: distinct) }
            let t = try type(argument)
            if (function == .sum || function == .avg) && t == .string {
                return .aggregate(function, arguments: [cast(argument, .float64)], distinct: distinct)
            }
            if (function == .sum || function == .avg) && !t.isNumeric {
                throw QueryError.type("\(function.rawValue) needs a numeric argument, not \(t.sqlName): \(expr)")
            }
            return expr
        default:
            return expr
        }
    }

    static func coerceBinary(_ l: Expr, _ op: BinaryOperator, _ r: Expr, _ schema: PlanSchema) throws -> Expr {
        func type(_ e: Expr) throws -> DataType { try ExpressionTyping.type(of: e, in: schema) }
        switch op {
        case .and, .or:
            return .binary(try boolean(l, schema, op.rawValue), op, try boolean(r, schema, op.rawValue))
        case .concat:
            return .binary(try string(l, schema), op, try string(r, schema))
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .nullSafeEqual:
            let common = try comparisonType([l, r], schema, op.rawValue)
            return .binary(cast(l, common), op, cast(r, common))
        case .add, .subtract, .multiply, .divide, .modulo:
            let lt = isUntypedNull(l) ? nil : try type(l)
            let rt = isUntypedNull(r) ? nil : try type(r)
            // Date arithmetic: date ± interval stays; date ± integer is date_add/date_sub.
            if let lt, let rt, (op == .add || op == .subtract) {
                if (lt == .date32 || lt.isTimestamp) && rt == .interval { return .binary(l, op, r) }
                if lt == .interval && (rt == .date32 || rt.isTimestamp) && op == .add { return .binary(r, op, l) }
                if lt == .date32 && rt.isInteger {
                    return .function(name: op == .add ? "date_add" : "date_sub", arguments: [l, cast(r, .int32)])
                }
                if lt.isInteger && rt == .date32 && op == .add { return .function(name: "date_add", arguments: [r, cast(l, .int32)]) }
            }
            let numeric = { (t: DataType?) -> DataType? in
                guard let t else { return nil }
                if t == .string { return .float64 }
                guard t.isNumeric else { return nil }
                return t
            }
            let ln = numeric(lt), rn = numeric(rt)
            if (lt != nil && ln == nil) || (rt != nil && rn == nil) {
                throw QueryError.type("cannot apply '\(op.rawValue)' to \(lt?.sqlName ?? "NULL") and \(rt?.sqlName ?? "NULL"): (\(l) \(op.rawValue) \(r))")
            }
            var a = ln ?? rn ?? .int32, b = rn ?? ln ?? .int32
            if a.isFloatingPoint || b.isFloatingPoint {
                a = .float64; b = .float64
            } else if a.isDecimal || b.isDecimal {
                if a.isInteger { a = decimalForInteger(l, a) }
                if b.isInteger { b = decimalForInteger(r, b) }
            } else if op == .divide {
                a = .float64; b = .float64
            } else {
                a = widerInteger(a, b); b = a
            }
            return .binary(cast(l, a), op, cast(r, b))
        }
    }

    // MARK: Common types

    /// The type both sides of a comparison (or IN/BETWEEN) are cast to.
    static func comparisonType(_ exprs: [Expr], _ schema: PlanSchema, _ context: String) throws -> DataType {
        let typed = try exprs.filter { !isUntypedNull($0) }.map { ($0, try ExpressionTyping.type(of: $0, in: schema)) }
        guard var result = typed.first?.1 else { return .boolean }
        let nonString = typed.first { $0.1 != .string }?.1
        // A string meeting another type is read as that type (Spark's PromoteStrings for comparisons).
        if let nonString, result == .string { result = nonString }
        for (e, t) in typed.dropFirst() {
            let other = (t == .string && nonString != nil) ? result : t
            guard let wider = widerType(result, other, literal: e) else {
                throw QueryError.type("cannot compare \(result.sqlName) with \(t.sqlName) in \(context): \(e)")
            }
            result = wider
        }
        // Integer literals that met a decimal column take their exact digits, not DECIMAL(10,0).
        return result
    }

    /// The type CASE results, coalesce arguments and UNION columns are cast to.
    static func commonType(_ exprs: [Expr], _ schema: PlanSchema, _ context: String) throws -> DataType {
        let typed = try exprs.filter { !isUntypedNull($0) }.map { ($0, try ExpressionTyping.type(of: $0, in: schema)) }
        guard var result = typed.first?.1 else { return .int32 }
        for (e, t) in typed.dropFirst() {
            if let wider = widerType(result, t, literal: e) {
                result = wider
            } else if result == .string || t == .string {
                result = .string
            } else {
                throw QueryError.type("\(context) mixes \(result.sqlName) and \(t.sqlName): \(e)")
            }
        }
        return result
    }

    /// The common type of two types, or nil when they have none.
    public static func widerType(_ a: DataType, _ b: DataType, literal: Expr? = nil) -> DataType? {
        if a == b { return a }
        switch (a, b) {
        case _ where a.isInteger && b.isInteger: return widerInteger(a, b)
        case _ where a.isNumeric && b.isFloatingPoint, _ where a.isFloatingPoint && b.isNumeric: return .float64
        case (.decimal, .decimal): return DecimalTyping.wider(a, b)
        case _ where a.isDecimal && b.isInteger:
            return DecimalTyping.wider(a, literal.map { decimalForInteger($0, b) } ?? DecimalTyping.forInteger(b)!)
        case _ where a.isInteger && b.isDecimal: return DecimalTyping.wider(DecimalTyping.forInteger(a)!, b)
        case (.date32, .timestamp), (.timestamp, .date32):
            return a == .date32 ? b : a
        case (.timestamp(let u1, let z1), .timestamp(let u2, let z2)):
            return .timestamp(u1.perSecond >= u2.perSecond ? u1 : u2, isAdjustedToUTC: z1 && z2)
        case (.string, .json), (.json, .string), (.string, .enumeration), (.enumeration, .string): return .string
        default: return nil
        }
    }

    static func widerInteger(_ a: DataType, _ b: DataType) -> DataType {
        func rank(_ t: DataType) -> Int {
            switch t {
            case .int8: 1
            case .uint8, .int16: 2
            case .uint16, .int32: 3
            case .uint32, .int64: 4
            default: 5
            }
        }
        let r = max(rank(a), rank(b), 3)
        return r == 3 ? .int32 : r == 4 ? .int64 : .decimal(precision: 20, scale: 0)
    }

    /// The decimal an integer operand becomes: a literal keeps exactly its digits (Spark's
    /// DecimalType.fromLiteral), a column its type's full width.
    static func decimalForInteger(_ e: Expr, _ type: DataType) -> DataType {
        if case .literal(let value) = e, case .int(let v) = value.payload {
            return .decimal(precision: max(1, String(v.magnitude).count), scale: 0)
        }
        return DecimalTyping.forInteger(type) ?? .decimal(precision: 20, scale: 0)
    }

    // MARK: Casts

    static func boolean(_ e: Expr, _ schema: PlanSchema, _ context: String) throws -> Expr {
        if isUntypedNull(e) { return .literal(.null(.boolean)) }
        let t = try ExpressionTyping.type(of: e, in: schema)
        guard t == .boolean else { throw QueryError.type("\(context) needs a BOOLEAN, not \(t.sqlName): \(e)") }
        return e
    }

    static func string(_ e: Expr, _ schema: PlanSchema) throws -> Expr {
        if isUntypedNull(e) { return .literal(.null(.string)) }
        let t = try ExpressionTyping.type(of: e, in: schema)
        return t == .string ? e : cast(e, .string)
    }

    /// `e` cast to `type`, unless it already has it; a NULL literal just takes the type.
    static func cast(_ e: Expr, _ type: DataType) -> Expr {
        if isUntypedNull(e) { return .literal(.null(type)) }
        if case .literal(let value) = e, value.type == type { return e }
        if case .cast(_, let existing) = e, existing == type { return e }
        return .cast(e, type)
    }

    static func isUntypedNull(_ e: Expr) -> Bool {
        if case .literal(let value) = e { return value.isUntypedNull }
        return false
    }

    /// Whether CAST supports converting `source` to `target`.
    public static func canCast(_ source: DataType, to target: DataType) -> Bool {
        if source == target { return true }
        let scalar = { (t: DataType) in t.isNumeric || t == .boolean || t.isText || t == .date32 || t.isTimestamp }
        switch (source, target) {
        case _ where source.isNested || target.isNested: return false
        case (.binary, .string), (.string, .binary): return true
        case _ where source.isText || target == .string: return scalar(source)
        case _ where source.isNumeric || source == .boolean: return target.isNumeric || target == .boolean
        case (.date32, .timestamp), (.timestamp, .date32), (.timestamp, .timestamp): return true
        default: return false
        }
    }
}
