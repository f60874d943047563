/// Convenience constructors for nested and dictionary-encoded columns, for tests and literals.
extension Column {
    /// A list column: row `i` holds the next `lengths[i]` values of `values`, or is null when
    /// `lengths[i]` is nil. `values` must hold exactly the listed values.
    public init(list element: Field, values: Column, lengths: [Int?]) {
        let offsets = Column.offsets(lengths, childCount: values.count)
        self.init(type: .list(element), count: lengths.count, validity: Column.validity(lengths.map { $0 != nil }),
                  storage: .list(offsets: offsets, values: values))
    }

    /// A map column: row `i` holds the next `lengths[i]` entries of `keys` and `values`, or is null
    /// when `lengths[i]` is nil. The entries are a struct of `key` and `value`, as in Parquet.
    public init(map key: Field, value: Field, keys: Column, values: Column, lengths: [Int?]) {
        precondition(keys.count == values.count, "\(keys.count) keys, \(values.count) values")
        let entries = Column(structure: [key, value], children: [keys, values])
        let offsets = Column.offsets(lengths, childCount: entries.count)
        self.init(type: .map(key: key, value: value), count: lengths.count,
                  validity: Column.validity(lengths.map { $0 != nil }),
                  storage: .list(offsets: offsets, values: entries))
    }

    /// A struct column of `children`, one per field, all equally long; row `i` is null when
    /// `present[i]` is false.
    public init(structure fields: [Field], children: [Column], present: [Bool]? = nil) {
        precondition(fields.count == children.count, "\(fields.count) fields, \(children.count) children")
        let count = children.first?.count ?? present?.count ?? 0
        precondition(children.allSatisfy { $0.count == count }, "struct children of different lengths")
        precondition(present == nil || present!.count == count, "validity of a different length")
        self.init(type: .structure(fields), count: count, validity: present.flatMap { Column.validity($0) },
                  storage: .structure(children))
    }

    /// A dictionary-encoded column: row `i` is `dictionary[indices[i]]`, or null when
    /// `indices[i]` is nil.
    public init(dictionary: Column, indices: [Int32?]) {
        precondition(indices.allSatisfy { $0 == nil || (0..<Int32(dictionary.count)).contains($0!) },
                     "dictionary index out of range")
        self.init(type: dictionary.type, count: indices.count, validity: Column.validity(indices.map { $0 != nil }),
                  storage: .dictionary(indices: Buffer(copying: indices.map { $0 ?? 0 }), dictionary: dictionary))
    }

    /// `Int32` offsets for consecutive runs of `lengths` (nil counts as empty).
    private static func offsets(_ lengths: [Int?], childCount: Int) -> Buffer {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(lengths.count + 1)
        for length in lengths { offsets.append(offsets.last! + Int32(length ?? 0)) }
        precondition(Int(offsets.last!) == childCount, "lengths add up to \(offsets.last!), not \(childCount)")
        return Buffer(copying: offsets)
    }
}
