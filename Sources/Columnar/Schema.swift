/// The ordered fields of a record batch or file, plus key/value metadata.
public struct Schema: Hashable, Sendable {
    public var fields: [Field]
    /// Free-form metadata (Parquet's `key_value_metadata`), in file order.
    public var metadata: [(key: String, value: String?)] {
        get { metadataStorage.map { ($0.key, $0.value) } }
        set { metadataStorage = newValue.map { MetadataEntry(key: $0.key, value: $0.value) } }
    }
    private var metadataStorage: [MetadataEntry]

    private struct MetadataEntry: Hashable, Sendable {
        var key: String
        var value: String?
    }

    public init(_ fields: [Field], metadata: [(key: String, value: String?)] = []) {
        self.fields = fields
        self.metadataStorage = metadata.map { MetadataEntry(key: $0.key, value: $0.value) }
    }

    /// Index of the first field called `name`, if any.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    public subscript(name: String) -> Field? {
        index(of: name).map { fields[$0] }
    }
}
