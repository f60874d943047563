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

    /// Functions whose value changes from one evaluation to the next.
    static let nondeterministic: Set<String> = ["rand", "random", "randn", "uuid", "shuffle",
                                                  "monotonically_increasing_id", "spark_partition_id"]

    /// Nil when no conjunct qualifies or the qualifying ones read every output column.
    init?(filters: [Expr], output: PlanSchema) {
        var conjuncts: [Expr] = []
        var read = Set<Int>()
        for conjunct in filters where Self.isDeterministic(conjunct) {
            guard let positions = try? conjunct.columnReferences.map({ try output.index(of: $0) }) else { continue }
            conjuncts.append(conjunct)
            read.formUnion(positions)
        }
        guard !conjuncts.isEmpty, read.count < output.columns.count else { return nil }
        columns = read.sorted()
        let filterSchema = PlanSchema(columns.map { output.columns[$0] })
        let predicate = conjuncts.dropFirst().reduce(conjuncts[0]) { Expr.binary($0, .and, $1) }
        guard let compiled = try? CompiledExpression.compile(predicate, input: filterSchema), compiled.type == .boolean else {
            return nil
        }
        self.predicate = compiled
        schema = Schema(filterSchema.columns.map { Field($0.name, $0.type, isNullable: $0.isNullable) })
    }

    static func isDeterministic(_ expr: Expr) -> Bool {
        !expr.contains(where: { node in
            switch node {
            case .function(let name, _): nondeterministic.contains(name.lowercased())
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
