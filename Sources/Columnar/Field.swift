/// A named, typed column of a schema (or a child of a nested type).
public struct Field: Hashable, Sendable {
    public var name: String
    public var type: DataType
    public var isNullable: Bool
    /// Parquet's `field_id`, kept so that rewriting a file preserves it.
    public var fieldID: Int32?

    public init(_ name: String, _ type: DataType, isNullable: Bool = true, fieldID: Int32? = nil) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.fieldID = fieldID
    }
}
