import Columnar

/// Encodes the values of one leaf column into the pages of a column chunk, row group after row
/// group.
///
/// Values are dictionary encoded while the dictionary stays under its size limit; at the first
/// value that would push it over, the writer closes the current page and writes PLAIN pages for the
/// rest of the chunk (the dictionary page is still written, first). Pages close at row boundaries
/// once they reach the page size or the row limit (a nested column may only switch to PLAIN
/// between slices of rows, so it switches before a slice that might not fit). Statistics come from
/// the dictionary's distinct values plus the PLAIN values. Compressed pages are kept in memory until
/// the row group is written out.
final class ColumnChunkWriter: @unchecked Sendable {
    let descriptor: ColumnDescriptor
    let leafType: LeafWriteType
    private let properties: WriterProperties
    private let codec: any Codec
    private let dictionary: DictionaryEncoder?
    private var usingDictionary: Bool
    private var statistics: StatisticsAccumulator

    // The page being filled.
    private var pageDefinition: [UInt16] = []
    private var pageRepetition: [UInt16] = []
    private var pageIndices: [Int32] = []
    private var pagePlain = BufferBuilder(capacity: 1 << 16)
    private var pageBooleans = BitmapBuilder(capacity: 1 << 16)
    private var pageRows = 0
    private var pageValues = 0

    // The chunk being built.
    private var dataPages = BufferBuilder(capacity: 1 << 16)
    private var scratch = BufferBuilder(capacity: 1 << 16)
    private var chunkValues: Int64 = 0
    private var chunkUncompressed: Int64 = 0
    private var dataPageEncodings: [Encoding: Int32] = [:]

    // Batches that arrive dictionary encoded (Parquet to Parquet) map each input dictionary entry
    // to an output index once per chunk instead of hashing every row.
    private var remapSource: ObjectIdentifier?
    private var remap: [Int32] = []

    /// Entries handled per step; pages close only between steps.
    private static let sliceSize = 4096

    init(descriptor: ColumnDescriptor, leafType: LeafWriteType, properties: WriterProperties) throws {
        self.descriptor = descriptor
        self.leafType = leafType
        self.properties = properties
        self.codec = try CodecFactory.make(properties.compression, level: properties.compressionLevel)
        let width: Int
        switch leafType.physicalType {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .fixedLenByteArray: width = leafType.typeLength!
        default: width = 0
        }
        let dictionaryAllowed = properties.dictionaryEnabled && leafType.physicalType != .boolean
        dictionary = dictionaryAllowed ? DictionaryEncoder(width: width) : nil
        usingDictionary = dictionaryAllowed
        statistics = StatisticsAccumulator(order: leafType.sortOrder, truncateLength: properties.statisticsTruncateLength,
                                           isText: descriptor.dataType.isText)
    }

    /// Compressed bytes buffered for the current row group (for the row group size budget).
    var bufferedBytes: Int { dataPages.count + pagePlain.count + pageIndices.count * 2 + (dictionary?.plainSize ?? 0) }

