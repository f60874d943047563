import Columnar

/// Copies rows picked from several batches (by row number over the batches in sequence) into
/// new batches.
enum BatchGather {
    static func gather(_ batches: [RecordBatch], schema: Schema, rows: ArraySlice<UInt32>, maxRows: Int) -> [RecordBatch] {
        var output: [RecordBatch] = []
        guard !rows.isEmpty else { return output }
        if batches.count == 1 {
            var chunkStart = rows.startIndex
            while chunkStart < rows.endIndex {
                let chunk = rows[chunkStart..<min(rows.endIndex, chunkStart + maxRows)]
                chunkStart = chunk.endIndex
                let indices = Buffer(copying: chunk.map { Int32(bitPattern: $0) })
                output.append(RecordBatch(schema: schema, columns: batches[0].columns.map { $0.gatherKeepingDictionary(indices, count: chunk.count) },
                                          rowCount: chunk.count))
            }
            return output
        }
        return Prepared(batches, schema: schema).gather(rows: rows, maxRows: maxRows)
    }

    /// Batches made ready to gather rows from, any number of times: dictionaries decoded (or
    /// kept when all batches share one), nested columns concatenated, once.
    struct Prepared {
        let schema: Schema
        private let starts: [Int]
        private let sources: [Source]
        /// Row → its batch, so that gathering needs no search; only when asked for (4 bytes a
        /// row) and there are several batches.
        private let batchOfRow: [Int32]
        /// The columns of the only batch, gathered from as they are (nothing to decode, no row
        /// to look up a batch for); nil for several batches.
        private let single: [Column]?

        init(_ batches: [RecordBatch], schema: Schema, indexingRows: Bool = false) {
            self.schema = schema
            var starts: [Int] = [0]
            for batch in batches { starts.append(starts.last! + batch.rowCount) }
            self.starts = starts
            single = batches.count == 1 ? batches[0].columns : nil
            sources = batches.count == 1 ? [] : schema.fields.indices.map { c in Source(batches.map { $0.columns[c] }) }
            if indexingRows && batches.count > 1 {
                batchOfRow = [Int32](unsafeUninitializedCapacity: starts.last!) { index, initialized in
                    for b in batches.indices {
                        (index.baseAddress! + starts[b]).initialize(repeating: Int32(b), count: starts[b + 1] - starts[b])
                    }
                    initialized = starts.last!
                }
            } else {
                batchOfRow = []
            }
        }

        /// Bytes of the row index.
        var indexByteSize: Int { batchOfRow.count * 4 }

        /// `rows` (row numbers over the batches in sequence) in batches of at most `maxRows`.
        func gather(rows: ArraySlice<UInt32>, maxRows: Int) -> [RecordBatch] {
            var output: [RecordBatch] = []
            var chunkStart = rows.startIndex
            while chunkStart < rows.endIndex {
                let chunk = rows[chunkStart..<min(rows.endIndex, chunkStart + maxRows)]
                chunkStart = chunk.endIndex
                let columns = chunk.withUnsafeBufferPointer { self.columns(rows: $0) }
                output.append(RecordBatch(schema: schema, columns: columns, rowCount: chunk.count))
            }
            return output
        }

        /// `rows` (row numbers over the batches in sequence), one column per field.
        func columns(rows: UnsafeBufferPointer<UInt32>) -> [Column] {
            if let single {
                // Row numbers are below 2^31 (a batch's rows are counted in Int32).
                return rows.withMemoryRebound(to: Int32.self) { indices in single.map { ColumnGather.gather($0, indices: indices) } }
            }
            let count = rows.count
            // Which batch and which row of it each output row comes from.
            var batchOf = [Int32](repeating: 0, count: count)
            let rowOf = [Int32](unsafeUninitializedCapacity: count) { rowOf, initialized in
                starts.withUnsafeBufferPointer { starts in
                    batchOf.withUnsafeMutableBufferPointer { batchOf in
                        let batchCount = starts.count - 1
                        if batchCount == 1 {
                            for i in 0..<count { rowOf[i] = Int32(truncatingIfNeeded: rows[i]) }
                        } else if !batchOfRow.isEmpty {
                            batchOfRow.withUnsafeBufferPointer { index in
                                for i in 0..<count {
                                    let row = Int(rows[i])
                                    let batch = index[row]
                                    batchOf[i] = batch
                                    rowOf[i] = Int32(truncatingIfNeeded: row &- starts[Int(batch)])
                                }
                            }
                        } else {
                            for i in 0..<count {
                                let row = Int(rows[i])
                                var low = 0
                                var high = batchCount - 1
                                while low < high {
                                    let middle = (low + high + 1) / 2
                                    if starts[middle] <= row { low = middle } else { high = middle - 1 }
                                }
                                batchOf[i] = Int32(low)
                                rowOf[i] = Int32(row - starts[low])
                            }
                        }
                    }
                }
                initialized = count
            }
            return sources.map { $0.gather(batchOf: batchOf, rowOf: rowOf, globalRows: rows) }
        }
    }

