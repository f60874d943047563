import Columnar
import Parquet
import Query

/// Decides from footer statistics which row groups a scan can skip: a row group is skipped only
/// when its min/max and null counts prove that no row satisfies one of the pushed conjuncts.
///
/// Three-valued logic: a comparison with NULL is never true, so a chunk whose values are all null
/// satisfies no comparison; `IS NULL` needs a null; `IS NOT NULL` a value. Missing or inexact
/// statistics, and expressions it does not understand, never prune.
struct StatisticsPruner {
    let reader: ParquetFileReader
    /// Column name (lower case) to top-level field index.
    let fields: [String: Int]

    init(reader: ParquetFileReader) {
        self.reader = reader
        var fields: [String: Int] = [:]
        for (i, field) in reader.schema.schema.fields.enumerated() { fields[field.name.lowercased()] = i }
        self.fields = fields
    }

    /// Whether `rowGroup` may hold a row that satisfies every conjunct.
    func mayMatch(rowGroup: Int, conjuncts: [Expr]) -> Bool {
        !conjuncts.contains { cannotMatch($0, rowGroup) }
    }

    /// True only when the statistics prove `predicate` is not true for any row of the group.
    func cannotMatch(_ predicate: Expr, _ rowGroup: Int) -> Bool {
        switch predicate {
        case .binary(let l, .and, let r):
            return cannotMatch(l, rowGroup) || cannotMatch(r, rowGroup)
        case .binary(let l, .or, let r):
            return cannotMatch(l, rowGroup) && cannotMatch(r, rowGroup)
        case .literal(let value):
            return value.isNull || value.payload == .boolean(false)
        case .isNull(.column(let c)):
            guard let s = statistics(c, rowGroup), let nulls = s.nullCount else { return false }
            return nulls == 0
        case .isNotNull(.column(let c)):
            guard let s = statistics(c, rowGroup) else { return false }
            return s.allNull
        case .binary(.column(let c), let op, .literal(let v)) where op.isComparison && op != .nullSafeEqual:
            return comparisonCannotMatch(c, op, v, rowGroup)
        case .binary(.literal(let v), let op, .column(let c)) where op.isComparison && op != .nullSafeEqual:
            return comparisonCannotMatch(c, op.swapped, v, rowGroup)
        case .between(.column(let c), .literal(let low), .literal(let high), negated: false):
            return comparisonCannotMatch(c, .greaterOrEqual, low, rowGroup) || comparisonCannotMatch(c, .lessOrEqual, high, rowGroup)
        case .inList(.column(let c), let list, negated: false):
            let values = list.compactMap { e -> ScalarValue? in if case .literal(let v) = e { v } else { nil } }
            guard values.count == list.count else { return false }
            return values.allSatisfy { comparisonCannotMatch(c, .equal, $0, rowGroup) }
        default:
            return false
        }
    }

    /// True when no value of column `c` in the group can satisfy `c op v`.
    func comparisonCannotMatch(_ c: ColumnReference, _ op: BinaryOperator, _ v: ScalarValue, _ rowGroup: Int) -> Bool {
        if v.isNull { return true }
        guard let s = statistics(c, rowGroup) else { return false }
        if s.allNull { return true }
        if case .double(let d) = v.payload, d.isNaN { return false }
        func order(_ bound: ScalarValue?) -> ScalarValue.ComparisonResult? { bound.flatMap { $0.compare(to: v) } }
        switch op {
        case .equal:
            return order(s.min) == .greater || order(s.max) == .less
        case .notEqual:
            return !s.mayHaveNaN && order(s.min) == .equal && order(s.max) == .equal
        case .less:
            return order(s.min).map { $0 != .less } ?? false
        case .lessOrEqual:
            return order(s.min) == .greater
        case .greater:
            return !s.mayHaveNaN && (order(s.max).map { $0 != .greater } ?? false)
        case .greaterOrEqual:
            return !s.mayHaveNaN && order(s.max) == .less
        default:
            return false
        }
    }

    func statistics(_ c: ColumnReference, _ rowGroup: Int) -> ColumnStatistics? {
        guard let field = fields[c.name.lowercased()] else { return nil }
        return ColumnStatistics(reader: reader, rowGroup: rowGroup, field: field)
    }
}
