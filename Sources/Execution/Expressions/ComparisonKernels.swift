import Columnar
import Query
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `= <> < <= > >= <=>` and `BETWEEN` over two operands of the same type, into bit-packed
/// booleans.
///
/// Every comparison reduces to equality or less-than with the operands possibly swapped and the
/// result possibly negated (`a <= b` is `NOT (b < a)` under a total order, which Spark's order
/// with NaN is). A column compared with a constant is one loop against a register; a
/// dictionary-encoded column compared with a constant is compared once per dictionary entry.
enum ComparisonKernels {
    enum Relation: Sendable { case equal, less }

    /// A comparison normalised to `relation(first, second) != negate`.
    struct Plan: Sendable {
        let relation: Relation
        let swap: Bool
        let negate: Bool

        init(_ op: BinaryOperator) {
            switch op {
            case .equal, .nullSafeEqual: (relation, swap, negate) = (.equal, false, false)
            case .notEqual: (relation, swap, negate) = (.equal, false, true)
            case .less: (relation, swap, negate) = (.less, false, false)
            case .greater: (relation, swap, negate) = (.less, true, false)
            case .lessOrEqual: (relation, swap, negate) = (.less, true, true)
            case .greaterOrEqual: (relation, swap, negate) = (.less, false, true)
            default: preconditionFailure("\(op) is not a comparison")
            }
        }
    }

    /// Compares values (NULLs are the caller's): bit `i` is the comparison of row `i`.
    typealias ValueComparison = @Sendable (_ a: Datum, _ b: Datum, _ count: Int) -> Buffer

    static func compile(_ op: BinaryOperator, _ left: Kernel, _ right: Kernel) throws -> Kernel {
        // A NULL literal whatever its placeholder type: NULL, or for <=> whether the other side is NULL.
        if left.isNullConstant || right.isNullConstant {
            let other = left.isNullConstant ? right : left
            if op == .nullSafeEqual { return LogicalKernels.isNull(other, negated: false) }
            return Kernel(type: .boolean) { batch in
                let shape = RowShape(try other.run(batch), rowCount: batch.rowCount)
                return shape.datum(.nulls(.boolean, count: shape.count))
            }.folded(inputs: [other])
        }
        guard left.type == right.type || (left.type.isText && right.type.isText) else {
            throw ExecutionError.unsupported("comparison of \(left.type) with \(right.type)")
        }
        let plan = Plan(op)
        let compare = try valueComparison(plan, type: left.type)
        let nullSafe = op == .nullSafeEqual
        return Kernel(type: .boolean) { batch in
            let a = try left.run(batch), b = try right.run(batch)
            return nullSafe ? nullSafeEqual(a, b, rowCount: batch.rowCount, compare)
                : comparison(a, b, rowCount: batch.rowCount, compare)
        }.folded(inputs: [left, right])
    }

    /// The value comparison for `type`, chosen once.
    static func valueComparison(_ plan: Plan, type: DataType) throws -> ValueComparison {
        let base: ValueComparison
        if let ordered = try ValueTypes.visitOrdered(type, OrderedComparison(relation: plan.relation, negate: plan.negate)) {
            base = ordered
        } else if type == .boolean {
            base = booleanComparison(plan.relation, negate: plan.negate)
        } else if type.layout == .variableWidth {
            base = plan.relation == .equal ? bytesEqual(negate: plan.negate) : bytesLess(negate: plan.negate)
        } else {
            throw ExecutionError.unsupported("comparison of \(type) values")
        }
        guard plan.swap else { return base }
        return { a, b, count in base(b, a, count) }
    }

    /// A comparison with SQL NULL semantics: NULL when either side is NULL.
    static func comparison(_ a: Datum, _ b: Datum, rowCount: Int, _ compare: ValueComparison) -> Datum {
        let shape = RowShape(a, b, rowCount: rowCount)
        if a.isNullScalar || b.isNullScalar { return shape.datum(.nulls(.boolean, count: shape.count)) }
        // A dictionary-encoded column against a constant: once per distinct value.
        if b.isScalar && !a.isScalar, case .dictionary = a.column.storage {
            return Elementwise.map(a) { plain in
                Column.booleans(count: plain.count, bits: compare(Datum(column: plain), b, plain.count), validity: plain.validity)
            }
        }
        if a.isScalar && !b.isScalar, case .dictionary = b.column.storage {
            return Elementwise.map(b) { plain in
                Column.booleans(count: plain.count, bits: compare(a, Datum(column: plain), plain.count), validity: plain.validity)
            }
        }
        let pa = a.isScalar ? a : Datum(column: a.column.materialized())
        let pb = b.isScalar ? b : Datum(column: b.column.materialized())
        let bits = compare(pa, pb, shape.count)
        return shape.datum(.booleans(count: shape.count, bits: bits, validity: Datum.validity(pa, pb, count: shape.count)))
    }

