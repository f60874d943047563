import Columnar

/// The schema of a Parquet file: the tree of schema elements, its leaf columns, and the
/// equivalent Sparrow `Schema` (one field per top-level node, nested types for groups).
public struct ParquetSchema: Sendable {
    public let root: SchemaNode
    /// The leaf columns in file order.
    public let columns: [ColumnDescriptor]
    /// The Sparrow view of the top-level fields.
    public let schema: Schema
    /// How to rebuild each top-level field from its leaves; parallel to `schema.fields`.
    let assemblies: [FieldAssembly]

    /// The deepest schema Sparrow accepts; deeper trees are almost certainly corrupt.
    static let maxDepth = 64

    public init(elements: [SchemaElement], keyValueMetadata: [(key: String, value: String?)] = []) throws {
        guard let first = elements.first else {
            throw ParquetError.corrupt("the schema is empty")
        }
        var position = 1
        var columns: [ColumnDescriptor] = []
        let children = try ParquetSchema.buildChildren(
            count: Int(first.numChildren ?? 0), elements: elements, position: &position,
            parentPath: [], definitionLevel: 0, repetitionLevel: 0, depth: 1, columns: &columns)
        guard position == elements.count else {
            throw ParquetError.corrupt("the schema lists \(elements.count) elements but its tree uses \(position)")
        }
        root = SchemaNode(element: first, children: children, path: [], definitionLevel: 0,
                          repetitionLevel: 0, leafIndex: nil)
        self.columns = columns
        var fields: [Field] = []
        var assemblies: [FieldAssembly] = []
        for child in children {
            let (field, assembly) = try FieldAssembly.make(for: child, columns: columns, parentDefinitionLevel: 0)
            fields.append(field)
            assemblies.append(assembly)
        }
        self.schema = Schema(fields, metadata: keyValueMetadata)
        self.assemblies = assemblies
    }

    private static func buildChildren(
        count: Int, elements: [SchemaElement], position: inout Int, parentPath: [String],
        definitionLevel: Int, repetitionLevel: Int, depth: Int, columns: inout [ColumnDescriptor]
    ) throws -> [SchemaNode] {
        guard depth <= maxDepth else {
            throw ParquetError.corrupt("the schema is nested more than \(maxDepth) levels deep")
        }
        guard count >= 0, count <= elements.count - position else {
            throw ParquetError.corrupt("a schema group claims \(count) children but only \(elements.count - position) elements follow")
        }
        var nodes: [SchemaNode] = []
        nodes.reserveCapacity(count)
        for _ in 0..<count {
            // Nested groups consume elements too, so check before every read.
            guard position < elements.count else {
                throw ParquetError.corrupt("the schema's groups claim more children than the \(elements.count) elements it lists")
            }
            let element = elements[position]
            position += 1
            let repetition = element.repetitionType ?? .required
            var definition = definitionLevel
            var repetitionLevel = repetitionLevel
            switch repetition {
            case .required: break
            case .optional: definition += 1
            case .repeated:
                definition += 1
                repetitionLevel += 1
            default:
                throw ParquetError.corrupt("schema element '\(element.name)' has unknown repetition \(repetition.rawValue)")
            }
            let path = parentPath + [element.name]
            if let childCount = element.numChildren, element.type == nil || childCount > 0 {
                let children = try buildChildren(
                    count: Int(childCount), elements: elements, position: &position, parentPath: path,
                    definitionLevel: definition, repetitionLevel: repetitionLevel, depth: depth + 1,
                    columns: &columns)
                guard !children.isEmpty else {
                    throw ParquetError.corrupt("schema group '\(path.joined(separator: "."))' has no children")
                }
                nodes.append(SchemaNode(element: element, children: children, path: path,
                                        definitionLevel: definition, repetitionLevel: repetitionLevel, leafIndex: nil))
            } else {
                guard let physical = element.type else {
                    throw ParquetError.corrupt("schema element '\(path.joined(separator: "."))' has neither children nor a type")
                }
                guard (PhysicalType.boolean.rawValue...PhysicalType.fixedLenByteArray.rawValue).contains(physical.rawValue) else {
                    throw ParquetError.corrupt("column '\(path.joined(separator: "."))' has unknown physical type \(physical.rawValue)")
                }
                let dataType: DataType
                do {
                    dataType = try LogicalTypeMapping.dataType(for: element)
                } catch let error as ParquetError {
                    throw error.at(ParquetErrorLocation(column: path.joined(separator: ".")))
                }
                let length = physical == .int96 ? 12 : (physical == .fixedLenByteArray ? Int(element.typeLength ?? 0) : 0)
                let descriptor = ColumnDescriptor(
                    path: path, index: columns.count, physicalType: physical, typeLength: length,
                    maxDefinitionLevel: definition, maxRepetitionLevel: repetitionLevel,
                    element: element, dataType: dataType)
                nodes.append(SchemaNode(element: element, children: [], path: path, definitionLevel: definition,
                                        repetitionLevel: repetitionLevel, leafIndex: columns.count))
                columns.append(descriptor)
            }
        }
        return nodes
    }

    /// Index of the top-level field called `name`.
    public func fieldIndex(named name: String) -> Int? { schema.index(of: name) }

    /// The leaf columns that make up top-level field `index`.
    public func leafIndices(ofField index: Int) -> [Int] { root.children[index].leafIndices }

    /// True when top-level field `index` needs repetition/definition assembly beyond a validity mask.
    public func isNested(field index: Int) -> Bool {
        if case .leaf = assemblies[index] { return false }
        return true
    }
}
