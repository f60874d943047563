import Columnar

/// Decodes one column chunk, batch by batch: flat columns into columns with validity, repeated
/// columns into levels plus dense values for the nested assembler.
final class ColumnChunkReader {
    let descriptor: ColumnDescriptor
    private var pages: PageReader
    private var dictionary: DictionaryValues?
    private var page: DataPageDecoder?
    private var builder: DenseValueBuilder
    private let keepDictionaries: Bool

    /// `readFlat`'s definition levels, kept from batch to batch; from `BufferPool`, so that one
    /// column chunk after another reuses the same memory instead of zeroing fresh pages.
    private var flatDefinitionLevels: Buffer?

    // Levels decoded ahead of the records handed out (repeated columns only).
    private var pendingDefinition: [UInt16] = []
    private var pendingRepetition: [UInt16] = []
    private var pendingStart = 0

    /// Bounds the memory of one batch of a repeated column (levels are 4 bytes an entry), whatever
    /// the levels of a corrupt page claim.
    static let maxEntriesPerBatch = 1 << 25

    /// Levels decoded per refill when looking for record boundaries.
    private static let levelChunk = 4096

    init(descriptor: ColumnDescriptor, chunk: Buffer, chunkFileOffset: Int, metadata: ColumnMetaData,
         options: ReadOptions) throws {
        self.descriptor = descriptor
        self.pages = try PageReader(chunk: chunk, chunkFileOffset: chunkFileOffset, numValues: metadata.numValues,
                                    codec: metadata.codec, verifyChecksums: options.verifyChecksums)
        self.keepDictionaries = (options.keepDictionaries && descriptor.dataType.layout == .variableWidth
            && descriptor.physicalType == .byteArray)
            || (options.keepFixedWidthDictionaries && descriptor.dataType.byteWidth != nil && descriptor.path.count == 1)
        self.builder = DenseValueBuilder(descriptor: descriptor)
    }

    /// Moves to the next data page, decoding a dictionary page on the way; false at the end.
    private func nextDataPage() throws -> Bool {
        page = nil
        while let next = try pages.next() {
            do {
                if next.type == .dictionaryPage {
                    guard dictionary == nil else {
                        throw ParquetError.corrupt("a second dictionary page in one column chunk")
                    }
                    dictionary = try DictionaryValues(page: next, descriptor: descriptor)
                    continue
                }
                page = try DataPageDecoder(page: next, descriptor: descriptor, dictionaryCount: dictionary?.count)
                if page!.values.usesDictionary && dictionary == nil {
                    throw ParquetError.corrupt("data page uses \(page!.encoding) but the column chunk has no dictionary page")
                }
                return true
            } catch let error as ParquetError {
                throw error.at(ParquetErrorLocation(offset: next.fileOffset))
            }
        }
        return false
    }

