import Columnar
import Parquet

/// What `sparrow inspect` shows of a file, as text or JSON.
struct FileReport {
    let reader: ParquetFileReader

    private var metadata: FileMetaData { reader.metadata }
    private var columns: [ColumnDescriptor] { reader.schema.columns }

    func json() -> JSONValue {
        .object([
            ("file", .string(reader.path)),
            ("file_size", .int(reader.file.size)),
            ("footer_size", .int(reader.footerLength)),
            ("created_by", .optional(metadata.createdBy)),
            ("format_version", .int(metadata.version)),
            ("num_rows", .int(metadata.numRows)),
            ("num_row_groups", .int(metadata.rowGroups.count)),
            ("key_value_metadata", .object((metadata.keyValueMetadata ?? []).map { ($0.key, .optional($0.value)) })),
            ("schema", .array(reader.schema.schema.fields.map { fieldJSON($0) })),
            ("columns", .array(columns.map(columnJSON))),
            ("row_groups", .array(metadata.rowGroups.enumerated().map { rowGroupJSON($0.offset, $0.element) })),
        ])
    }

    private func fieldJSON(_ field: Field) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(field.name)),
            ("type", .string(field.type.description)),
            ("nullable", .bool(field.isNullable)),
        ]
        if let id = field.fieldID { members.append(("field_id", .int(id))) }
        return .object(members)
    }

    private func columnJSON(_ column: ColumnDescriptor) -> JSONValue {
        let element = column.element
        return .object([
            ("path", .string(column.dottedPath)),
            ("physical_type", .string(column.physicalType.description)),
            ("type_length", column.physicalType == .fixedLenByteArray ? .int(column.typeLength) : .null),
            ("logical_type", .optional(element.logicalType?.description)),
            ("converted_type", .optional(element.convertedType?.description)),
            ("repetition", .optional(element.repetitionType?.description)),
            ("max_definition_level", .int(column.maxDefinitionLevel)),
            ("max_repetition_level", .int(column.maxRepetitionLevel)),
            ("sparrow_type", .string(column.dataType.description)),
        ])
    }

    private func rowGroupJSON(_ index: Int, _ group: RowGroup) -> JSONValue {
        .object([
            ("index", .int(index)),
            ("num_rows", .int(group.numRows)),
            ("total_byte_size", .int(group.totalByteSize)),
            ("total_compressed_size", .optional(group.totalCompressedSize)),
            ("columns", .array(group.columns.enumerated().map { chunkJSON($0.element, columns[$0.offset]) })),
        ])
    }

    private func chunkJSON(_ chunk: ColumnChunk, _ column: ColumnDescriptor) -> JSONValue {
        guard let meta = chunk.metaData else {
            return .object([("path", .string(column.dottedPath)), ("metadata", .null)])
        }
        return .object([
            ("path", .string(column.dottedPath)),
            ("codec", .string(meta.codec.description)),
            ("encodings", .array(meta.encodings.map { .string($0.description) })),
            ("num_values", .int(meta.numValues)),
            ("compressed_size", .int(meta.totalCompressedSize)),
            ("uncompressed_size", .int(meta.totalUncompressedSize)),
            ("data_page_offset", .int(meta.dataPageOffset)),
            ("dictionary_page_offset", .optional(meta.dictionaryPageOffset)),
            ("statistics", meta.statistics.map { statisticsJSON($0, column) } ?? .null),
            ("column_index", .bool(chunk.columnIndexOffset != nil)),
            ("offset_index", .bool(chunk.offsetIndexOffset != nil)),
            ("bloom_filter", .bool(meta.bloomFilterOffset != nil)),
        ])
    }

    private func statisticsJSON(_ stats: Statistics, _ column: ColumnDescriptor) -> JSONValue {
        let bounds = StatisticsValues(stats, column: column, metadata: metadata)
        return .object([
            ("null_count", .optional(stats.nullCount)),
            ("distinct_count", .optional(stats.distinctCount)),
            ("min", bounds.min.map { .raw($0) } ?? .null),
            ("max", bounds.max.map { .raw($0) } ?? .null),
            ("min_exact", stats.isMinValueExact.map { .bool($0) } ?? .null),
            ("max_exact", stats.isMaxValueExact.map { .bool($0) } ?? .null),
        ])
    }

    func text() -> String {
        var out = ""
        out += "file          \(reader.path) (\(reader.file.size) bytes, footer \(reader.footerLength) bytes)\n"
        out += "created by    \(metadata.createdBy ?? "(not recorded)")\n"
        out += "version       \(metadata.version)\n"
        out += "rows          \(metadata.numRows) in \(metadata.rowGroups.count) row group\(metadata.rowGroups.count == 1 ? "" : "s")\n"
        for kv in metadata.keyValueMetadata ?? [] {
            let value = kv.value ?? "(null)"
            out += "metadata      \(kv.key) = \(value.count > 60 ? String(value.prefix(57)) + "..." : value)\n"
        }
        out += "\nschema\n"
        out += TextTable(
            headers: ["column", "physical", "logical", "repetition", "def", "rep", "sparrow type"],
            rows: columns.map { column in
                let element = column.element
                let physical = column.physicalType == .fixedLenByteArray
                    ? "\(column.physicalType)(\(column.typeLength))" : column.physicalType.description
                return [column.dottedPath, physical,
                        element.logicalType?.description ?? element.convertedType?.description ?? "",
                        element.repetitionType?.description ?? "", String(column.maxDefinitionLevel),
                        String(column.maxRepetitionLevel), column.dataType.description]
            }).render()
        for (index, group) in metadata.rowGroups.enumerated() {
            out += "\nrow group \(index): \(group.numRows) rows, \(group.totalCompressedSize.map(String.init) ?? "?") bytes compressed, \(group.totalByteSize) uncompressed\n"
            out += TextTable(
                headers: ["column", "codec", "encodings", "values", "compressed", "uncompressed", "nulls", "min", "max", "index", "bloom"],
                rows: group.columns.enumerated().map { position, chunk in
                    let column = columns[position]
                    guard let meta = chunk.metaData else { return [column.dottedPath, "(no metadata)"] }
                    let bounds = meta.statistics.map { StatisticsValues($0, column: column, metadata: metadata) }
                    let nulls = meta.statistics?.nullCount.map(String.init) ?? ""
                    let index = chunk.columnIndexOffset != nil || chunk.offsetIndexOffset != nil ? "yes" : "no"
                    return [column.dottedPath, meta.codec.description,
                            meta.encodings.map(\.description).joined(separator: ","), String(meta.numValues),
                            String(meta.totalCompressedSize), String(meta.totalUncompressedSize), nulls,
                            Self.clip(bounds?.min ?? ""), Self.clip(bounds?.max ?? ""), index,
                            meta.bloomFilterOffset != nil ? "yes" : "no"]
                }).render()
        }
        return out
    }

    private static func clip(_ text: String) -> String {
        text.count > 24 ? String(text.prefix(23)) + "…" : text
    }
}
