/// Everything that can go wrong reading or writing Parquet.
///
/// Low layers (Thrift, encodings, codecs) throw the plain cases; the file reader and writer wrap
/// them with `.located` so that the message names the file, row group, column and byte offset.
public enum ParquetError: Error, Sendable, CustomStringConvertible {
    /// The bytes do not follow the format (bad magic, impossible size, invalid encoding data…).
    case corrupt(String)
    /// Valid Parquet that Sparrow does not handle yet.
    case unsupported(String)
    /// The operating system refused a read or write.
    case io(path: String, detail: String)
    /// The caller asked for something impossible (unknown column, bad option).
    case invalidArgument(String)
    /// `underlying`, which happened at `location`.
    indirect case located(ParquetErrorLocation, ParquetError)

    public var description: String {
        switch self {
        case .corrupt(let detail): "corrupt Parquet data: \(detail)"
        case .unsupported(let detail): "not supported: \(detail)"
        case .io(let path, let detail): "\(path): \(detail)"
        case .invalidArgument(let detail): detail
        case .located(let location, let underlying): "\(location): \(underlying.description)"
        }
    }

    /// The innermost error, without locations.
    public var root: ParquetError {
        if case .located(_, let inner) = self { return inner.root }
        return self
    }

    /// Wraps `self` with a location, merging with an existing one (inner fields win).
    public func at(_ location: ParquetErrorLocation) -> ParquetError {
        if case .located(let inner, let error) = self {
            return .located(inner.filling(from: location), error)
        }
        return .located(location, self)
    }
}

/// Where in a file an error happened; every part is optional.
public struct ParquetErrorLocation: Sendable, CustomStringConvertible {
    public var file: String?
    public var rowGroup: Int?
    public var column: String?
    public var offset: Int?

    public init(file: String? = nil, rowGroup: Int? = nil, column: String? = nil, offset: Int? = nil) {
        self.file = file
        self.rowGroup = rowGroup
        self.column = column
        self.offset = offset
    }

    func filling(from outer: ParquetErrorLocation) -> ParquetErrorLocation {
        ParquetErrorLocation(file: file ?? outer.file, rowGroup: rowGroup ?? outer.rowGroup,
                             column: column ?? outer.column, offset: offset ?? outer.offset)
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let rowGroup { parts.append("row group \(rowGroup)") }
        if let column { parts.append("column '\(column)'") }
        if let offset { parts.append("byte offset \(offset)") }
        return parts.joined(separator: ", ")
    }
}

extension Error {
    /// Adds `location` to a `ParquetError`; other errors pass through unchanged.
    func located(_ location: ParquetErrorLocation) -> Error {
        (self as? ParquetError)?.at(location) ?? self
    }
}