    /// `a <=> b`: true when both are NULL or both equal, false otherwise; never NULL.
    static func nullSafeEqual(_ a: Datum, _ b: Datum, rowCount: Int, _ equal: ValueComparison) -> Datum {
        let shape = RowShape(a, b, rowCount: rowCount)
        let count = shape.count
        let pa = Datum(column: a.expanded(count)), pb = Datum(column: b.expanded(count))
        let bits = equal(pa, pb, count)
        let rv = WordReader(bits, count: count), ra = WordReader(pa.column.validity, count: count),
            rb = WordReader(pb.column.validity, count: count)
        let result = BitWords.makeWords(count: count) { w in
            (rv[w] & ra[w] & rb[w]) | (~ra[w] & ~rb[w])
        }
        return shape.datum(.booleans(count: count, bits: result, validity: nil))
    }

    // MARK: Value comparisons by type

    private struct OrderedComparison: OrderedTypeVisitor {
        let relation: Relation
        let negate: Bool

        func visit<T: OrderedValue>(_ type: T.Type) -> ValueComparison {
            switch (relation, negate) {
            case (.equal, false): { a, b, n in Loops.binaryBits(a, b, count: n) { (x: T, y: T) in T.isEqual(x, y) } }
            case (.equal, true): { a, b, n in Loops.binaryBits(a, b, count: n) { (x: T, y: T) in !T.isEqual(x, y) } }
            case (.less, false): { a, b, n in Loops.binaryBits(a, b, count: n) { (x: T, y: T) in T.isLess(x, y) } }
            case (.less, true): { a, b, n in Loops.binaryBits(a, b, count: n) { (x: T, y: T) in !T.isLess(x, y) } }
            }
        }
    }

    /// Booleans compare a word at a time (false < true).
    private static func booleanComparison(_ relation: Relation, negate: Bool) -> ValueComparison {
        { a, b, count in
            let ra = BooleanWords(a, count: count), rb = BooleanWords(b, count: count)
            return BitWords.makeWords(count: count) { w in
                let x = ra[w], y = rb[w]
                let result = relation == .equal ? ~(x ^ y) : (~x & y)
                return negate ? ~result : result
            }
        }
    }

    private static func bytesEqual(negate: Bool) -> ValueComparison {
        { a, b, count in
            ByteValues.compareBits(a, b, count: count) { p, n, q, m in
                (n == m && (n == 0 || memcmp(p, q, n) == 0)) != negate
            }
        }
    }

    private static func bytesLess(negate: Bool) -> ValueComparison {
        { a, b, count in
            ByteValues.compareBits(a, b, count: count) { p, n, q, m in
                (ByteValues.compare(p, n, q, m) < 0) != negate
            }
        }
    }
}

extension ComparisonKernels {
    /// `e BETWEEN low AND high`, which is `e >= low AND e <= high`; against constant bounds it
    /// is one loop over `e`.
    static func between(_ e: Kernel, _ low: Kernel, _ high: Kernel) throws -> Kernel {
        if let lowValue = low.constant, let highValue = high.constant, !lowValue.isNullScalar, !highValue.isNullScalar,
           e.type == low.type, e.type == high.type,
           let range = try ValueTypes.visitOrdered(e.type, RangeCheck(low: lowValue.column, high: highValue.column)) {
            return Kernel(type: .boolean) { batch in
                Elementwise.map(try e.run(batch)) { plain in
                    .booleans(count: plain.count, bits: range(plain), validity: plain.validity)
                }
            }.folded(inputs: [e])
        }
        return LogicalKernels.and(try compile(.greaterOrEqual, e, low), try compile(.lessOrEqual, e, high))
    }

    private struct RangeCheck: OrderedTypeVisitor {
        let low: Column
        let high: Column

        func visit<T: OrderedValue>(_: T.Type) -> @Sendable (Column) -> Buffer {
            let lo = low.values(T.self)[0], hi = high.values(T.self)[0]
            return { plain in Loops.unaryBits(plain) { (x: T) in !T.isLess(x, lo) && !T.isLess(hi, x) } }
        }
    }
}
