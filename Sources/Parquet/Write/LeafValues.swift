import Columnar

/// What the writer receives for one leaf column of one batch: its levels and its values.
struct LeafValues {
    /// Number of level entries (rows, for a column without repetition).
    let entryCount: Int
    /// One per entry; nil when the leaf's maximum definition level is 0.
    let definitionLevels: [UInt16]?
    /// One per entry; nil when the leaf's maximum repetition level is 0.
    let repetitionLevels: [UInt16]?
    /// The values to write are this column's non-null values, in order: for a flat column, the
    /// batch's column itself; for a nested one, the leaf values gathered densely.
    let values: Column

    /// The entries from `start` on, of a leaf without repetition (whose values line up with its
    /// entries).
    func suffix(from start: Int) -> LeafValues {
        precondition(repetitionLevels == nil, "suffix of a repeated leaf")
        return LeafValues(entryCount: entryCount - start, definitionLevels: definitionLevels.map { Array($0[start...]) },
                          repetitionLevels: nil, values: values.slice(start..<values.count))
    }
}