    /// Reads the next `rows` values of a column without repetition.
    func readFlat(rows: Int) throws -> Column {
        let maxDef = descriptor.maxDefinitionLevel
        // Every level of the `rows` is written below before it is read.
        if maxDef > 0 && (flatDefinitionLevels?.byteCount ?? -1) < rows * 2 {
            flatDefinitionLevels = BufferPool.shared.buffer(byteCount: rows * 2)
        }
        let definitionLevels = UnsafeMutableBufferPointer(
            start: flatDefinitionLevels?.baseAddress.assumingMemoryBound(to: UInt16.self), count: maxDef > 0 ? rows : 0)
        var present = 0
        try forEachSegment(rows: rows) { filled, take in
            var values = take
            if maxDef > 0 {
                let slice = UnsafeMutableBufferPointer(rebasing: definitionLevels[filled..<(filled + take)])
                values = try page!.readDefinitionLevels(take, into: slice, maxLevel: maxDef)
            }
            try decodeValues(values)
            present += values
        }
        let dense = try finishValues()
        if present == rows { return dense }
        let validity = Buffer(byteCount: Bitmap.byteCount(forBits: rows)) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            let bits = raw.baseAddress!
            for i in 0..<rows where Int(definitionLevels[i]) == maxDef { Bitmap.set(bits, i) }
        }
        return dense.spread(validity: validity, count: rows, nullCount: rows - present)
    }

    /// Reads the next `rows` values of a column without repetition, keeping only the rows
    /// `selection` selects: values of the other rows are skipped, never converted or copied.
    func readFlat(rows: Int, selection: RowSelection) throws -> Column {
        precondition(selection.count == rows, "a selection of \(selection.count) rows for a batch of \(rows)")
        let maxDef = descriptor.maxDefinitionLevel
        let kept = selection.setCount
        var levels = maxDef > 0 ? [UInt16](repeating: 0, count: min(rows, Self.levelChunk)) : []
        var positions = [Int32](repeating: 0, count: max(kept, 1))
        // Validity of the kept rows, when the column has definition levels.
        let validity = maxDef > 0 ? Buffer(zeroedByteCount: Bitmap.byteCount(forBits: kept)) : nil
        var output = 0
        var present = 0
        // Next of the selection's positions to place, for columns without definition levels.
        var cursor = 0
        try forEachSegment(rows: rows, limit: maxDef > 0 ? levels.count : .max) { filled, take in
            var values = take
            var keep = 0
            if maxDef > 0 {
                let level = UInt16(maxDef)
                try levels.withUnsafeMutableBufferPointer { levels in
                    let slice = UnsafeMutableBufferPointer(rebasing: levels[0..<take])
                    try page!.readDefinitionLevels(take, into: slice, maxLevel: maxDef)
                    // Value positions count the present entries of the segment; kept rows get a
                    // validity bit and, when present, their value.
                    let bits = UnsafeRawPointer(selection.mask.baseAddress)
                    let valid = validity!.baseAddress
                    var value = 0
                    positions.withUnsafeMutableBufferPointer { positions in
                        for r in 0..<take {
                            let isPresent = slice[r] == level
                            if Bitmap.isSet(bits, filled &+ r) {
                                if isPresent {
                                    positions[keep] = Int32(truncatingIfNeeded: value)
                                    keep &+= 1
                                    Bitmap.set(valid, output)
                                }
                                output &+= 1
                            }
                            if isPresent { value &+= 1 }
                        }
                    }
                    values = value
                }
            } else {
                // The batch's kept positions in this segment, made relative to it.
                let end = filled + take
                let base = Int32(truncatingIfNeeded: filled)
                selection.positions.withUnsafeBufferPointer(as: Int32.self) { all in
                    positions.withUnsafeMutableBufferPointer { positions in
                        while cursor < kept && Int(all[cursor]) < end {
                            positions[keep] = all[cursor] &- base
                            keep &+= 1
                            cursor &+= 1
                        }
                    }
                }
                output += keep
            }
            try positions.withUnsafeBufferPointer { try decodeValues(values, keeping: UnsafeBufferPointer(rebasing: $0[0..<keep])) }
            present += keep
        }
        let dense = try finishValues()
        if present == kept { return dense }
        return dense.spread(validity: validity!, count: kept, nullCount: kept - present)
    }

    /// Moves past the next `rows` values of a column without repetition.
    func skipFlat(rows: Int) throws {
        let maxDef = descriptor.maxDefinitionLevel
        var levels = maxDef > 0 ? [UInt16](repeating: 0, count: min(rows, Self.levelChunk)) : []
        try forEachSegment(rows: rows, limit: maxDef > 0 ? levels.count : .max) { _, take in
            var values = take
            if maxDef > 0 {
                try levels.withUnsafeMutableBufferPointer { levels in
                    let slice = UnsafeMutableBufferPointer(rebasing: levels[0..<take])
                    values = try page!.readDefinitionLevels(take, into: slice, maxLevel: maxDef)
                }
            }
            try page!.values.skip(values)
        }
    }

    /// Runs `segment(start, count)` over the next `rows` entries of a column without repetition,
    /// one page's run (of at most `limit` entries) at a time: the page is current when it runs,
    /// and its `count` entries are consumed after.
    private func forEachSegment(rows: Int, limit: Int = .max, _ segment: (_ start: Int, _ count: Int) throws -> Void) throws {
        var filled = 0
        while filled < rows {
            if page == nil || page!.entriesRemaining == 0 {
                guard try nextDataPage() else {
                    throw ParquetError.corrupt("the column chunk ended after \(filled) of \(rows) expected rows")
                }
                continue
            }
            let take = min(rows - filled, page!.entriesRemaining, limit)
            try segment(filled, take)
            page!.consume(take)
            filled += take
        }
    }

    /// Reads the levels and values of the next `records` records of a repeated column.
    func readRecords(_ records: Int) throws -> LeafLevels {
        let maxDef = UInt16(descriptor.maxDefinitionLevel)
        var definition: [UInt16] = []
        var repetition: [UInt16] = []
        var started = 0
        var done = false
        while !done {
            if pendingStart == pendingRepetition.count {
                if page == nil || page!.entriesRemaining == 0 {
                    guard try nextDataPage() else { break }
                    continue
                }
                try refillLevels()
            }
            var nonNull = 0
            var i = pendingStart
            let end = pendingRepetition.count
            while i < end {
                if pendingRepetition[i] == 0 {
                    if started == records {
                        done = true
                        break
                    }
                    started += 1
                } else if started == 0 {
                    throw ParquetError.corrupt("a record of column '\(descriptor.dottedPath)' starts with repetition level \(pendingRepetition[i]) instead of 0")
                }
                if pendingDefinition[i] == maxDef { nonNull += 1 }
                i += 1
            }
            definition.append(contentsOf: pendingDefinition[pendingStart..<i])
            repetition.append(contentsOf: pendingRepetition[pendingStart..<i])
            try decodeValues(nonNull)
            pendingStart = i
            if definition.count > Self.maxEntriesPerBatch {
                throw ParquetError.unsupported("a batch of column '\(descriptor.dottedPath)' holds more than \(Self.maxEntriesPerBatch) nested values; read with a smaller batch size")
            }
        }
        guard started == records else {
            throw ParquetError.corrupt("the column chunk ended after \(started) of \(records) expected records")
        }
        return LeafLevels(definitionLevels: definition, repetitionLevels: repetition, entryCount: definition.count,
                          values: try finishValues().materialized(), maxDefinitionLevel: descriptor.maxDefinitionLevel)
    }

    /// Decodes the next chunk of levels of the current page into the pending arrays.
    private func refillLevels() throws {
        let count = min(Self.levelChunk, page!.entriesRemaining)
        pendingDefinition = [UInt16](repeating: 0, count: count)
        pendingRepetition = [UInt16](repeating: 0, count: count)
        try pendingDefinition.withUnsafeMutableBufferPointer {
            try page!.readDefinitionLevels(count, into: $0, maxLevel: descriptor.maxDefinitionLevel)
        }
        try pendingRepetition.withUnsafeMutableBufferPointer { try page!.readRepetitionLevels(count, into: $0) }
        page!.consume(count)
        pendingStart = 0
    }

    private func decodeValues(_ count: Int) throws {
        guard count > 0 else { return }
        if page!.values.usesDictionary {
            try page!.values.decodeIndices(count, into: &builder, dictionary: dictionary!)
        } else {
            if builder.isCollectingIndices, let dictionary {
                // A plain page after dictionary pages (a writer's fallback): expand what this
                // batch kept as indices so the batch holds values only.
                try builder.materializeIndices(from: dictionary)
            }
            try page!.values.decode(count, into: &builder)
        }
    }

    /// `decodeValues` for the values at `positions` among the next `count`.
    private func decodeValues(_ count: Int, keeping positions: UnsafeBufferPointer<Int32>) throws {
        if positions.count == count { return try decodeValues(count) }
        if positions.isEmpty { return try page!.values.skip(count) }
        if page!.values.usesDictionary {
            try page!.values.decodeIndices(count, keeping: positions, into: &builder, dictionary: dictionary!)
        } else {
            if builder.isCollectingIndices, let dictionary {
                try builder.materializeIndices(from: dictionary)
            }
            try page!.values.decode(count, keeping: positions, into: &builder)
        }
    }

    private func finishValues() throws -> Column {
        if builder.isCollectingIndices, let dictionary {
            if !dictionary.isConverted && builder.count < dictionary.count
                && (!keepDictionaries || descriptor.dataType.layout != .variableWidth) {
                // The values come out expanded and the dictionary holds more entries than the batch
                // has rows (a high-cardinality chunk, or a selection keeping few rows): convert
                // the batch's values rather than the whole dictionary.
                let (indices, count) = builder.takeIndices()
                var values = DenseValueBuilder(descriptor: descriptor)
                try indices.withUnsafeBufferPointer(as: Int32.self) {
                    try dictionary.gather(UnsafeBufferPointer(rebasing: $0[0..<count]), into: &values)
                }
                return try values.finish().column(of: descriptor.dataType, descriptor: descriptor)
            }
            // Indices are resolved against the dictionary already converted to the column's type,
            // so conversions (decimals, INT96, narrow integers) run once per distinct value.
            let values = try dictionary.column(descriptor: descriptor)
            let indices = builder.finishIndices(dictionary: values)
            // A fixed-width dictionary almost as long as the batch saves nothing and costs an
            // indirection per value; only small ones are kept.
            let worthKeeping = descriptor.dataType.layout == .variableWidth || values.count * 2 <= indices.count
            return keepDictionaries && worthKeeping ? indices : indices.materialized()
        }
        return try builder.finish().column(of: descriptor.dataType, descriptor: descriptor)
    }
}
