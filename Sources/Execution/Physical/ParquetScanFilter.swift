import Columnar
import Parquet
import Query

/// The pushed filters a Parquet scan evaluates itself, so the columns the filters do not read
/// are decoded only for the rows that pass (late materialization).
///
/// The filter above the scan stays and sees only rows that passed, so evaluating here changes
/// what is decoded, not the result. Only deterministic conjuncts over columns of the scan's
/// output are taken; evaluating them twice gives the same answer. Worth it only when some
/// projected column is not read by the filters.
struct ParquetScanFilter {
    /// Positions in the scan's output schema of the columns the predicate reads, ascending.
    let columns: [Int]
    let predicate: CompiledExpression
    /// The schema of a batch of just `columns`, which the predicate was compiled against.
    let schema: Schema

    /// Nil when no conjunct qualifies or the qualifying ones read every output column.
    init?(filters: [Expr], output: PlanSchema) {
        var conjuncts: [Expr] = []
        var read = Set<Int>()
        for conjunct in filters where Self.evaluatesPerRow(conjunct) {
            guard let positions = try? conjunct.columnReferences.map({ try output.index(of: $0) }) else { continue }
            conjuncts.append(conjunct)
            read.formUnion(positions)
        }
        guard !conjuncts.isEmpty, read.count < output.columns.count else { return nil }
        columns = read.sorted()
        let filterSchema = PlanSchema(columns.map { output.columns[$0] })
        guard let compiled = try? CompiledExpression.compile(Expr.conjunction(conjuncts)!, input: filterSchema), compiled.type == .boolean else {
            return nil
        }
        self.predicate = compiled
        schema = Schema(filterSchema.columns.map { Field($0.name, $0.type, isNullable: $0.isNullable) })
    }

    /// Deterministic, and without an aggregate or a star: a conjunct the scan can evaluate on
    /// its rows alone.
    static func evaluatesPerRow(_ expr: Expr) -> Bool {
        expr.isDeterministic && !expr.contains(where: { node in
            switch node {
            case .aggregate, .star: true
            default: false
            }
        })
    }

    /// The rows of a batch whose filter columns are `values` where the predicate is true.
    func selection(_ values: [Column], rows: Int) throws -> RowSelection {
        let result = try predicate.evaluate(RecordBatch(schema: schema, columns: values, rowCount: rows))
        let mask = BitWords.trueMask(result)
        return RowSelection(mask: mask, count: rows, setCount: BitWords.popCount(mask, count: rows))
    }
}
