import Columnar

/// How a top-level field is rebuilt from the definition and repetition levels of its leaves.
///
/// Each nullable node is present when a value's definition level reaches the node's own level
/// (for required nodes that level equals the parent's, so they are present whenever the parent
/// is). A list is non-null at `definitionLevel`, has at least one element at
/// `elementDefinitionLevel`, and starts a new element whenever the repetition level equals its
/// `repetitionLevel`. Maps are lists of key/value structs.
indirect enum FieldAssembly: Sendable {
    case leaf(column: Int, definitionLevel: Int)
    case structure(definitionLevel: Int, children: [FieldAssembly])
    case list(definitionLevel: Int, elementDefinitionLevel: Int, repetitionLevel: Int, element: FieldAssembly)

    /// The Sparrow field and assembly for `node`, following the LIST/MAP rules of LogicalTypes.md,
    /// including its backward-compatibility rules for two-level lists.
    static func make(
        for node: SchemaNode, columns: [ColumnDescriptor], parentDefinitionLevel: Int
    ) throws -> (Field, FieldAssembly) {
        let nullable = node.repetition == .optional
        let fieldID = node.element.fieldId

        if let leafIndex = node.leafIndex {
            let type = columns[leafIndex].dataType
            if node.repetition == .repeated {
                // A bare repeated primitive is a required list of required values.
                let element = FieldAssembly.leaf(column: leafIndex, definitionLevel: node.definitionLevel)
                return (Field(node.name, .list(Field(node.name, type, isNullable: false)), isNullable: false, fieldID: fieldID),
                        .list(definitionLevel: parentDefinitionLevel, elementDefinitionLevel: node.definitionLevel,
                              repetitionLevel: node.repetitionLevel, element: element))
            }
            return (Field(node.name, type, isNullable: nullable, fieldID: fieldID),
                    .leaf(column: leafIndex, definitionLevel: node.definitionLevel))
        }

        let isList = node.element.logicalType == .list || node.element.convertedType == .list
        let isMap = node.element.logicalType == .map || node.element.convertedType == .map
            || node.element.convertedType == .mapKeyValue

        if (isList || isMap), node.repetition != .repeated, node.children.count == 1,
           node.children[0].repetition == .repeated {
            let repeated = node.children[0]
            let listLevel = node.definitionLevel
            if isMap, repeated.children.count == 2 {
                let (keyField, keyAssembly) = try make(for: repeated.children[0], columns: columns,
                                                       parentDefinitionLevel: repeated.definitionLevel)
                let (valueField, valueAssembly) = try make(for: repeated.children[1], columns: columns,
                                                           parentDefinitionLevel: repeated.definitionLevel)
                var key = keyField
                key.isNullable = false
                let entries = FieldAssembly.structure(definitionLevel: repeated.definitionLevel,
                                                      children: [keyAssembly, valueAssembly])
                return (Field(node.name, .map(key: key, value: valueField), isNullable: nullable, fieldID: fieldID),
                        .list(definitionLevel: listLevel, elementDefinitionLevel: repeated.definitionLevel,
                              repetitionLevel: repeated.repetitionLevel, element: entries))
            }
            let elementField: Field
            let elementAssembly: FieldAssembly
            if let leafIndex = repeated.leafIndex {
                // Two-level list of primitives: the repeated field is the element.
                elementField = Field(repeated.name, columns[leafIndex].dataType, isNullable: false)
                elementAssembly = .leaf(column: leafIndex, definitionLevel: repeated.definitionLevel)
            } else if repeated.children.count > 1 || repeated.name == "array"
                        || repeated.name == node.name + "_tuple" || isMap {
                // Two-level list whose repeated group is the element struct.
                (elementField, elementAssembly) = try structure(of: repeated, named: repeated.name,
                                                                 columns: columns, nullable: false)
            } else {
                (elementField, elementAssembly) = try make(for: repeated.children[0], columns: columns,
                                                           parentDefinitionLevel: repeated.definitionLevel)
            }
            return (Field(node.name, .list(elementField), isNullable: nullable, fieldID: fieldID),
                    .list(definitionLevel: listLevel, elementDefinitionLevel: repeated.definitionLevel,
                          repetitionLevel: repeated.repetitionLevel, element: elementAssembly))
        }

        if node.repetition == .repeated {
            // A bare repeated group is a required list of required structs.
            let (elementField, elementAssembly) = try structure(of: node, named: node.name, columns: columns, nullable: false)
            return (Field(node.name, .list(elementField), isNullable: false, fieldID: fieldID),
                    .list(definitionLevel: parentDefinitionLevel, elementDefinitionLevel: node.definitionLevel,
                          repetitionLevel: node.repetitionLevel, element: elementAssembly))
        }
        var (field, assembly) = try structure(of: node, named: node.name, columns: columns, nullable: nullable)
        field.fieldID = fieldID
        return (field, assembly)
    }

    private static func structure(
        of node: SchemaNode, named name: String, columns: [ColumnDescriptor], nullable: Bool
    ) throws -> (Field, FieldAssembly) {
        var fields: [Field] = []
        var assemblies: [FieldAssembly] = []
        for child in node.children {
            let (field, assembly) = try make(for: child, columns: columns, parentDefinitionLevel: node.definitionLevel)
            fields.append(field)
            assemblies.append(assembly)
        }
        return (Field(name, .structure(fields), isNullable: nullable),
                .structure(definitionLevel: node.definitionLevel, children: assemblies))
    }

    /// Leaf column indices under this node, in order.
    var leafColumns: [Int] {
        switch self {
        case .leaf(let column, _): [column]
        case .structure(_, let children): children.flatMap(\.leafColumns)
        case .list(_, _, _, let element): element.leafColumns
        }
    }
}
