import Columnar

/// Assigns dense group ids (0, 1, 2… in order of first appearance) to the rows of batches of
/// key columns, and gives the key values of the groups back as columns.
///
/// Keys are first encoded column at a time into fixed-width key rows (`GroupKeyEncoder`); rows
/// of up to 8 bytes go to a table that keeps the keys in its slots, rows of up to 16 bytes to a
/// table of compact slots keyed by one 128-bit integer, wider ones to a table keyed by byte rows, and a lone string key needs no table (its interned codes are the ids).
/// The table kind is chosen once, from the key types.
final class GroupIndex {
    let encoder: GroupKeyEncoder

    private enum Table {
        case narrow(FixedKeyTable<UInt64>)
        case medium(CompactKeyTable<UInt128>)
        case wide(WideKeyTable)
        /// A lone string key: its interned codes are the group ids, no table needed.
        case interned(StringInterner)
    }

    private let table: Table
    /// For a lone dictionary-encoded key: the groups of the dictionary's entries.
    private var dictionaryMap: DictionaryGroupMap?
    private var rows: UnsafeMutableRawPointer
    private var rowCapacity: Int

    init(types: [DataType], nullable: [Bool]? = nil) throws {
        encoder = try GroupKeyEncoder(types: types, nullable: nullable)
        if encoder.parts.count == 1, case .interned(_, let interner) = encoder.parts[0] {
            table = .interned(interner)
        } else {
            switch encoder.stride {
            case 8: table = .narrow(FixedKeyTable())
            case 16: table = .medium(CompactKeyTable())
            default: table = .wide(WideKeyTable(stride: encoder.stride))
            }
        }
        rowCapacity = 1024
        rows = .allocate(byteCount: rowCapacity * encoder.stride, alignment: 64)
    }

    deinit { rows.deallocate() }

    var groupCount: Int {
        switch table {
        case .narrow(let t): t.groupCount
        case .medium(let t): t.groupCount
        case .wide(let t): t.groupCount
        case .interned(let interner): interner.count
        }
    }

    var memoryBytes: Int {
        let tableBytes = switch table {
        case .narrow(let t): t.memoryBytes
        case .medium(let t): t.memoryBytes
        case .wide(let t): t.memoryBytes
        case .interned: 0
        }
        return tableBytes + rowCapacity * encoder.stride + encoder.memoryBytes + (dictionaryMap?.memoryBytes ?? 0)
    }

    /// Writes the group id of each of the `count` rows of `keys` to `ids`.
    func groupIDs(_ keys: [Column], count: Int, into ids: UnsafeMutablePointer<Int32>) throws {
        if case .interned(let interner) = table {
            return try interner.intern(keys[0], into: UnsafeMutableRawPointer(ids), stride: 4, denseNull: true)
        }
        if keys.count == 1, let values = DictionaryGroupMap.dictionaryValues(of: keys[0]) {
            let map = dictionaryMap ?? DictionaryGroupMap()
            dictionaryMap = map
            return try map.groupIDs(keys[0], values: values, count: count, into: ids) { column, count, ids in
                try self.groupIDs([column], count: count, into: ids)
            }
        }
        if count > rowCapacity {
            rows.deallocate()
            rowCapacity = max(count, rowCapacity * 2)
            rows = .allocate(byteCount: rowCapacity * encoder.stride, alignment: 64)
        }
        try encoder.encode(keys, count: count, into: rows)
        let present = encoder.nullsOutOfBand ? keys[0].validity?.baseAddress : nil
        switch table {
        case .narrow(let t): t.findOrInsert(rows: rows, count: count, present: present, ids: ids)
        case .medium(let t): t.findOrInsert(rows: rows, count: count, present: present, ids: ids)
        case .wide(let t): t.findOrInsert(rows: rows, count: count, present: present, ids: ids)
        case .interned: preconditionFailure("handled above")
        }
    }

    /// The key values of groups `range`, one column per key.
    func keyColumns(_ range: Range<Int>) -> [Column] {
        let (keys, nullGroup): (StateArray, Int?)
        switch table {
        case .narrow(let t): (keys, nullGroup) = (t.keys, t.nullGroup)
        case .medium(let t): (keys, nullGroup) = (t.keys, t.nullGroup)
        case .wide(let t): (keys, nullGroup) = (t.keys, t.nullGroup)
        case .interned(let interner):
            let codes = range.map { UInt32($0) } + [0]
            return codes.withUnsafeBufferPointer { [interner.column(encoder.types[0], codes: $0.baseAddress!, stride: 4, count: range.count)] }
        }
        return encoder.decode(rows: keys.base + range.lowerBound * encoder.stride, count: range.count,
                              nullGroup: nullGroup.map { $0 - range.lowerBound })
    }
}
