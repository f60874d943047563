import Columnar
import Query

/// Estimates the bytes a logical plan outputs, to decide which join sides are small enough to
/// broadcast. Like Spark without cost-based statistics it is rough: a Parquet scan's rows (from
/// its footer) times a default width per column type, scaled down by filters, and nil (unknown,
/// never broadcast unless hinted) where no row count is known.
public enum SizeEstimator {
    public static func estimatedBytes(_ plan: LogicalPlan) -> Int? {
        switch plan {
        case .scan(let scan):
            guard let rows = scan.source.estimatedRowCount else { return nil }
            var bytes = rows * rowWidth(scan.outputSchema)
            if let limit = scan.limit { bytes = min(bytes, limit * rowWidth(scan.outputSchema)) }
            return bytes
        case .oneRow:
            return 1
        case .filter(let predicate, let input):
            guard let bytes = estimatedBytes(input) else { return nil }
            return Int(Double(bytes) * selectivity(predicate))
        case .projection, .aggregate:
            // Output rows at most the input's, each of the output's width.
            guard let input = plan.inputs.first, let bytes = estimatedBytes(input),
                  let inputWidth = try? rowWidth(input.schema()), let outputWidth = try? rowWidth(plan.schema())
            else { return nil }
            return bytes / max(1, inputWidth) * outputWidth
        case .limit(let count, let offset, let input):
            let bytes = estimatedBytes(input)
            let width = (try? rowWidth(input.schema())) ?? 8
            let bound = (count == Int.max ? Int.max : (count + offset).multipliedReportingOverflow(by: width).partialValue)
            return bytes.map { min($0, bound) } ?? (count == Int.max ? nil : bound)
        case .sort(_, let input), .distinct(let input), .subqueryAlias(_, let input), .hint(_, let input):
            return estimatedBytes(input)
        case .unionAll(let inputs):
            var total = 0
            for input in inputs {
                guard let bytes = estimatedBytes(input) else { return nil }
                total += bytes
            }
            return total
        case .join(let left, let right, let spec):
            guard let leftBytes = estimatedBytes(left) else { return nil }
            if !spec.type.outputsRight { return leftBytes }
            guard let rightBytes = estimatedBytes(right) else { return nil }
            if spec.type == .cross { return leftBytes.multipliedReportingOverflow(by: max(1, rightBytes)).partialValue }
            return leftBytes + rightBytes
        case .unresolvedRelation, .columnAliases:
            return nil
        }
    }

    /// Spark's default column sizes (`DataType.defaultSize`) plus 8 bytes per row.
    static func rowWidth(_ schema: PlanSchema) -> Int {
        8 + schema.columns.reduce(0) { $0 + width(of: $1.type) }
    }

    static func width(of type: DataType) -> Int {
        switch type {
        case .boolean, .int8, .uint8: 1
        case .int16, .uint16, .float16: 2
        case .int32, .uint32, .float32, .date32: 4
        case .decimal(let precision, _): precision <= 18 ? 8 : 16
        case .string, .json, .enumeration, .binary: 20
        case .fixedSizeBinary(let n): n
        case .list, .structure, .map: 100
        default: 8
        }
    }

    /// The fraction of rows a filter keeps, guessed from its conjuncts: an equality keeps 10%,
    /// anything else half.
    static func selectivity(_ predicate: Expr) -> Double {
        var fraction = 1.0
        for conjunct in predicate.conjuncts {
            if case .binary(_, .equal, _) = conjunct { fraction *= 0.1 } else if case .inList = conjunct { fraction *= 0.2 } else { fraction *= 0.5 }
        }
        return max(fraction, 0.01)
    }
}
