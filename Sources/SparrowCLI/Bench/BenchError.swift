/// What makes `sparrow bench` fail.
enum BenchError: Error, CustomStringConvertible {
    /// The variants of a query disagree, or an answer contradicts the generated data.
    case wrongAnswer(String)
    /// A file or directory could not be made or written.
    case io(String)

    var description: String {
        switch self {
        case .wrongAnswer(let detail): "wrong answer: \(detail)"
        case .io(let detail): detail
        }
    }
}
