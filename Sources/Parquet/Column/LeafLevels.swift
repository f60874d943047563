import Columnar

/// The decoded levels and non-null values of one leaf column for a run of whole records.
struct LeafLevels {
    /// Definition level of each entry; empty when the leaf's max definition level is 0.
    var definitionLevels: [UInt16]
    /// Repetition level of each entry; empty when the leaf's max repetition level is 0.
    var repetitionLevels: [UInt16]
    /// Number of level entries (one per value, null, or empty/null ancestor).
    var entryCount: Int
    /// The values of the entries whose definition level is the maximum, densely packed.
    var values: Column
    let maxDefinitionLevel: Int
}