    /// Adds one batch of this leaf's levels and values.
    func write(_ leaf: LeafValues) throws {
        var leaf = leaf
        if usingDictionary, leaf.repetitionLevels == nil, leafType.physicalType == .byteArray,
           case .dictionary(let indices, let inputDictionary) = leaf.values.storage,
           case .variableWidth(let offsets, let data) = inputDictionary.storage {
            let done = try writeDictionaryIndices(leaf, indices: indices, offsets: offsets, data: data,
                                                  dictionaryCount: inputDictionary.count)
            if done == leaf.entryCount { return }
            leaf = leaf.suffix(from: done)
        }
        let values = try PhysicalConversion.dense(leaf.values, as: leafType)
        statistics.addNulls(leaf.entryCount - values.count)
        chunkValues += Int64(leaf.entryCount)

        let maxDef = UInt16(descriptor.maxDefinitionLevel)
        var entry = 0
        var valueIndex = 0
        while entry < leaf.entryCount {
            // Choose a slice that ends on a row boundary and keeps within the page row limit.
            let rowRoom = max(1, properties.dataPageRowLimit - pageRows)
            var end = entry
            var rows = 0
            if let repetition = leaf.repetitionLevels {
                while end < leaf.entryCount {
                    if repetition[end] == 0 {
                        if rows == min(rowRoom, Self.sliceSize) { break }
                        rows += 1
                    }
                    end += 1
                }
            } else {
                rows = min(rowRoom, Self.sliceSize, leaf.entryCount - entry)
                end = entry + rows
            }
            var valueCount = end - entry
            if let definition = leaf.definitionLevels {
                valueCount = 0
                for i in entry..<end where definition[i] == maxDef { valueCount += 1 }
            }
            var fallBackAfterSlice = false
            if usingDictionary && leaf.repetitionLevels == nil && valueCount > 0 {
                // Flat columns: encode up to the dictionary limit and cut the slice (and page)
                // right after the last value that fitted.
                let encoded = encodeWithDictionary(values, from: valueIndex, count: valueCount)
                if encoded < valueCount {
                    fallBackAfterSlice = true
                    if let definition = leaf.definitionLevels {
                        var seen = 0
                        end = entry
                        while end < leaf.entryCount && (definition[end] != maxDef || seen < encoded) {
                            if definition[end] == maxDef { seen += 1 }
                            end += 1
                        }
                    } else {
                        end = entry + encoded
                    }
                    rows = end - entry
                    valueCount = encoded
                }
            } else {
                // Nested columns cut pages only between rows: switch before a slice that might not fit.
                try fallBackIfNeeded(values, from: valueIndex, count: valueCount)
                try appendValues(values, from: valueIndex, count: valueCount)
            }
            if let definition = leaf.definitionLevels {
                pageDefinition.append(contentsOf: definition[entry..<end])
            }
            if let repetition = leaf.repetitionLevels {
                pageRepetition.append(contentsOf: repetition[entry..<end])
            }
            pageRows += rows
            valueIndex += valueCount
            entry = end
            if fallBackAfterSlice {
                try flushPage()
                usingDictionary = false
            } else if pageRows >= properties.dataPageRowLimit || estimatedPageSize >= properties.dataPageSize {
                try flushPage()
            }
        }
    }

    /// Writes a flat byte-array batch given as indices into `offsets`/`data`, translating each
    /// input dictionary entry once. Returns how many entries it wrote: all of them, or fewer when
    /// the output dictionary filled up and the rest must be written as PLAIN values.
    private func writeDictionaryIndices(
        _ leaf: LeafValues, indices: Buffer, offsets: Buffer, data: Buffer, dictionaryCount: Int
    ) throws -> Int {
        guard let dictionary else { return 0 }
        let identity = ObjectIdentifier(data)
        if remapSource != identity {
            remapSource = identity
            remap = [Int32](repeating: -1, count: dictionaryCount)
        }
        let validity = leaf.values.validity?.baseAddress
        let limit = properties.dictionaryPageSizeLimit
        var entry = 0
        pageIndices.reserveCapacity(pageIndices.count + leaf.entryCount)
        return try indices.withUnsafeBufferPointer(as: Int32.self) { input in
            try offsets.withUnsafeBufferPointer(as: Int32.self) { off in
                while entry < leaf.entryCount {
                    let rows = min(max(1, properties.dataPageRowLimit - pageRows), Self.sliceSize, leaf.entryCount - entry)
                    var end = entry + rows
                    var present = 0
                    var full = false
                    for i in entry..<end where validity == nil || Bitmap.isSet(validity!, i) {
                        let d = Int(input[i])
                        var mapped = remap[d]
                        if mapped < 0 {
                            let encoded = dictionary.encodeByteArrays(
                                offsets: UnsafeBufferPointer(rebasing: off[d...(d + 1)]), data: data.baseAddress,
                                count: 1, into: &mapped, limit: limit)
                            if encoded == 0 {
                                // The dictionary is full: this page ends before row `i`.
                                end = i
                                full = true
                                break
                            }
                            remap[d] = mapped
                        }
                        pageIndices.append(mapped)
                        present += 1
                    }
                    pageValues += present
                    statistics.addNulls(end - entry - present)
                    chunkValues += Int64(end - entry)
                    if let definition = leaf.definitionLevels {
                        pageDefinition.append(contentsOf: definition[entry..<end])
                    }
                    pageRows += end - entry
                    entry = end
                    if full {
                        try flushPage()
                        usingDictionary = false
                        return entry
                    }
                    if pageRows >= properties.dataPageRowLimit || estimatedPageSize >= properties.dataPageSize {
                        try flushPage()
                    }
                }
                return entry
            }
        }
    }

