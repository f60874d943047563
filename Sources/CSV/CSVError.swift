/// Everything that can go wrong reading CSV.
public enum CSVError: Error, Sendable, CustomStringConvertible {
    /// A record that does not follow the file's shape or the declared types, with where it is.
    case malformed(MalformedRecord)
    /// A value does not fit the column's inferred type: the reader must start again with `schema`.
    case typeWidened(column: String, schema: [CSVColumnType])
    /// The operating system refused a read.
    case io(path: String, detail: String)
    /// Compressed input that does not decompress.
    case corruptInput(path: String, detail: String)
    /// A bad option or schema.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .malformed(let record): record.description
        case .typeWidened(let column, _): "column '\(column)' needs a wider type"
        case .io(let path, let detail): "\(path): \(detail)"
        case .corruptInput(let path, let detail): "\(path): \(detail)"
        case .invalidArgument(let detail): detail
        }
    }
}

/// A record the reader could not use as it is: where it is, what is wrong, and its raw text.
public struct MalformedRecord: Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line where the record starts.
    public var line: Int
    /// Column name and 1-based position, when the problem is one field.
    public var column: (name: String, position: Int)?
    public var reason: String
    /// The record's text as it stands in the input (line ends included when it spans lines).
    public var raw: String

    public var description: String {
        var text = "\(file):\(line): "
        if let column { text += "column '\(column.name)' (\(column.position)): " }
        text += reason
        let shown = raw.count > 500 ? String(raw.prefix(500)) + "…" : raw
        return text + "\n  raw: " + shown
    }
}
