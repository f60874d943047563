import Columnar

/// `AND`, `OR`, `NOT`, `IS [NOT] NULL`: whole 64-bit words of values and validity at a time,
/// with SQL's three-valued logic (FALSE AND NULL is FALSE, TRUE OR NULL is TRUE).
enum LogicalKernels {
    static func and(_ left: Kernel, _ right: Kernel) -> Kernel {
        connective(left, right, isAnd: true)
    }

    static func or(_ left: Kernel, _ right: Kernel) -> Kernel {
        connective(left, right, isAnd: false)
    }

    /// The right operand is needed only where the left one does not decide the row (not FALSE
    /// for AND, not TRUE for OR): it is skipped when the left decides every row, and an error
    /// it raises in a decided row does not count (`Kernel.run(_:onRowsIn:)`).
    private static func connective(_ left: Kernel, _ right: Kernel, isAnd: Bool) -> Kernel {
        Kernel(type: .boolean) { batch in
            let a = try left.run(batch)
            let count = RowShape(a, rowCount: batch.rowCount).count
            let aValues = BooleanWords(a, count: count), aValid = ValidityWords(a, count: count)
            // Rows the left side leaves open.
            let open = BitWords.makeWords(count: count) { w in
                isAnd ? ~(~aValues[w] & aValid[w]) : ~(aValues[w] & aValid[w])
            }
            if BitWords.popCount(open, count: count) == 0 { return a }
            let b = a.isScalar ? try right.run(batch) : try right.run(batch, onRowsIn: open)
            let shape = RowShape(a, b, rowCount: batch.rowCount)
            let n = shape.count
            let x = BooleanWords(a, count: n), xValid = ValidityWords(a, count: n)
            let y = BooleanWords(b, count: n), yValid = ValidityWords(b, count: n)
            if xValid.allValid && yValid.allValid {
                let values = BitWords.makeWords(count: n) { w in isAnd ? x[w] & y[w] : x[w] | y[w] }
                return shape.datum(.booleans(count: n, bits: values, validity: nil))
            }
            let values = BitWords.makeWords(count: n) { w in
                let tx = x[w] & xValid[w], ty = y[w] & yValid[w]
                return isAnd ? tx & ty : tx | ty
            }
            let validity = BitWords.makeWords(count: n) { w in
                let tx = x[w] & xValid[w], fx = ~x[w] & xValid[w]
                let ty = y[w] & yValid[w], fy = ~y[w] & yValid[w]
                return isAnd ? (tx & ty) | fx | fy : tx | ty | (fx & fy)
            }
            return shape.datum(.booleans(count: n, bits: values, validity: validity))
        }.folded(inputs: [left, right])
    }

    static func not(_ operand: Kernel) -> Kernel {
        Kernel(type: .boolean) { batch in
            let a = try operand.run(batch)
            return Elementwise.map(a) { plain in
                let values = BooleanWords(Datum(column: plain), count: plain.count)
                return .booleans(count: plain.count, bits: BitWords.makeWords(count: plain.count) { ~values[$0] },
                                 validity: plain.validity)
            }
        }.folded(inputs: [operand])
    }

    /// `IS NULL` (or `IS NOT NULL` when `negated`): the validity bits, complemented or not.
    static func isNull(_ operand: Kernel, negated: Bool) -> Kernel {
        Kernel(type: .boolean) { batch in
            let a = try operand.run(batch)
            let shape = RowShape(a, rowCount: batch.rowCount)
            let valid = ValidityWords(a, count: shape.count)
            let bits = BitWords.makeWords(count: shape.count) { w in negated ? valid[w] : ~valid[w] }
            return shape.datum(.booleans(count: shape.count, bits: bits, validity: nil))
        }.folded(inputs: [operand])
    }
}
