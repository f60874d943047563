/// How `sparrow bench pruning` reads the `sales` table for a query.
enum PruningVariant: CaseIterable {
    /// The partitioned directory with the default settings: partitions pruned while listing,
    /// row groups by their statistics.
    case pruned
    /// The same directory with both kinds of pruning off: every file is listed and read, and the
    /// filter runs over all rows.
    case unpruned
    /// The unpartitioned file, default settings.
    case singleFile

    var label: String {
        switch self {
        case .pruned: "pruned"
        case .unpruned: "not pruned"
        case .singleFile: "one file"
        }
    }

    /// Session settings of the variant.
    var settings: [(key: String, value: String)] {
        switch self {
        case .pruned, .singleFile: []
        case .unpruned: [("sparrow.sql.partitionPruning.enabled", "false"), ("spark.sql.parquet.filterPushdown", "false")]
        }
    }
}