    private var estimatedPageSize: Int {
        let levelBytes = (pageDefinition.count + pageRepetition.count) / 4
        if usingDictionary {
            let width = max(1, Int.bitWidth - max(dictionary!.count - 1, 0).leadingZeroBitCount)
            return levelBytes + pageIndices.count * width / 8
        }
        return levelBytes + pagePlain.count + pageBooleans.count / 8
    }

    /// Closes the dictionary-encoded page and switches to PLAIN before a slice of values that
    /// could push the dictionary over its limit; called before the slice's levels join the page.
    private func fallBackIfNeeded(_ values: PhysicalValues, from start: Int, count: Int) throws {
        guard usingDictionary, count > 0, let dictionary else { return }
        let worstCase: Int
        switch values {
        case .variableWidth(let offsets, _, _):
            worstCase = 4 * count + Int(offsets.load(start + count, as: Int32.self) - offsets.load(start, as: Int32.self))
        case .fixedWidth(_, let width, _):
            worstCase = width * count
        case .bits:
            worstCase = count
        }
        if dictionary.plainSize + worstCase > properties.dictionaryPageSizeLimit {
            // A nested page may only end between rows, so switch before the whole slice.
            try flushPage()
            usingDictionary = false
        }
    }

    /// Adds up to `count` values to the page's dictionary indices, stopping before the first value
    /// that would push the dictionary over its size limit; returns how many were added.
    private func encodeWithDictionary(_ values: PhysicalValues, from start: Int, count: Int) -> Int {
        guard let dictionary else { return 0 }
        let limit = properties.dictionaryPageSizeLimit
        let base = pageIndices.count
        pageIndices.append(contentsOf: repeatElement(0, count: count))
        let encoded = pageIndices.withUnsafeMutableBufferPointer { indices -> Int in
            let out = indices.baseAddress! + base
            switch values {
            case .fixedWidth(let buffer, let width, _):
                return dictionary.encodeFixed(buffer.baseAddress + start * width, count: count, into: out, limit: limit)
            case .variableWidth(let offsets, let data, _):
                return offsets.withUnsafeBufferPointer(as: Int32.self) { off in
                    dictionary.encodeByteArrays(
                        offsets: UnsafeBufferPointer(rebasing: off[start...(start + count)]),
                        data: data.baseAddress, count: count, into: out, limit: limit)
                }
            case .bits:
                preconditionFailure("booleans are never dictionary encoded")
            }
        }
        pageIndices.removeLast(count - encoded)
        pageValues += encoded
        return encoded
    }

    private func appendValues(_ values: PhysicalValues, from start: Int, count: Int) throws {
        guard count > 0 else { return }
        if usingDictionary {
            let encoded = encodeWithDictionary(values, from: start, count: count)
            precondition(encoded == count, "the dictionary limit was checked before the slice")
            return
        }
        if properties.statisticsEnabled {
            // Dictionary-encoded values enter the statistics once each, from the dictionary.
            statistics.add(values, range: start..<(start + count))
        }
        switch values {
        case .fixedWidth(let buffer, let width, _):
            pagePlain.append(contentsOf: UnsafeRawBufferPointer(start: buffer.baseAddress + start * width, count: count * width))
        case .variableWidth(let offsets, let data, _):
            offsets.withUnsafeBufferPointer(as: Int32.self) { off in
                for i in start..<(start + count) {
                    let begin = Int(off[i])
                    let length = Int(off[i + 1]) - begin
                    pagePlain.append(UInt32(length).littleEndian)
                    pagePlain.append(contentsOf: UnsafeRawBufferPointer(start: data.baseAddress + begin, count: length))
                }
            }
        case .bits(let bits, _):
            for i in start..<(start + count) { pageBooleans.append(Bitmap.isSet(bits.baseAddress, i)) }
        }
        pageValues += count
    }

