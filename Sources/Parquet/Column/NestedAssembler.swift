import Columnar

/// Rebuilds nested columns (lists, maps, structs) from leaf levels, the Dremel way.
///
/// Work proceeds top-down over "slots": the entry index where each value of a node starts. The
/// top-level slots are the entries with repetition level 0. A struct's children share its slots;
/// a list's element slots are its own first entry plus every later entry whose repetition level
/// equals the list's, until an entry with a lower one; a leaf's slot is one entry, and its value is
/// the next dense value when the entry reaches the maximum definition level. Slots are computed
/// per leaf, because every leaf has its own level stream; list offsets and struct validity come
/// from the first leaf under the node, as in Arrow.
struct NestedAssembler {
    /// Levels and values for every leaf column of the file that the field uses, by leaf index.
    let leaves: [Int: LeafLevels]

    /// Assembles the field described by `assembly` for `rowCount` records.
    func assemble(_ assembly: FieldAssembly, type: DataType, rowCount: Int) throws -> Column {
        var slots: [Int: [Int32]] = [:]
        for column in assembly.leafColumns {
            guard let leaf = leaves[column] else { preconditionFailure("missing leaf \(column)") }
            var starts: [Int32] = []
            starts.reserveCapacity(rowCount)
            if leaf.repetitionLevels.isEmpty {
                starts.append(contentsOf: 0..<Int32(leaf.entryCount))
            } else {
                for (i, level) in leaf.repetitionLevels.enumerated() where level == 0 { starts.append(Int32(i)) }
            }
            guard starts.count == rowCount else {
                throw ParquetError.corrupt("leaf column \(column) holds \(starts.count) records where \(rowCount) were expected")
            }
            slots[column] = starts
        }
        return try build(assembly, type: type, slots: slots)
    }

    private func definition(_ leaf: LeafLevels, _ entry: Int32) -> Int {
        leaf.definitionLevels.isEmpty ? leaf.maxDefinitionLevel : Int(leaf.definitionLevels[Int(entry)])
    }

    private func build(_ assembly: FieldAssembly, type: DataType, slots: [Int: [Int32]]) throws -> Column {
        switch assembly {
        case .leaf(let column, let definitionLevel):
            return try buildLeaf(leaves[column]!, definitionLevel: definitionLevel, type: type, slots: slots[column]!)

        case .structure(let definitionLevel, let children):
            let first = assembly.leafColumns[0]
            let leaf = leaves[first]!
            let starts = slots[first]!
            let validity = validityBuffer(count: starts.count) { definition(leaf, starts[$0]) >= definitionLevel }
            guard case .structure(let fields) = type, fields.count == children.count else {
                preconditionFailure("struct assembly does not match \(type)")
            }
            var childColumns: [Column] = []
            for (child, field) in zip(children, fields) {
                var childSlots: [Int: [Int32]] = [:]
                for column in child.leafColumns {
                    guard slots[column]!.count == starts.count else {
                        throw ParquetError.corrupt("the leaves of a struct disagree on its number of values")
                    }
                    childSlots[column] = slots[column]
                }
                childColumns.append(try build(child, type: field.type, slots: childSlots))
            }
            return Column(type: type, count: starts.count, validity: validity, storage: .structure(childColumns))

        case .list(let definitionLevel, let elementDefinitionLevel, let repetitionLevel, let element):
            let elementType: DataType
            switch type {
            case .list(let field): elementType = field.type
            case .map(let key, let value): elementType = .structure([key, value])
            default: preconditionFailure("list assembly does not match \(type)")
            }
            var childSlots: [Int: [Int32]] = [:]
            var offsets: [Int32] = []
            var validity: Buffer? = nil
            for (position, column) in element.leafColumns.enumerated() {
                let leaf = leaves[column]!
                let starts = slots[column]!
                var elementStarts: [Int32] = []
                elementStarts.reserveCapacity(starts.count)
                let isFirst = position == 0
                if isFirst {
                    offsets.reserveCapacity(starts.count + 1)
                    offsets.append(0)
                }
                let rep = leaf.repetitionLevels
                let entryCount = leaf.entryCount
                for start in starts {
                    let def = definition(leaf, start)
                    if def >= elementDefinitionLevel {
                        elementStarts.append(start)
                        var i = Int(start) + 1
                        while i < entryCount {
                            let level = Int(rep[i])
                            if level < repetitionLevel { break }
                            if level == repetitionLevel { elementStarts.append(Int32(i)) }
                            i += 1
                        }
                    }
                    if isFirst { offsets.append(Int32(elementStarts.count)) }
                }
                if isFirst {
                    validity = validityBuffer(count: starts.count) { definition(leaf, starts[$0]) >= definitionLevel }
                } else if elementStarts.count != Int(offsets.last!) {
                    throw ParquetError.corrupt("the leaves of a list disagree on its number of elements")
                }
                childSlots[column] = elementStarts
            }
            let child = try build(element, type: elementType, slots: childSlots)
            return Column(type: type, count: offsets.count - 1, validity: validity,
                          storage: .list(offsets: Buffer(copying: offsets), values: child))
        }
    }

    private func buildLeaf(_ leaf: LeafLevels, definitionLevel: Int, type: DataType, slots: [Int32]) throws -> Column {
        // Value index of each present slot: the count of maximum-definition entries before it.
        var indices = [Int32](repeating: 0, count: slots.count)
        var present = [Bool](repeating: true, count: slots.count)
        var valueIndex: Int32 = 0
        var entry = 0
        let maxLevel = leaf.maxDefinitionLevel
        let defs = leaf.definitionLevels
        for (k, slot) in slots.enumerated() {
            if !defs.isEmpty {
                while entry < Int(slot) {
                    if Int(defs[entry]) == maxLevel { valueIndex += 1 }
                    entry += 1
                }
            } else {
                valueIndex = slot
            }
            if definition(leaf, slot) >= definitionLevel {
                indices[k] = valueIndex
            } else {
                present[k] = false
            }
        }
        guard Int(valueIndex) <= leaf.values.count,
              indices.allSatisfy({ Int($0) < max(leaf.values.count, 1) }) else {
            throw ParquetError.corrupt("definition levels refer to more values than the page holds")
        }
        let validity = present.allSatisfy { $0 } ? nil : Bitmap.buffer(from: present, count: present.count)
        if leaf.values.count == 0 {
            guard validity != nil || slots.isEmpty else {
                throw ParquetError.corrupt("definition levels refer to values the page does not hold")
            }
            return Column.nulls(type, count: slots.count)
        }
        return leaf.values.gather(indices: Buffer(copying: indices), count: slots.count, validity: validity)
    }

    private func validityBuffer(count: Int, _ isPresent: (Int) -> Bool) -> Buffer? {
        var allPresent = true
        let buffer = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            for i in 0..<count {
                if isPresent(i) { Bitmap.set(raw.baseAddress!, i) } else { allPresent = false }
            }
        }
        return allPresent ? nil : buffer
    }
}
