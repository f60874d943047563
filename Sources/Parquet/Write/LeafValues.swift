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
}
