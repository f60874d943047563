import Columnar

/// A node of the Parquet schema tree, with the definition and repetition levels it implies.
public final class SchemaNode: Sendable {
    public let element: SchemaElement
    public let children: [SchemaNode]
    /// Names from the root's child down to this node; empty for the root.
    public let path: [String]
    /// Definition level of a value present at this node (counts the optional and repeated nodes
    /// from the root down to and including this one).
    public let definitionLevel: Int
    /// Repetition level of this node (counts the repeated nodes down to and including this one).
    public let repetitionLevel: Int
    /// For leaves, the index of the leaf column; nil for groups.
    public let leafIndex: Int?

    init(element: SchemaElement, children: [SchemaNode], path: [String], definitionLevel: Int,
         repetitionLevel: Int, leafIndex: Int?) {
        self.element = element
        self.children = children
        self.path = path
        self.definitionLevel = definitionLevel
        self.repetitionLevel = repetitionLevel
        self.leafIndex = leafIndex
    }

    public var name: String { element.name }
    public var isLeaf: Bool { leafIndex != nil }
    public var repetition: FieldRepetitionType { element.repetitionType ?? .required }

    /// Leaf column indices under this node, in order.
    public var leafIndices: [Int] {
        if let leafIndex { return [leafIndex] }
        return children.flatMap(\.leafIndices)
    }
}
