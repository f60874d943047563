import Columnar

/// Copies rows picked from several batches (by row number over the batches in sequence) into
/// new batches.
enum BatchGather {
    static func gather(_ batches: [RecordBatch], schema: Schema, rows: ArraySlice<UInt32>, maxRows: Int) -> [RecordBatch] {
        var output: [RecordBatch] = []
        var starts: [Int] = [0]
        for batch in batches { starts.append(starts.last! + batch.rowCount) }
        var chunkStart = rows.startIndex
        while chunkStart < rows.endIndex {
            let chunk = rows[chunkStart..<min(rows.endIndex, chunkStart + maxRows)]
            chunkStart = chunk.endIndex
            if batches.count == 1 {
                let indices = Buffer(copying: chunk.map { Int32(bitPattern: $0) })
                output.append(RecordBatch(schema: schema, columns: batches[0].columns.map { $0.gatherKeepingDictionary(indices, count: chunk.count) },
                                          rowCount: chunk.count))
                continue
            }
            // Which batch and which row of it each output row comes from.
            var sources = [Int32](repeating: 0, count: chunk.count)
            var locals = [Int32](repeating: 0, count: chunk.count)
            for (i, row) in chunk.enumerated() {
                var low = 0
                var high = batches.count - 1
                while low < high {
                    let middle = (low + high + 1) / 2
                    if starts[middle] <= Int(row) { low = middle } else { high = middle - 1 }
                }
                sources[i] = Int32(low)
                locals[i] = Int32(Int(row) - starts[low])
            }
            let columns = schema.fields.indices.map { c in
                gather(batches.map { $0.columns[c] }, sources: sources, locals: locals, globalRows: chunk, starts: starts)
            }
            output.append(RecordBatch(schema: schema, columns: columns, rowCount: chunk.count))
        }
        return output
    }

    /// One column of the output: `sources[i]`'s row `locals[i]` for each `i`.
    private static func gather(_ columns: [Column], sources: [Int32], locals: [Int32], globalRows: ArraySlice<UInt32>,
                               starts: [Int]) -> Column {
        let type = columns[0].type
        let count = sources.count
        if case .dictionary(_, let first) = columns[0].storage, columns.allSatisfy({ sameDictionary($0, first) }) {
            // One dictionary for all batches: gather the indices only.
            let indexColumns = columns.map { column -> Column in
                guard case .dictionary(let indices, _) = column.storage else { preconditionFailure() }
                return Column(type: .int32, count: column.count, validity: column.validity, nullCount: column.nullCount,
                              storage: .fixedWidth(indices))
            }
            let gathered = gather(indexColumns, sources: sources, locals: locals, globalRows: globalRows, starts: starts)
            guard case .fixedWidth(let indices) = gathered.storage else { preconditionFailure() }
            return Column(type: type, count: count, validity: gathered.validity, nullCount: gathered.nullCount,
                          storage: .dictionary(indices: indices, dictionary: first))
        }
        if type.isNested {
            let all = Column.concatenated(columns)
            return all.gather(indices: Buffer(copying: globalRows.map { Int32(bitPattern: $0) }), count: count)
        }
        let plain = columns.map { $0.materialized() }
        var validity: Buffer?
        var nulls = 0
        if plain.contains(where: { $0.nullCount > 0 }) {
            validity = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for i in 0..<count {
                    if plain[Int(sources[i])].isNull(Int(locals[i])) { nulls += 1 } else { Bitmap.set(raw.baseAddress!, i) }
                }
            }
        }
        switch type.layout {
        case .fixedWidth(let width):
            let bases = plain.map { column -> UnsafeRawPointer in
                guard case .fixedWidth(let data) = column.storage else { preconditionFailure("fixed-width column without values") }
                precondition(data.byteCount >= column.count * width, "short column buffer")
                return UnsafeRawPointer(data.baseAddress)
            }
            let data = Buffer(byteCount: count * width) { raw in
                let out = raw.baseAddress!
                func copy<T>(_: T.Type) {
                    for i in 0..<count {
                        let value = bases[Int(sources[i])].loadUnaligned(fromByteOffset: Int(locals[i]) * width, as: T.self)
                        out.storeBytes(of: value, toByteOffset: i * width, as: T.self)
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
                        (out + i * width).copyMemory(from: bases[Int(sources[i])] + Int(locals[i]) * width, byteCount: width)
                    }
                }
            }
            return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .fixedWidth(data))
        case .bits:
            let bits = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for i in 0..<count where plain[Int(sources[i])].booleanValue(at: Int(locals[i])) {
                    Bitmap.set(raw.baseAddress!, i)
                }
            }
            return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .bits(bits))
        case .variableWidth:
            let parts = plain.map { column -> (offsets: UnsafePointer<Int32>, data: UnsafeRawPointer) in
                guard case .variableWidth(let offsets, let data) = column.storage else { preconditionFailure("variable-width column without offsets") }
                return (UnsafePointer(offsets.baseAddress.assumingMemoryBound(to: Int32.self)), UnsafeRawPointer(data.baseAddress))
            }
            var total = 0
            for i in 0..<count {
                let part = parts[Int(sources[i])]
                let row = Int(locals[i])
                total += Int(part.offsets[row + 1] - part.offsets[row])
            }
            precondition(total <= Int(Int32.max), "gathered values exceed 2 GiB")
            let offsets = Buffer(byteCount: (count + 1) * 4) { raw in
                let o = raw.bindMemory(to: Int32.self)
                o[0] = 0
                var position: Int32 = 0
                for i in 0..<count {
                    let part = parts[Int(sources[i])]
                    let row = Int(locals[i])
                    position += part.offsets[row + 1] - part.offsets[row]
                    o[i + 1] = position
                }
            }
            let data = Buffer(byteCount: total) { raw in
                var position = 0
                for i in 0..<count {
                    let part = parts[Int(sources[i])]
                    let row = Int(locals[i])
                    let start = Int(part.offsets[row])
                    let length = Int(part.offsets[row + 1]) - start
                    if length > 0 { (raw.baseAddress! + position).copyMemory(from: part.data + start, byteCount: length) }
                    position += length
                }
            }
            return withExtendedLifetime(plain) {
                Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .variableWidth(offsets: offsets, data: data))
            }
        case .list, .structure:
            preconditionFailure("nested columns are gathered above")
        }
    }

    private static func sameDictionary(_ column: Column, _ dictionary: Column) -> Bool {
        guard case .dictionary(_, let other) = column.storage, other.count == dictionary.count else { return false }
        switch (other.storage, dictionary.storage) {
        case (.variableWidth(let o1, let d1), .variableWidth(let o2, let d2)): return o1 === o2 && d1 === d2 && other.validity === dictionary.validity
        case (.fixedWidth(let d1), .fixedWidth(let d2)): return d1 === d2 && other.validity === dictionary.validity
        default: return false
        }
    }
}

