/// Resolution of a time or timestamp value.
public enum TimeUnit: String, Hashable, Sendable, CaseIterable {
    case milliseconds = "ms"
    case microseconds = "us"
    case nanoseconds = "ns"

    /// Number of units in one second.
    public var perSecond: Int64 {
        switch self {
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }
}
