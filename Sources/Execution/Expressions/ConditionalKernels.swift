import Columnar

/// `CASE WHEN`, `coalesce` and `nullif`: operands evaluated for the rows that need them, then
/// merged with one typed blend per operand (`ColumnSelect`).
enum ConditionalKernels {
    /// `CASE WHEN c1 THEN r1 … [ELSE e] END` (searched form). A condition is evaluated for the
    /// rows no earlier branch took, a result for the rows its condition took; rows no branch
    /// takes and no ELSE covers are NULL.
    static func caseWhen(_ branches: [(condition: Kernel, result: Kernel)], otherwise: Kernel?) throws -> Kernel {
        guard let type = branches.first?.result.type else { throw ExecutionError.unsupported("CASE without WHEN") }
        for branch in branches {
            guard branch.condition.type == .boolean else { throw ExecutionError.unsupported("CASE condition of type \(branch.condition.type)") }
        }
        let results = branches.map(\.result) + (otherwise.map { [$0] } ?? [])
        guard results.allSatisfy({ $0.type == type || $0.isNullConstant }) else {
            throw ExecutionError.unsupported("CASE results of different types: \(results.map(\.type))")
        }
        let inputs = branches.flatMap { [$0.condition, $0.result] } + (otherwise.map { [$0] } ?? [])
        return Kernel(type: type) { batch in
            let count = batch.rowCount
            var remaining = BitWords.filled(true, count: count)
            var remainingCount = count
            var taken: [(mask: Buffer, value: Datum)] = []
            for branch in branches where remainingCount > 0 {
                let condition = try branch.condition.run(batch, onRowsIn: remaining)
                let conditionTrue = BitWords.trueMask(condition.broadcast(count))
                let ra = WordReader(remaining, count: count), rc = WordReader(conditionTrue, count: count)
                let take = BitWords.makeWords(count: count) { ra[$0] & rc[$0] }
                remaining = BitWords.makeWords(count: count) { ra[$0] & ~rc[$0] }
                let takeCount = BitWords.popCount(take, count: count)
                remainingCount -= takeCount
                if takeCount > 0 { taken.append((take, try branch.result.run(batch, onRowsIn: take))) }
            }
            if remainingCount > 0, let otherwise {
                taken.append((remaining, try otherwise.run(batch, onRowsIn: remaining)))
                remainingCount = 0
            }
            // One operand for every row: its values as they are.
            if remainingCount == 0, taken.count == 1, taken[0].value.column.type == type {
                return Datum(column: taken[0].value.broadcast(count))
            }
            var result = Column.nulls(type, count: count)
            for (mask, value) in taken.reversed() {
                result = ColumnSelect.select(mask, value.expanded(count).retyped(type), result)
            }
            return Datum(column: result)
        }.folded(inputs: inputs)
    }

    /// The first non-NULL argument; later arguments are evaluated only for rows still NULL.
    static func coalesce(_ arguments: [Kernel]) throws -> Kernel {
        guard let type = arguments.first(where: { !$0.isNullConstant })?.type ?? arguments.first?.type else {
            throw ExecutionError.unsupported("coalesce without arguments")
        }
        guard arguments.allSatisfy({ $0.type == type || $0.isNullConstant }) else {
            throw ExecutionError.unsupported("coalesce of different types: \(arguments.map(\.type))")
        }
        return Kernel(type: type) { batch in
            var current = try arguments[0].run(batch)
            for next in arguments.dropFirst() {
                if current.hasNoNulls { break }
                if current.isNullScalar {
                    current = try next.run(batch)
                    continue
                }
                let count = current.column.count
                let valid = current.column.validity!
                let reader = WordReader(valid, count: count)
                let missing = BitWords.makeWords(count: count) { ~reader[$0] }
                let value = try next.run(batch, onRowsIn: missing)
                current = Datum(column: ColumnSelect.select(valid, current.column.materialized(), value.expanded(count).retyped(type)))
            }
            return current.column.type == type ? current : Datum(scalar: .nulls(type, count: 1))
        }.folded(inputs: arguments)
    }

    /// `nullif(a, b)`: NULL where `a = b`, otherwise `a`.
    static func nullIf(_ a: Kernel, _ b: Kernel) throws -> Kernel {
        let equal = try ComparisonKernels.valueComparison(ComparisonKernels.Plan(.equal), type: a.type)
        return Kernel(type: a.type) { batch in
            let x = try a.run(batch), y = try b.run(batch)
            let same = ComparisonKernels.comparison(x, y, rowCount: batch.rowCount, equal)
            let shape = RowShape(x, y, rowCount: batch.rowCount)
            let value = x.isScalar && !shape.isScalar ? x.broadcast(shape.count) : x.column
            let matched = BitWords.trueMask(same.broadcast(shape.count))
            let rm = WordReader(matched, count: shape.count), rv = WordReader(value.validity, count: shape.count)
            let validity = BitWords.makeWords(count: shape.count) { rv[$0] & ~rm[$0] }
            return shape.datum(Column(type: value.type, count: shape.count, validity: validity, storage: value.storage))
        }.folded(inputs: [a, b])
    }
}