    /// Encodes, compresses and stores the current page.
    private func flushPage() throws {
        let entries = max(pageDefinition.count, pageRepetition.count, descriptor.maxDefinitionLevel == 0 ? pageValues : 0)
        guard entries > 0 else { return }
        // A page without values (all null) is PLAIN: it must not point at a dictionary that may
        // never be written.
        let dictionaryPage = usingDictionary && pageValues > 0
        let encoding: Encoding = dictionaryPage ? .rleDictionary : .plain
        let defWidth = LevelDecoder.bitWidth(descriptor.maxDefinitionLevel)
        let repWidth = LevelDecoder.bitWidth(descriptor.maxRepetitionLevel)

        scratch.removeAll()
        var levelBytes = 0
        if properties.dataPageV2 {
            var repLength = 0, defLength = 0
            if descriptor.maxRepetitionLevel > 0 {
                repLength = pageRepetition.withUnsafeBufferPointer {
                    RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: repWidth, into: &scratch)
                }
            }
            if descriptor.maxDefinitionLevel > 0 {
                defLength = pageDefinition.withUnsafeBufferPointer {
                    RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: defWidth, into: &scratch)
                }
            }
            levelBytes = repLength + defLength
            let valuesStart = scratch.count
            writeValues(into: &scratch, dictionaryEncoded: dictionaryPage)
            let uncompressedValues = scratch.count - valuesStart
            var compressed = BufferBuilder(capacity: uncompressedValues / 2 + 64)
            try scratch.withUnsafeBytes { bytes in
                compressed.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<levelBytes]))
                try codec.compress(UnsafeRawBufferPointer(rebasing: bytes[valuesStart...]), into: &compressed)
            }
            let rows = descriptor.maxRepetitionLevel > 0 ? pageRepetition.lazy.filter { $0 == 0 }.count : entries
            let header = DataPageHeaderV2(
                numValues: Int32(entries), numNulls: Int32(entries - pageValues), numRows: Int32(rows),
                encoding: encoding, definitionLevelsByteLength: Int32(defLength),
                repetitionLevelsByteLength: Int32(repLength), isCompressed: true)
            try appendPage(PageHeader(type: .dataPageV2, uncompressedPageSize: Int32(scratch.count),
                                      compressedPageSize: Int32(compressed.count), dataPageHeaderV2: header),
                           body: compressed)
        } else {
            if descriptor.maxRepetitionLevel > 0 {
                pageRepetition.withUnsafeBufferPointer {
                    _ = RLEBitPackedHybridEncoder.encodeLevelsV1($0, bitWidth: repWidth, into: &scratch)
                }
            }
            if descriptor.maxDefinitionLevel > 0 {
                pageDefinition.withUnsafeBufferPointer {
                    _ = RLEBitPackedHybridEncoder.encodeLevelsV1($0, bitWidth: defWidth, into: &scratch)
                }
            }
            writeValues(into: &scratch, dictionaryEncoded: dictionaryPage)
            var compressed = BufferBuilder(capacity: scratch.count / 2 + 64)
            try scratch.withUnsafeBytes { try codec.compress($0, into: &compressed) }
            let header = DataPageHeader(numValues: Int32(entries), encoding: encoding,
                                        definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
            try appendPage(PageHeader(type: .dataPage, uncompressedPageSize: Int32(scratch.count),
                                      compressedPageSize: Int32(compressed.count), dataPageHeader: header),
                           body: compressed)
        }
        dataPageEncodings[encoding, default: 0] += 1
        pageDefinition.removeAll(keepingCapacity: true)
        pageRepetition.removeAll(keepingCapacity: true)
        pageIndices.removeAll(keepingCapacity: true)
        pagePlain.removeAll()
        _ = pageBooleans.take()
        pageRows = 0
        pageValues = 0
    }

    private func writeValues(into output: inout BufferBuilder, dictionaryEncoded: Bool) {
        if dictionaryEncoded {
            let width = Int.bitWidth - max(dictionary!.count - 1, 0).leadingZeroBitCount
            pageIndices.withUnsafeBufferPointer {
                _ = RLEBitPackedHybridEncoder.encodeDictionaryIndices($0, bitWidth: width, into: &output)
            }
        } else if usingDictionary {
            return  // no values
        } else if leafType.physicalType == .boolean {
            let bits = pageBooleans.take()
            bits.withUnsafeBytes { output.append(contentsOf: $0) }
        } else {
            pagePlain.withUnsafeBytes { output.append(contentsOf: $0) }
        }
    }

    private func appendPage(_ header: PageHeader, body: borrowing BufferBuilder) throws {
        var header = header
        if properties.pageChecksums {
            header.crc = body.withUnsafeBytes(PageChecksum.headerValue)
        }
        let encoded = header.encode()
        dataPages.append(contentsOf: encoded)
        body.withUnsafeBytes { dataPages.append(contentsOf: $0) }
        chunkUncompressed += Int64(encoded.count) + Int64(header.uncompressedPageSize)
    }

    /// Finishes the column chunk of the current row group: its bytes (dictionary page first) and
    /// a function that makes its metadata once the chunk's file offset is known.
    func finishChunk() throws -> (bytes: Buffer, metadata: (Int64) -> ColumnMetaData) {
        try flushPage()
        var output = BufferBuilder(capacity: dataPages.count + 4096)
        var dictionaryLength = 0
        var uncompressed = chunkUncompressed
        var encodings: [Encoding] = []
        var encodingStats: [PageEncodingStats] = []
        if let dictionary, dictionary.count > 0 {
            if properties.statisticsEnabled { statistics.add(dictionary.distinctValues()) }
            scratch.removeAll()
            dictionary.writePlain(to: &scratch)
            var compressed = BufferBuilder(capacity: scratch.count / 2 + 64)
            try scratch.withUnsafeBytes { try codec.compress($0, into: &compressed) }
            var header = PageHeader(type: .dictionaryPage, uncompressedPageSize: Int32(scratch.count),
                                    compressedPageSize: Int32(compressed.count),
                                    dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(dictionary.count), encoding: .plain, isSorted: false))
            if properties.pageChecksums {
                header.crc = compressed.withUnsafeBytes(PageChecksum.headerValue)
            }
            let encoded = header.encode()
            output.append(contentsOf: encoded)
            compressed.withUnsafeBytes { output.append(contentsOf: $0) }
            dictionaryLength = output.count
            uncompressed += Int64(encoded.count + scratch.count)
            encodings.append(.plain)
            encodingStats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
        }
        dataPages.withUnsafeBytes { output.append(contentsOf: $0) }
        encodings.append(.rle)
        for encoding in [Encoding.plain, .rleDictionary] {
            guard let count = dataPageEncodings[encoding] else { continue }
            if !encodings.contains(encoding) { encodings.append(encoding) }
            encodingStats.append(PageEncodingStats(pageType: properties.dataPageV2 ? .dataPageV2 : .dataPage,
                                                   encoding: encoding, count: count))
        }
        let total = Int64(output.count)
        let values = chunkValues
        let stats = properties.statisticsEnabled ? statistics.statistics()
            : Statistics(nullCount: statistics.nullCount)
        let path = descriptor.path
        let physical = leafType.physicalType
        let codecKind = properties.compression
        let hasDictionary = dictionaryLength > 0
        let metadata: (Int64) -> ColumnMetaData = { offset in
            ColumnMetaData(
                type: physical, encodings: encodings, pathInSchema: path, codec: codecKind,
                numValues: values, totalUncompressedSize: uncompressed, totalCompressedSize: total,
                dataPageOffset: offset + Int64(dictionaryLength),
                dictionaryPageOffset: hasDictionary ? offset : nil,
                statistics: stats, encodingStats: encodingStats)
        }
        resetChunk()
        return (output.finish(), metadata)
    }

    private func resetChunk() {
        remapSource = nil
        dataPages.removeAll()
        chunkValues = 0
        chunkUncompressed = 0
        dataPageEncodings = [:]
        dictionary?.reset()
        usingDictionary = dictionary != nil
        statistics = StatisticsAccumulator(order: leafType.sortOrder, truncateLength: properties.statisticsTruncateLength,
                                           isText: descriptor.dataType.isText)
    }
}
