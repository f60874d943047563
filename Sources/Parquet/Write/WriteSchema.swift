import Columnar

/// The Parquet schema elements for a Sparrow schema, and the leaf layout the writer fills.
///
/// Lists are written in the three-level form of LogicalTypes.md (`<list> (LIST) { repeated group
/// list { <element> } }`) and maps as `<map> (MAP) { repeated group key_value { required key;
/// value } }`, the shapes pyarrow, Spark and DuckDB write and read.
struct WriteSchema {
    let elements: [SchemaElement]
    /// The same schema as the reader sees it: leaf descriptors and level assemblies.
    let parquet: ParquetSchema
    /// Physical layout of each leaf, parallel to `parquet.columns`.
    let leafTypes: [LeafWriteType]
    /// The Sparrow type of each leaf's values, parallel to `parquet.columns`.
    let leafDataTypes: [DataType]

    init(_ schema: Schema) throws {
        var elements = [SchemaElement(name: "schema", numChildren: Int32(schema.fields.count))]
        var leafTypes: [LeafWriteType] = []
        var leafDataTypes: [DataType] = []
        for field in schema.fields {
            try Self.append(field, name: field.name, to: &elements, leafTypes: &leafTypes, leafDataTypes: &leafDataTypes)
        }
        self.elements = elements
        self.leafTypes = leafTypes
        self.leafDataTypes = leafDataTypes
        self.parquet = try ParquetSchema(elements: elements)
    }

    private static func append(
        _ field: Field, name: String, to elements: inout [SchemaElement],
        leafTypes: inout [LeafWriteType], leafDataTypes: inout [DataType]
    ) throws {
        let repetition: FieldRepetitionType = field.isNullable ? .optional : .required
        switch field.type {
        case .structure(let children):
            guard !children.isEmpty else {
                throw ParquetError.invalidArgument("column '\(name)': Parquet cannot store a struct without fields")
            }
            elements.append(SchemaElement(repetitionType: repetition, name: name, numChildren: Int32(children.count),
                                          fieldId: field.fieldID))
            for child in children {
                try append(child, name: child.name, to: &elements, leafTypes: &leafTypes, leafDataTypes: &leafDataTypes)
            }
        case .list(let element):
            elements.append(SchemaElement(repetitionType: repetition, name: name, numChildren: 1,
                                          convertedType: .list, fieldId: field.fieldID, logicalType: .list))
            elements.append(SchemaElement(repetitionType: .repeated, name: "list", numChildren: 1))
            try append(element, name: "element", to: &elements, leafTypes: &leafTypes, leafDataTypes: &leafDataTypes)
        case .map(let key, let value):
            elements.append(SchemaElement(repetitionType: repetition, name: name, numChildren: 1,
                                          convertedType: .map, fieldId: field.fieldID, logicalType: .map))
            elements.append(SchemaElement(repetitionType: .repeated, name: "key_value", numChildren: 2))
            var requiredKey = key
            requiredKey.isNullable = false
            try append(requiredKey, name: "key", to: &elements, leafTypes: &leafTypes, leafDataTypes: &leafDataTypes)
            try append(value, name: "value", to: &elements, leafTypes: &leafTypes, leafDataTypes: &leafDataTypes)
        default:
            let type = try LeafWriteType(for: field.type)
            elements.append(SchemaElement(
                type: type.physicalType, typeLength: type.typeLength.map { Int32($0) }, repetitionType: repetition,
                name: name, convertedType: type.convertedType, scale: type.scale.map { Int32($0) },
                precision: type.precision.map { Int32($0) }, fieldId: field.fieldID, logicalType: type.logicalType))
            leafTypes.append(type)
            leafDataTypes.append(field.type)
        }
    }
}