extension Column {
    /// The columns (all of one type) one after the other, in one column.
    static func concatenated(_ columns: [Column]) -> Column {
        let plain = columns.map { $0.materialized() }
        let type = plain[0].type
        let count = plain.reduce(0) { $0 + $1.count }
        var validity: Buffer?
        let nulls = plain.reduce(0) { $0 + $1.nullCount }
        if nulls > 0 {
            validity = Bitmap.buffer(from: plain.lazy.flatMap { column in (0..<column.count).lazy.map { !column.isNull($0) } }, count: count)
        }
        let storage: Storage
        switch plain[0].storage {
        case .fixedWidth:
            let width = type.byteWidth!
            storage = .fixedWidth(Buffer(byteCount: count * width) { raw in
                var position = 0
                for column in plain {
                    guard case .fixedWidth(let data) = column.storage else { preconditionFailure() }
                    (raw.baseAddress! + position).copyMemory(from: data.baseAddress, byteCount: column.count * width)
                    position += column.count * width
                }
            })
        case .bits:
            storage = .bits(Bitmap.buffer(from: plain.lazy.flatMap { column in (0..<column.count).lazy.map { column.booleanValue(at: $0) } },
                                          count: count))
        case .variableWidth:
            var offsets: [Int32] = [0]
            var bytes: [UInt8] = []
            for column in plain {
                guard case .variableWidth(let o, let data) = column.storage else { preconditionFailure() }
                for row in 0..<column.count {
                    let start = Int(o.load(row, as: Int32.self))
                    let end = Int(o.load(row + 1, as: Int32.self))
                    bytes.append(contentsOf: UnsafeRawBufferPointer(start: data.baseAddress + start, count: end - start))
                    offsets.append(Int32(bytes.count))
                }
            }
            storage = .variableWidth(offsets: Buffer(copying: offsets), data: Buffer(copying: bytes))
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
            storage = .list(offsets: Buffer(copying: offsets), values: concatenated(children))
        case .structure(let first):
            storage = .structure(first.indices.map { i in
                concatenated(plain.map { column in
                    guard case .structure(let children) = column.storage else { preconditionFailure() }
                    return children[i]
                })
            })
        case .dictionary:
            preconditionFailure("materialized columns have no dictionary")
        }
        return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: storage)
    }
}
