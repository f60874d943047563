/// Which input of a join an expression over the join's columns uses, and the expression
/// rewritten over the right input's own names (undoing the join's renames).
public struct JoinSides: Sendable {
    public enum Side: Sendable { case left, right }

    let leftNames: Set<String>
    /// Join output name (lower case) → the right input's column.
    let rightColumns: [String: Expr]

    public init(_ left: LogicalPlan, _ right: LogicalPlan, _ spec: JoinSpec) throws {
        leftNames = Set(try left.schema().columns.map { $0.name.lowercased() })
        var columns: [String: Expr] = [:]
        for column in try right.schema().columns {
            columns[spec.outputName(ofRight: column.name).lowercased()] = .column(ColumnReference(column.name))
        }
        rightColumns = columns
    }

    /// The one side all of `e`'s columns come from; nil when it uses both, or none.
    public func side(of e: Expr) -> Side? {
        let names = e.columnReferences.map { $0.name.lowercased() }
        if names.isEmpty { return nil }
        if names.allSatisfy(leftNames.contains) { return .left }
        if names.allSatisfy({ rightColumns[$0] != nil }) { return .right }
        return nil
    }

    /// `e` (over right columns only) with the right input's names.
    public func overRight(_ e: Expr) -> Expr {
        e.transformUp { node in
            guard case .column(let reference) = node, let column = rightColumns[reference.name.lowercased()] else { return node }
            return column
        }
    }
}