    /// One column of every input batch, ready to be gathered from.
    private enum Source {
        /// All batches share one dictionary: gather the indices.
        case sharedDictionary(indices: FlatSource, dictionary: Column)
        /// Lists and structs: all batches concatenated, gathered by global row number.
        case nested(Column)
        /// Plain fixed-width, boolean or variable-width columns.
        case flat(FlatSource)

        init(_ columns: [Column]) {
            if case .dictionary(_, let first) = columns[0].storage, columns.allSatisfy({ BatchGather.sameDictionary($0, first) }) {
                self = .sharedDictionary(indices: FlatSource(columns.map { column in
                    guard case .dictionary(let indices, _) = column.storage else { preconditionFailure() }
                    return Column(type: .int32, count: column.count, validity: column.validity, nullCount: column.nullCount,
                                  storage: .fixedWidth(indices))
                }), dictionary: first)
            } else if columns[0].type.isNested {
                self = .nested(Column.concatenated(columns))
            } else {
                self = .flat(FlatSource(columns.map { $0.materialized() }))
            }
        }

        func gather(batchOf: [Int32], rowOf: [Int32], globalRows: UnsafeBufferPointer<UInt32>) -> Column {
            switch self {
            case .sharedDictionary(let indices, let dictionary):
                let gathered = indices.gather(batchOf: batchOf, rowOf: rowOf)
                guard case .fixedWidth(let buffer) = gathered.storage else { preconditionFailure() }
                return Column(type: dictionary.type, count: gathered.count, validity: gathered.validity, nullCount: gathered.nullCount,
                              storage: .dictionary(indices: buffer, dictionary: dictionary))
            case .nested(let all):
                return all.gather(indices: Buffer(copying: globalRows.map { Int32(bitPattern: $0) }), count: globalRows.count)
            case .flat(let source):
                return source.gather(batchOf: batchOf, rowOf: rowOf)
            }
        }
    }

    /// Materialized flat columns (fixed-width, boolean or variable-width), one per batch, with
    /// raw pointers to their buffers taken once, so that gathering many times (a partitioned
    /// write gathers once per file) does not rebuild them and the per-row loops touch no Swift
    /// references.
    final class FlatSource: @unchecked Sendable {
        let type: DataType
        private let columns: [Column]
        private let validities: [UnsafeRawPointer?]
        private let storages: [(values: UnsafeRawPointer, offsets: UnsafePointer<Int32>?)]
        private let anyNulls: Bool

        init(_ plain: [Column]) {
            let type = plain[0].type
            self.type = type
            columns = plain
            validities = plain.map { $0.validity.map { UnsafeRawPointer($0.baseAddress) } }
            storages = plain.map { column in
                switch column.storage {
                case .fixedWidth(let data):
                    precondition(data.byteCount >= column.count * (type.byteWidth ?? 0), "short column buffer")
                    return (UnsafeRawPointer(data.baseAddress), nil)
                case .bits(let bits):
                    return (UnsafeRawPointer(bits.baseAddress), nil)
                case .variableWidth(let offsets, let data):
                    return (UnsafeRawPointer(data.baseAddress), UnsafePointer(offsets.baseAddress.assumingMemoryBound(to: Int32.self)))
                default:
                    preconditionFailure("\(type) column is not flat")
                }
            }
            anyNulls = plain.contains { $0.nullCount > 0 }
        }

        /// Row `rowOf[i]` of column `batchOf[i]` for each `i`.
        func gather(batchOf: [Int32], rowOf: [Int32]) -> Column {
            batchOf.withUnsafeBufferPointer { batchOf in
                rowOf.withUnsafeBufferPointer { rowOf in
                    validities.withUnsafeBufferPointer { validities in
                        storages.withUnsafeBufferPointer { storages in
                            BatchGather.gatherFlat(type, count: batchOf.count, batchOf: batchOf, rowOf: rowOf, validities: validities,
                                                   storages: storages, anyNulls: anyNulls)
                        }
                    }
                }
            }
        }
    }

