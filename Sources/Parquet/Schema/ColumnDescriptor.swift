import Columnar

/// A leaf column of a Parquet schema: its path, physical type, levels and in-memory type.
public struct ColumnDescriptor: Sendable {
    /// Names from the root's child down to the leaf (`path_in_schema`).
    public let path: [String]
    /// Index among the file's leaf columns (the order of `RowGroup.columns`).
    public let index: Int
    public let physicalType: PhysicalType
    /// Byte width of FIXED_LEN_BYTE_ARRAY values (12 for INT96), 0 otherwise.
    public let typeLength: Int
    public let maxDefinitionLevel: Int
    public let maxRepetitionLevel: Int
    /// The leaf's schema element, with its logical and converted type.
    public let element: SchemaElement
    /// The type Sparrow decodes the leaf's values to.
    public let dataType: DataType

    /// `a.b.c`, as tools print column paths.
    public var dottedPath: String { path.joined(separator: ".") }
}
