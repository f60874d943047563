/// Errors of the session façade.
public enum SessionError: Error, Sendable, CustomStringConvertible {
    case invalidConfig(key: String, value: String, expected: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .invalidConfig(let key, let value, let expected): "\(key)=\(value): expected \(expected)"
        case .invalidArgument(let message): message
        }
    }
}
