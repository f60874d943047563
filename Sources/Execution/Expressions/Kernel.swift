import Columnar

/// One compiled node of an expression: its result type and the function that computes it for
/// a batch.
///
/// The function is chosen once, at compile time, for the operand types (a closure made in a
/// generic function specialised for the value type), so evaluation dispatches once per node
/// and batch, never per value. A node whose inputs are all constants is folded: `constant`
/// holds its value and evaluation returns it without work.
struct Kernel: Sendable {
    let type: DataType
    let constant: Datum?
    let run: @Sendable (RecordBatch) throws -> Datum

    init(type: DataType, run: @escaping @Sendable (RecordBatch) throws -> Datum) {
        self.type = type
        self.constant = nil
        self.run = run
    }

    init(constant: Datum) {
        self.type = constant.column.type
        self.constant = constant
        self.run = { _ in constant }
    }

    var isConstant: Bool { constant != nil }

    /// The constant value as a one-row column, if this node is constant.
    var constantColumn: Column? { constant?.column }

    /// True when this node is the constant NULL.
    var isNullConstant: Bool { constant?.isNullScalar ?? false }

    /// This node folded into a constant when every input is constant. A fold that throws (an
    /// overflow in constants) is left to fail at evaluation, like any other row.
    func folded(inputs: [Kernel]) -> Kernel {
        guard !isConstant, inputs.allSatisfy(\.isConstant) else { return self }
        guard let value = try? run(Kernel.emptyBatch), value.isScalar else { return self }
        return Kernel(constant: value)
    }

    static let emptyBatch = RecordBatch(schema: Schema([]), columns: [], rowCount: 0)

    /// Evaluates this node only on the rows set in `mask` (others come out NULL).
    ///
    /// Used where SQL evaluates an operand conditionally (the right side of AND/OR, CASE
    /// branches, later COALESCE arguments): the whole batch is tried first, and only if that
    /// throws is the operand evaluated again on the rows that really need it, so an error in
    /// a row that SQL would not evaluate does not fail the query.
    func run(_ batch: RecordBatch, onRowsIn mask: Buffer) throws -> Datum {
        do {
            return try run(batch)
        } catch {
            let setCount = BitWords.popCount(mask, count: batch.rowCount)
            if setCount == batch.rowCount { throw error }
            let subset = BatchFilter.select(batch, mask: mask, setCount: setCount)
            let value = try run(subset)
            if value.isScalar { return value }
            return Datum(column: ColumnScatter.scatter(value.column, mask: mask, setCount: setCount, count: batch.rowCount))
        }
    }
}
