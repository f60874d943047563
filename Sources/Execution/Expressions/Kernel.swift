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

/// Applies elementwise work to the plain values of a column.
enum Elementwise {
    /// Applies `body` to the values of `input`, which it receives as a plain column, and returns
    /// its result; `body` must map NULL to NULL and produce one value per input value.
    ///
    /// A dictionary-encoded input is evaluated once per dictionary entry and the results are
    /// mapped back through the indices (kept as a dictionary for text results, gathered
    /// otherwise), which is what makes string predicates and functions cheap on Parquet data.
    static func map(_ input: Datum, _ body: (Column) throws -> Column) rethrows -> Datum {
        if input.isScalar { return Datum(scalar: try body(input.column)) }
        let column = input.column
        if case .dictionary(let indices, let dictionary) = column.storage, dictionary.count <= column.count {
            if let mapped = try? body(dictionary) {
                return Datum(column: remap(mapped, indices: indices, count: column.count, validity: column.validity))
            }
        }
        return Datum(column: try body(column.materialized()))
    }

    /// Values `mapped[indices[i]]`, NULL where `validity` is.
    static func remap(_ mapped: Column, indices: Buffer, count: Int, validity: Buffer?) -> Column {
        if case .variableWidth = mapped.storage, mapped.nullCount == 0 {
            return Column(type: mapped.type, count: count, validity: validity, storage: .dictionary(indices: indices, dictionary: mapped))
        }
        if case .bits(let bits) = mapped.storage {
            return remapBits(mapped, bits: bits, indices: indices, count: count, validity: validity)
        }
        return mapped.gather(indices: indices, count: count, validity: validity)
    }

    /// Gathers booleans by dictionary index a word at a time.
    private static func remapBits(_ mapped: Column, bits: Buffer, indices: Buffer, count: Int, validity: Buffer?) -> Column {
        // Indices of NULL rows may be anything, so they are not read.
        let source = bits.baseAddress
        let outer = WordReader(validity, count: count)
        let values = indices.withUnsafeBufferPointer(as: Int32.self) { idx in
            validity == nil
                ? BitWords.make(count: count) { i in Bitmap.isSet(source, Int(idx[i])) }
                : BitWords.make(count: count) { i in
                    (outer[i >> 6] >> UInt64(i & 63)) & 1 != 0 && Bitmap.isSet(source, Int(idx[i]))
                }
        }
        var resultValidity = validity
        if let inner = mapped.validity {
            let innerBits = inner.baseAddress
            let gathered = indices.withUnsafeBufferPointer(as: Int32.self) { idx in
                BitWords.make(count: count) { i in
                    (outer[i >> 6] >> UInt64(i & 63)) & 1 != 0 && Bitmap.isSet(innerBits, Int(idx[i]))
                }
            }
            resultValidity = gathered
        }
        return Column(type: mapped.type, count: count, validity: resultValidity, storage: .bits(values))
    }
}
