import Columnar
import Query

/// Compiles an analyzed `Expr` into a tree of kernels, one node per expression node.
struct ExpressionCompiler {
    let schema: PlanSchema

    func compile(_ expr: Expr) throws -> Kernel {
        switch expr {
        case .column(let reference):
            let index = try schema.index(of: reference)
            let type = schema.columns[index].type
            return Kernel(type: type) { batch in
                guard index < batch.columns.count, batch.columns[index].type.layout == type.layout else {
                    throw ExecutionError.unsupported("the batch does not hold column \(reference) of type \(type) at position \(index)")
                }
                return Datum(column: batch.columns[index])
            }
        case .literal(let value):
            return Kernel(constant: Datum(scalar: try LiteralColumns.column(value)))
        case .alias(let e, _), .hidden(let e, _, _, _):
            return try compile(e)
        case .not(let e):
            return LogicalKernels.not(try boolean(e))
        case .negate(let e):
            return try ArithmeticKernels.negate(try compile(e), text: expr.description)
        case .isNull(let e):
            return LogicalKernels.isNull(try compile(e), negated: false)
        case .isNotNull(let e):
            return LogicalKernels.isNull(try compile(e), negated: true)
        case .binary(let l, let op, let r):
            return try binary(l, op, r, text: expr.description)
        case .inList(let e, let list, let negated):
            let kernel = try InListKernels.compile(try compile(e), try list.map(compile))
            return negated ? LogicalKernels.not(kernel) : kernel
        case .between(let e, let low, let high, let negated):
            let kernel = try ComparisonKernels.between(try compile(e), try compile(low), try compile(high))
            return negated ? LogicalKernels.not(kernel) : kernel
        case .like(let e, let pattern, let negated):
            let kernel = try LikeKernels.compile(try compile(e), pattern: try compile(pattern), text: expr.description)
            return negated ? LogicalKernels.not(kernel) : kernel
        case .caseWhen(let operand, let branches, let otherwise):
            let key = try operand.map(compile)
            let compiled = try branches.map { branch -> (Kernel, Kernel) in
                var condition = try compile(branch.condition)
                if let key { condition = try ComparisonKernels.compile(.equal, key, condition) }
                return (condition, try compile(branch.result))
            }
            return try ConditionalKernels.caseWhen(compiled, otherwise: try otherwise.map(compile))
        case .cast(let e, let type):
            return try CastKernels.compile(try compile(e), to: type, text: expr.description)
        case .function(let name, let arguments):
            return try FunctionKernels.compile(name, try arguments.map(compile), text: expr.description)
        case .aggregate:
            throw ExecutionError.unsupported("aggregate \(expr) in a scalar expression")
        case .star:
            throw QueryError.invalid("'*' is only allowed in a select list or count(*)")
        case .subquery(let predicate):
            throw ExecutionError.unsupported("\(predicate) outside a WHERE condition's top-level AND")
        case .scalarSubquery:
            throw ExecutionError.unsupported("a scalar subquery the analyzer did not join")
        }
    }

    private func boolean(_ expr: Expr) throws -> Kernel {
        let kernel = try compile(expr)
        guard kernel.type == .boolean else { throw QueryError.type("\(expr) is \(kernel.type.sqlName), not BOOLEAN") }
        return kernel
    }

    private func binary(_ l: Expr, _ op: BinaryOperator, _ r: Expr, text: String) throws -> Kernel {
        switch op {
        case .and: return LogicalKernels.and(try boolean(l), try boolean(r))
        case .or: return LogicalKernels.or(try boolean(l), try boolean(r))
        case .concat: return try StringKernels.concat([try compile(l), try compile(r)])
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .nullSafeEqual:
            return try ComparisonKernels.compile(op, try compile(l), try compile(r))
        case .add, .subtract, .multiply, .divide, .modulo:
            if case .literal(let value) = r, case .interval(let months, let days, let microseconds) = value.payload {
                let left = try compile(l)
                let sign: Int64 = op == .subtract ? -1 : 1
                guard op == .add || op == .subtract else { throw QueryError.type("cannot apply '\(op.rawValue)' to an interval") }
                return try DateTimeKernels.addInterval(left, months: Int64(months) * sign, days: Int64(days) * sign,
                                                       microseconds: microseconds.multipliedReportingOverflow(by: sign).partialValue,
                                                       text: text)
            }
            let left = try compile(l), right = try compile(r)
            let type = try ExpressionTyping.arithmeticResultType(op, left.type, right.type)
            if type.isDecimal { return try DecimalKernels.compile(op, left, right, type: type) }
            return try ArithmeticKernels.compile(op, left, right, type: type, text: text)
        }
    }
}
