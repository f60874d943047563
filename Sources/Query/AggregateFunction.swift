/// The aggregate functions.
public enum AggregateFunction: String, Hashable, Sendable, CaseIterable {
    /// `count(*)` (no argument) or `count(x)` (non-null values).
    case count
    case sum
    case avg
    case min
    case max
}