    fileprivate static func gatherFlat(_ type: DataType, count: Int, batchOf: UnsafeBufferPointer<Int32>, rowOf: UnsafeBufferPointer<Int32>,
                                   validities: UnsafeBufferPointer<UnsafeRawPointer?>,
                                   storages: UnsafeBufferPointer<(values: UnsafeRawPointer, offsets: UnsafePointer<Int32>?)>,
                                   anyNulls: Bool) -> Column {
        var validity: Buffer?
        var nulls = 0
        if anyNulls {
            validity = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for i in 0..<count {
                    if let bits = validities[Int(batchOf[i])], !Bitmap.isSet(bits, Int(rowOf[i])) {
                        nulls += 1
                    } else {
                        Bitmap.set(raw.baseAddress!, i)
                    }
                }
            }
        }
        switch type.layout {
        case .fixedWidth(let width):
            let data = Buffer(byteCount: count * width) { raw in
                let out = raw.baseAddress!
                func copy<T>(_: T.Type) {
                    for i in 0..<count {
                        let value = storages[Int(batchOf[i])].values.loadUnaligned(fromByteOffset: Int(rowOf[i]) &* width, as: T.self)
                        out.storeBytes(of: value, toByteOffset: i &* width, as: T.self)
                    }
                }
                switch width {
                case 1: copy(UInt8.self)
                case 2: copy(UInt16.self)
                case 4: copy(UInt32.self)
                case 8: copy(UInt64.self)
                case 16: copy(UInt128.self)
                default:
                    for i in 0..<count {
                        (out + i * width).copyMemory(from: storages[Int(batchOf[i])].values + Int(rowOf[i]) * width, byteCount: width)
                    }
                }
            }
            return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .fixedWidth(data))
        case .bits:
            let bits = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for i in 0..<count where Bitmap.isSet(storages[Int(batchOf[i])].values, Int(rowOf[i])) {
                    Bitmap.set(raw.baseAddress!, i)
                }
            }
            return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .bits(bits))
        case .variableWidth:
            var total = 0
            for i in 0..<count {
                let offsets = storages[Int(batchOf[i])].offsets!
                let row = Int(rowOf[i])
                total += Int(offsets[row + 1] &- offsets[row])
            }
            precondition(total <= Int(Int32.max), "gathered values exceed 2 GiB")
            let offsets = Buffer(byteCount: (count + 1) * 4) { raw in
                let o = raw.bindMemory(to: Int32.self)
                o[0] = 0
                var position: Int32 = 0
                for i in 0..<count {
                    let source = storages[Int(batchOf[i])].offsets!
                    let row = Int(rowOf[i])
                    position &+= source[row + 1] &- source[row]
                    o[i + 1] = position
                }
            }
            let data = Buffer(byteCount: total) { raw in
                var position = 0
                for i in 0..<count {
                    let source = storages[Int(batchOf[i])]
                    let row = Int(rowOf[i])
                    let start = Int(source.offsets![row])
                    let length = Int(source.offsets![row + 1]) &- start
                    copyBytes(to: raw.baseAddress! + position, from: source.values + start, count: length)
                    position &+= length
                }
            }
            return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .variableWidth(offsets: offsets, data: data))
        case .list, .structure:
            preconditionFailure("nested columns are gathered as a whole")
        }
    }

    /// Copies a value's bytes; short values (most strings in tables) without a call to memmove.
    @inline(__always)
    private static func copyBytes(to target: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
        if count > 16 {
            target.copyMemory(from: source, byteCount: count)
        } else {
            for i in 0..<count { target.storeBytes(of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        }
    }

    static func sameDictionary(_ column: Column, _ dictionary: Column) -> Bool {
        guard case .dictionary(_, let other) = column.storage, other.count == dictionary.count else { return false }
        switch (other.storage, dictionary.storage) {
        case (.variableWidth(let o1, let d1), .variableWidth(let o2, let d2)): return o1 === o2 && d1 === d2 && other.validity === dictionary.validity
        case (.fixedWidth(let d1), .fixedWidth(let d2)): return d1 === d2 && other.validity === dictionary.validity
        default: return false
        }
    }
}

extension Column {
    /// The columns (all of one type) one after the other, in one column. Dictionary-encoded
    /// columns that share one dictionary stay encoded; others are decoded.
    ///
    /// Values and string bytes are copied a column's block at a time, offsets moved in one loop:
    /// a coalescing shuffle read joins hundreds of small batches with this.
    static func concatenated(_ columns: [Column]) -> Column {
        if case .dictionary(_, let dictionary) = columns[0].storage, columns.allSatisfy({ BatchGather.sameDictionary($0, dictionary) }) {
            let indices = concatenated(columns.map { column in
                guard case .dictionary(let indices, _) = column.storage else { preconditionFailure("checked above") }
                return Column(type: .int32, count: column.count, validity: column.validity, nullCount: column.nullCount,
                              storage: .fixedWidth(indices))
            })
            guard case .fixedWidth(let buffer) = indices.storage else { preconditionFailure("int32 columns are fixed width") }
            return Column(type: columns[0].type, count: indices.count, validity: indices.validity, nullCount: indices.nullCount,
                          storage: .dictionary(indices: buffer, dictionary: dictionary))
        }
        // Other dictionary-encoded columns are read through their dictionaries while copying,
        // unless a dictionary has NULL entries (then the rows' validity would not say it all).
        let plain = columns.map { column -> Column in
            if case .dictionary(_, let dictionary) = column.storage, dictionary.nullCount == 0,
               !dictionary.type.isNested, case .fixedWidth = dictionary.storage { return column }
            if case .dictionary(_, let dictionary) = column.storage, dictionary.nullCount == 0,
               case .variableWidth = dictionary.storage { return column }
            return column.materialized()
        }
        let type = plain[0].type
        let count = plain.reduce(0) { $0 + $1.count }
        var validity: Buffer?
        let nulls = plain.reduce(0) { $0 + $1.nullCount }
        if nulls > 0 {
            validity = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                let out = raw.baseAddress!
                var position = 0
                for column in plain {
                    if let bits = column.validity?.baseAddress {
                        for row in 0..<column.count where Bitmap.isSet(bits, row) { Bitmap.set(out, position &+ row) }
                    } else {
                        for row in 0..<column.count { Bitmap.set(out, position &+ row) }
                    }
                    position &+= column.count
                }
            }
        }
        let storage: Storage
        switch type.layout {
        case .fixedWidth(let width):
            storage = .fixedWidth(Buffer(byteCount: count * width) { raw in
                var position = 0
                for column in plain {
                    let out = raw.baseAddress! + position * width
                    switch column.storage {
                    case .fixedWidth(let data):
                        out.copyMemory(from: data.baseAddress, byteCount: column.count * width)
                    case .dictionary(let indices, let dictionary):
                        guard case .fixedWidth(let values) = dictionary.storage else { preconditionFailure("checked above") }
                        Self.decode(indices, values, width: width, validity: column.validity, count: column.count, into: out)
                    default:
                        preconditionFailure("\(type) column without fixed-width values")
                    }
                    position += column.count
                }
            })
        case .bits:
            storage = .bits(Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                let out = raw.baseAddress!
                var position = 0
                for column in plain {
                    guard case .bits(let bits) = column.storage else { preconditionFailure() }
                    for row in 0..<column.count where Bitmap.isSet(bits.baseAddress, row) { Bitmap.set(out, position &+ row) }
                    position &+= column.count
                }
            })
        case .variableWidth:
            // A plain column's bytes from its first offset to its last, as one block, its offsets
            // moved; an encoded one's values one by one from its dictionary.
            var total = 0
            for column in plain {
                switch column.storage {
                case .variableWidth(let o, _):
                    total += Int(o.load(column.count, as: Int32.self) &- o.load(0, as: Int32.self))
                case .dictionary(let indices, let dictionary):
                    guard case .variableWidth(let o, _) = dictionary.storage else { preconditionFailure("checked above") }
                    let index = indices.baseAddress.assumingMemoryBound(to: Int32.self)
                    let offsets = o.baseAddress.assumingMemoryBound(to: Int32.self)
                    let rowValidity = column.validity?.baseAddress
                    for row in 0..<column.count where rowValidity == nil || Bitmap.isSet(rowValidity!, row) {
                        let entry = Int(index[row])
                        total += Int(offsets[entry &+ 1] &- offsets[entry])
                    }
                default:
                    preconditionFailure("\(type) column without variable-width values")
                }
            }
            precondition(total <= Int(Int32.max), "concatenated values exceed 2 GiB")
            let offsets = Buffer(byteCount: (count + 1) * 4) { _ in }
            let data = Buffer(byteCount: total) { _ in }
            let outOffsets = offsets.baseAddress.assumingMemoryBound(to: Int32.self)
            outOffsets[0] = 0
            var row = 0
            var position = 0
            for column in plain {
                switch column.storage {
                case .variableWidth(let o, let bytes):
                    let source = o.baseAddress.assumingMemoryBound(to: Int32.self)
                    let first = Int(source[0])
                    for i in 0..<column.count { outOffsets[row &+ i &+ 1] = Int32(truncatingIfNeeded: position &+ (Int(source[i &+ 1]) &- first)) }
                    let length = Int(source[column.count]) &- first
                    if length > 0 { (data.baseAddress + position).copyMemory(from: bytes.baseAddress + first, byteCount: length) }
                    position &+= length
                case .dictionary(let indices, let dictionary):
                    guard case .variableWidth(let o, let bytes) = dictionary.storage else { preconditionFailure("checked above") }
                    let index = indices.baseAddress.assumingMemoryBound(to: Int32.self)
                    let source = o.baseAddress.assumingMemoryBound(to: Int32.self)
                    let rowValidity = column.validity?.baseAddress
                    for i in 0..<column.count {
                        if rowValidity == nil || Bitmap.isSet(rowValidity!, i) {
                            let entry = Int(index[i])
                            let start = Int(source[entry])
                            let length = Int(source[entry &+ 1]) &- start
                            if length > 0 { (data.baseAddress + position).copyMemory(from: bytes.baseAddress + start, byteCount: length) }
                            position &+= length
                        }
                        outOffsets[row &+ i &+ 1] = Int32(truncatingIfNeeded: position)
                    }
                default:
                    preconditionFailure("\(type) column without variable-width values")
                }
                row &+= column.count
            }
            storage = .variableWidth(offsets: offsets, data: data)
        case .list:
            var offsets: [Int32] = [0]
            var children: [Column] = []
            var base: Int32 = 0
            for column in plain {
                guard case .list(let o, let values) = column.storage else { preconditionFailure() }
                // Only the child values the rows use, so that the offsets run on without gaps.
                let first = o.load(0, as: Int32.self)
                let last = o.load(column.count, as: Int32.self)
                for row in 0..<column.count { offsets.append(base + o.load(row + 1, as: Int32.self) - first) }
                base += last - first
                children.append(first == 0 && Int(last) == values.count ? values : values.slice(Int(first)..<Int(last)))
            }
            storage = .list(offsets: Buffer(copying: offsets), values: concatenated(children.map { $0.materialized() }))
        case .structure:
            guard case .structure(let first) = plain[0].storage else { preconditionFailure("a struct column without children") }
            storage = .structure(first.indices.map { i in
                concatenated(plain.map { column in
                    guard case .structure(let children) = column.storage else { preconditionFailure() }
                    return children[i].materialized()
                })
            })
        }
        return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: storage)
    }

    /// Writes the dictionary values of `count` rows (`width` bytes each; 0 for NULL rows, whose
    /// index is not read) to `out`.
    private static func decode(_ indices: Buffer, _ values: Buffer, width: Int, validity: Buffer?, count: Int,
                               into out: UnsafeMutableRawPointer) {
        let index = indices.baseAddress.assumingMemoryBound(to: Int32.self)
        let source = UnsafeRawPointer(values.baseAddress)
        func copy<T: FixedWidthInteger>(_: T.Type) {
            let target = out.assumingMemoryBound(to: T.self)
            if let bits = validity?.baseAddress {
                for row in 0..<count {
                    target[row] = Bitmap.isSet(bits, row) ? source.loadUnaligned(fromByteOffset: Int(index[row]) &* width, as: T.self) : 0
                }
            } else {
                for row in 0..<count { target[row] = source.loadUnaligned(fromByteOffset: Int(index[row]) &* width, as: T.self) }
            }
        }
        switch width {
        case 1: copy(UInt8.self)
        case 2: copy(UInt16.self)
        case 4: copy(UInt32.self)
        case 8: copy(UInt64.self)
        case 16: copy(UInt128.self)
        default:
            for row in 0..<count {
                if validity == nil || Bitmap.isSet(validity!.baseAddress, row) {
                    (out + row * width).copyMemory(from: source + Int(index[row]) * width, byteCount: width)
                } else {
                    (out + row * width).initializeMemory(as: UInt8.self, repeating: 0, count: width)
                }
            }
        }
    }
}
