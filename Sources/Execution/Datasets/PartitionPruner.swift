import Columnar
import Query

/// Decides, while a dataset is listed, which partition directories can hold matching rows.
///
/// A pushed conjunct that references partition columns only becomes decidable at the depth of the
/// deepest column it names: `order_date = DATE '1995-03-01'` prunes `order_date=…` directories before
/// their children are listed; `order_date = … AND region = 'EUROPE'` as two conjuncts prunes at both
/// depths. Each level's children are checked in one batch, one row per directory. A conjunct that does
/// not compile or fails to evaluate prunes nothing: pruning is an optimisation, the filter above the
/// scan still decides.
struct PartitionPruner {
    let columns: [Field]
    /// The compiled conjuncts decidable at each depth.
    let filters: [[CompiledExpression]]

    init(columns: [Field], conjuncts: [Expr]) {
        self.columns = columns
        let names = columns.map { $0.name.lowercased() }
        var filters = Array(repeating: [CompiledExpression](), count: columns.count)
        for conjunct in conjuncts {
            let references = Self.referencedNames(conjunct)
            guard !references.isEmpty else { continue }
            let depths = references.map { names.firstIndex(of: $0) }
            guard depths.allSatisfy({ $0 != nil }) else { continue }
            let depth = depths.map { $0! }.max()!
            let schema = PlanSchema(columns[...depth].map { PlanColumn(name: $0.name, type: $0.type, isNullable: true) })
            guard let compiled = try? CompiledExpression.compile(Self.unqualified(conjunct), input: schema) else { continue }
            filters[depth].append(compiled)
        }
        self.filters = filters
    }

    var isEmpty: Bool { filters.allSatisfy(\.isEmpty) }

    /// For the directories below one parent (whose ancestors have `ancestors` values), whether each
    /// child with the value in `children` may hold matching rows.
    func keep(depth: Int, ancestors: [ScalarValue], children: [ScalarValue]) -> [Bool] {
        var keep = Array(repeating: true, count: children.count)
        guard !filters[depth].isEmpty, !children.isEmpty else { return keep }
        do {
            var columns: [Column] = []
            for value in ancestors {
                columns.append(try FileProjection.constant(value, count: children.count))
            }
            columns.append(try Self.column(children, type: self.columns[depth].type))
            let schema = Schema(self.columns[...depth].map { Field($0.name, $0.type) })
            let batch = RecordBatch(schema: schema, columns: columns, rowCount: children.count)
            for filter in filters[depth] {
                let result = try filter.evaluate(batch)
                for i in keep.indices where keep[i] {
                    keep[i] = ColumnScalar.value(of: result, at: i)?.payload == .boolean(true)
                }
            }
        } catch {
            return Array(repeating: true, count: children.count)
        }
        return keep
    }

    /// One column of a level's values (all of `type`).
    static func column(_ values: [ScalarValue], type: DataType) throws -> Column {
        func ints<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type) -> Column {
            Column(type, values.map { value -> T? in if case .int(let v) = value.payload { T(truncatingIfNeeded: v) } else { nil } })
        }
        switch type {
        case .int32, .date32: return ints(Int32.self)
        case .int64, .timestamp: return ints(Int64.self)
        case .float64: return Column(type, values.map { value -> Double? in if case .double(let v) = value.payload { v } else { nil } })
        case .string: return Column(strings: values.map { value -> String? in if case .string(let v) = value.payload { v } else { nil } })
        default: return Column.concatenated(try values.map { try LiteralColumns.column($0) })
        }
    }

    static func referencedNames(_ expr: Expr) -> Set<String> {
        var names: Set<String> = []
        _ = expr.transformUp { node in
            if case .column(let reference) = node { names.insert(reference.name.lowercased()) }
            return node
        }
        return names
    }

    /// The conjunct with table qualifiers removed: it is compiled against the partition columns alone.
    static func unqualified(_ expr: Expr) -> Expr {
        expr.transformUp { node in
            if case .column(let reference) = node { return .column(ColumnReference(reference.name)) }
            return node
        }
    }
}
