/// Everything that can be wrong with a query before it runs.
public enum QueryError: Error, Sendable, CustomStringConvertible {
    /// SQL that does not parse: what was expected, and where (1-based line and column).
    case syntax(message: String, line: Int, column: Int)
    /// A column, table or function that does not exist; `candidates` are the closest names.
    case unresolved(kind: String, name: String, candidates: [String])
    /// A type mismatch or an impossible operation.
    case type(String)
    /// Valid SQL that Sparrow does not support.
    case unsupported(String)
    /// Anything else the analyzer or planner rejects.
    case invalid(String)

    public var description: String {
        switch self {
        case .syntax(let message, let line, let column):
            "syntax error at line \(line), column \(column): \(message)"
        case .unresolved(let kind, let name, let candidates):
            candidates.isEmpty ? "unknown \(kind) '\(name)'"
                : "unknown \(kind) '\(name)'; did you mean \(candidates.map { "'\($0)'" }.joined(separator: ", "))?"
        case .type(let message): "type error: \(message)"
        case .unsupported(let message): "not supported: \(message)"
        case .invalid(let message): message
        }
    }
}
