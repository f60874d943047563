/// One key of a sort: a column of the batches, its direction and where its NULLs go.
public struct SortColumn: Hashable, Sendable {
    public var column: Int
    public var ascending: Bool
    public var nullsFirst: Bool

    /// `nullsFirst` defaults to Spark's: first when ascending, last when descending.
    public init(_ column: Int, ascending: Bool = true, nullsFirst: Bool? = nil) {
        self.column = column
        self.ascending = ascending
        self.nullsFirst = nullsFirst ?? ascending
    }
}
