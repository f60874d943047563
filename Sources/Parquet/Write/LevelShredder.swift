import Columnar

/// Turns the columns of a batch into the definition levels, repetition levels and values of the
/// Parquet leaf columns: the inverse of `NestedAssembler`, following the same `FieldAssembly`.
struct LevelShredder {
    /// Shreds top-level field `column` described by `assembly` into its leaves (in leaf order).
    static func shred(_ column: Column, assembly: FieldAssembly, descriptors: [ColumnDescriptor]) throws -> [Int: LeafValues] {
        if case .leaf(let leaf, let definitionLevel) = assembly {
            return [leaf: flat(column, maxDefinitionLevel: descriptors[leaf].maxDefinitionLevel,
                               nullable: definitionLevel > 0, path: descriptors[leaf].dottedPath)]
        }
        var state = State()
        for leaf in assembly.leafColumns { state.leaves[leaf] = LeafState() }
        let materialized = column.materialized()
        for row in 0..<column.count {
            try emit(assembly, materialized, row, repetition: 0, parentDefinition: 0, state: &state)
        }
        var result: [Int: LeafValues] = [:]
        for (leaf, leafState) in state.leaves {
            let descriptor = descriptors[leaf]
            let values: Column
            if let source = leafState.column {
                values = source.gather(indices: Buffer(copying: leafState.indices), count: leafState.indices.count)
            } else {
                values = Column.nulls(descriptor.dataType, count: 0)
            }
            result[leaf] = LeafValues(
                entryCount: leafState.definition.count,
                definitionLevels: descriptor.maxDefinitionLevel > 0 ? leafState.definition : nil,
                repetitionLevels: descriptor.maxRepetitionLevel > 0 ? leafState.repetition : nil,
                values: values)
        }
        return result
    }

    /// A column without nesting: definition levels from its validity.
    static func flat(_ column: Column, maxDefinitionLevel: Int, nullable: Bool, path: String) -> LeafValues {
        var levels: [UInt16]? = nil
        if maxDefinitionLevel > 0 {
            let maxLevel = UInt16(maxDefinitionLevel)
            if let validity = column.validity {
                levels = (0..<column.count).map { Bitmap.isSet(validity.baseAddress, $0) ? maxLevel : maxLevel - 1 }
            } else {
                levels = [UInt16](repeating: maxLevel, count: column.count)
            }
        }
        return LeafValues(entryCount: column.count, definitionLevels: levels, repetitionLevels: nil, values: column)
    }

    private struct LeafState {
        var definition: [UInt16] = []
        var repetition: [UInt16] = []
        var column: Column?
        var indices: [Int32] = []
    }

    private struct State {
        var leaves: [Int: LeafState] = [:]
    }

    /// Records that every leaf under `assembly` has no value at this entry.
    private static func emitAbsent(_ assembly: FieldAssembly, repetition: UInt16, definition: Int, state: inout State) {
        for leaf in assembly.leafColumns {
            state.leaves[leaf]!.definition.append(UInt16(definition))
            state.leaves[leaf]!.repetition.append(repetition)
        }
    }

    private static func emit(
        _ assembly: FieldAssembly, _ column: Column, _ index: Int, repetition: UInt16, parentDefinition: Int,
        state: inout State
    ) throws {
        let isNull = column.isNull(index)
        switch assembly {
        case .leaf(let leaf, let definitionLevel):
            if isNull {
                try requireNullable(definitionLevel, parentDefinition, column)
                emitAbsent(assembly, repetition: repetition, definition: parentDefinition, state: &state)
            } else {
                state.leaves[leaf]!.definition.append(UInt16(definitionLevel))
                state.leaves[leaf]!.repetition.append(repetition)
                if state.leaves[leaf]!.column == nil { state.leaves[leaf]!.column = column }
                state.leaves[leaf]!.indices.append(Int32(index))
            }

        case .structure(let definitionLevel, let children):
            if isNull {
                try requireNullable(definitionLevel, parentDefinition, column)
                emitAbsent(assembly, repetition: repetition, definition: parentDefinition, state: &state)
                return
            }
            guard case .structure(let childColumns) = column.storage else { preconditionFailure("struct storage") }
            for (child, childColumn) in zip(children, childColumns) {
                try emit(child, childColumn, index, repetition: repetition, parentDefinition: definitionLevel, state: &state)
            }

        case .list(let definitionLevel, let elementDefinitionLevel, let repetitionLevel, let element):
            if isNull {
                try requireNullable(definitionLevel, parentDefinition, column)
                emitAbsent(assembly, repetition: repetition, definition: parentDefinition, state: &state)
                return
            }
            guard case .list(_, let values) = column.storage else { preconditionFailure("list storage") }
            let range = column.listRange(at: index)
            if range.isEmpty {
                emitAbsent(assembly, repetition: repetition, definition: definitionLevel, state: &state)
                return
            }
            for (k, position) in range.enumerated() {
                try emit(element, values, position, repetition: k == 0 ? repetition : UInt16(repetitionLevel),
                         parentDefinition: elementDefinitionLevel, state: &state)
            }
        }
    }

    private static func requireNullable(_ definitionLevel: Int, _ parentDefinition: Int, _ column: Column) throws {
        guard definitionLevel > parentDefinition else {
            throw ParquetError.invalidArgument("a non-nullable \(column.type) field holds a null")
        }
    }
}
