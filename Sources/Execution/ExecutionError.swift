/// Everything that can go wrong while a query runs.
public enum ExecutionError: Error, Sendable, CustomStringConvertible {
    /// A value the query cannot compute: an integer overflow, a date out of range, an invalid
    /// `date_trunc` unit. `expression` is the SQL text of the expression at fault.
    case arithmetic(expression: String, detail: String)
    /// Reading an input failed (the Parquet or CSV error, with the file it concerns).
    case input(path: String, detail: String)
    /// Writing an output failed, or the output cannot be written as asked (it exists, a
    /// partition column is wrong); `path` is the file or directory it concerns.
    case output(path: String, detail: String)
    /// The collected result is over `spark.driver.maxResultSize`.
    case resultTooLarge(bytes: Int, limit: Int)
    /// A plan the executor cannot run (a bug or a missing operator).
    case unsupported(String)
    /// The query was cancelled (another task failed).
    case cancelled

    public var description: String {
        switch self {
        case .arithmetic(let expression, let detail): "cannot compute \(expression): \(detail)"
        case .input(let path, let detail): "\(path): \(detail)"
        case .output(let path, let detail): "\(path): \(detail)"
        case .resultTooLarge(let bytes, let limit):
            "the result (\(bytes) bytes so far) is larger than spark.driver.maxResultSize (\(limit) bytes); add a LIMIT, aggregate, or raise the limit with --conf spark.driver.maxResultSize=…"
        case .unsupported(let message): "not supported: \(message)"
        case .cancelled: "cancelled"
        }
    }
}
