/// What to do with a record that cannot be read as it is.
public enum MalformedRecordPolicy: String, Sendable, CaseIterable {
    /// Stop with an error that names the line, column and raw text.
    case fail
    /// Drop the record.
    case skip
    /// Keep the record: unparsable values and missing fields become null (a record with too many
    /// fields, or an unterminated quote, is still dropped).
    case null
}

/// How to read a CSV input.
public struct CSVReadOptions: Sendable {
    /// The field delimiter; nil detects it among `,` `;` TAB `|`.
    public var delimiter: UInt8?
    /// Whether the first record names the columns; nil detects it.
    public var hasHeader: Bool?
    /// Types given by the user, by column name (or for every column when `schemaByPosition` is set);
    /// given types are never widened and values that do not parse are malformed.
    public var declaredTypes: [String: CSVColumnType] = [:]
    /// Types for all columns in order, overriding inference completely.
    public var schemaByPosition: [(name: String, type: CSVColumnType)]? = nil
    /// Records sampled to infer types before reading (the rest is checked while reading).
    public var sampleRows: Int = 20_480
    public var onError: MalformedRecordPolicy = .fail
    /// Bytes of input per block; each block becomes one batch, converted on its own thread.
    public var blockSize: Int = 4 << 20
    /// Threads converting blocks to columns.
    public var threads: Int = 2

    public init() {}
}
