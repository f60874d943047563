import Columnar

/// The decoding state of one data page: its level decoders and its value decoder.
///
/// Levels and values are decoded on demand, a batch at a time, so a page that claims billions of
/// values (legal for an all-null column) never needs memory in proportion to that claim.
struct DataPageDecoder {
    let page: Page
    /// Level entries in the page (`num_values`).
    let entryCount: Int
    /// Level entries not yet handed out.
    private(set) var entriesRemaining: Int
    private var repetition: LevelDecoder?
    private var definition: LevelDecoder?
    var values: ValueDecoder
    let encoding: Encoding

    init(page: Page, descriptor: ColumnDescriptor, dictionaryCount: Int?) throws {
        self.page = page
        let maxRep = descriptor.maxRepetitionLevel
        let maxDef = descriptor.maxDefinitionLevel
        if let header = page.header.dataPageHeader {
            guard header.numValues >= 0 else { throw ParquetError.corrupt("data page has \(header.numValues) values") }
            entryCount = Int(header.numValues)
            encoding = header.encoding
            // V1: levels sit at the front of the decompressed body, repetition first.
            let (rep, def, valueStart) = try page.body.withUnsafeBytes { body in
                var position = 0
                let rep = maxRep > 0
                    ? try LevelDecoder.v1(body, position: &position, encoding: header.repetitionLevelEncoding,
                                          maxLevel: maxRep, count: Int(header.numValues))
                    : nil
                let def = maxDef > 0
                    ? try LevelDecoder.v1(body, position: &position, encoding: header.definitionLevelEncoding,
                                          maxLevel: maxDef, count: Int(header.numValues))
                    : nil
                return (rep, def, position)
            }
            repetition = rep
            definition = def
            values = try ValueDecoder(encoding: header.encoding, body: page.body, start: valueStart,
                                      descriptor: descriptor, dictionaryCount: dictionaryCount)
        } else if let header = page.header.dataPageHeaderV2 {
            guard header.numValues >= 0, header.numNulls >= 0, header.numNulls <= header.numValues else {
                throw ParquetError.corrupt("data page v2 has \(header.numValues) values and \(header.numNulls) nulls")
            }
            entryCount = Int(header.numValues)
            encoding = header.encoding
            let levels = page.levels!
            let repLength = Int(header.repetitionLevelsByteLength)
            let defLength = Int(header.definitionLevelsByteLength)
            repetition = maxRep > 0
                ? try LevelDecoder.v2(ByteRange(levels.buffer, start: levels.start, count: repLength), maxLevel: maxRep)
                : nil
            definition = maxDef > 0
                ? try LevelDecoder.v2(ByteRange(levels.buffer, start: levels.start + repLength, count: defLength), maxLevel: maxDef)
                : nil
            values = try ValueDecoder(encoding: header.encoding, body: page.body, start: 0,
                                      descriptor: descriptor, dictionaryCount: dictionaryCount)
        } else {
            preconditionFailure("not a data page")
        }
        entriesRemaining = entryCount
    }

    /// Decodes the next `count` definition levels into `output` (all at the maximum when the
    /// column has none); returns how many are at `maxLevel`, the entries with a value.
    @discardableResult
    mutating func readDefinitionLevels(_ count: Int, into output: UnsafeMutableBufferPointer<UInt16>, maxLevel: Int) throws -> Int {
        guard definition != nil else {
            output.initialize(repeating: UInt16(maxLevel))
            return count
        }
        // Levels of one run (no NULLs here, or only NULLs) need neither checking nor counting.
        if let level = try definition!.readRepeated(count) {
            output.initialize(repeating: level)
            return Int(level) == maxLevel ? count : 0
        }
        try definition!.read(count, into: output)
        let top = UInt16(maxLevel)
        var present = 0
        for level in output { present &+= level == top ? 1 : 0 }
        return present
    }

    /// Decodes the next `count` repetition levels into `output` (all 0 when the column has none).
    mutating func readRepetitionLevels(_ count: Int, into output: UnsafeMutableBufferPointer<UInt16>) throws {
        if repetition == nil {
            output.initialize(repeating: 0)
        } else {
            try repetition!.read(count, into: output)
        }
    }

    /// Marks `count` entries as consumed.
    mutating func consume(_ count: Int) {
        entriesRemaining -= count
    }
}

/// Reads definition or repetition levels in either of Parquet's level encodings.
struct LevelDecoder {
    private enum Kind {
        case hybrid(RLEBitPackedHybridDecoder)
        case bitPacked(BitPackedLevelDecoder)
    }
    private var kind: Kind
    let maxLevel: Int

    static func bitWidth(_ maxLevel: Int) -> Int { Int.bitWidth - maxLevel.leadingZeroBitCount }

    /// A v1 level block at `position` in `body`: RLE with a 4-byte length prefix, or the
    /// deprecated BIT_PACKED encoding sized by the value count. Advances `position` past it.
    /// The decoder borrows `body`, which the page keeps alive.
    static func v1(
        _ body: UnsafeRawBufferPointer, position: inout Int, encoding: Encoding, maxLevel: Int, count: Int
    ) throws -> LevelDecoder {
        let rest = UnsafeRawBufferPointer(rebasing: body[min(position, body.count)...])
        let width = bitWidth(maxLevel)
        switch encoding {
        case .rle:
            let (decoder, length) = try RLEBitPackedHybridDecoder.levelsV1(bitWidth: width, data: rest)
            position += length
            return LevelDecoder(kind: .hybrid(decoder), maxLevel: maxLevel)
        case .bitPacked:
            let decoder = try BitPackedLevelDecoder(bitWidth: width, valueCount: count, data: rest)
            position += BitPackedLevelDecoder.byteCount(valueCount: count, bitWidth: width)
            return LevelDecoder(kind: .bitPacked(decoder), maxLevel: maxLevel)
        default:
            throw ParquetError.unsupported("level encoding \(encoding)")
        }
    }

    /// A v2 level block: RLE/bit-packed hybrid without a length prefix.
    static func v2(_ range: ByteRange, maxLevel: Int) throws -> LevelDecoder {
        let bytes = UnsafeRawBufferPointer(start: range.buffer.baseAddress + range.start, count: range.count)
        return LevelDecoder(kind: .hybrid(try RLEBitPackedHybridDecoder(bitWidth: bitWidth(maxLevel), data: bytes)),
                            maxLevel: maxLevel)
    }

    /// When the next `count` levels are one RLE run, skips them and returns their level (an
    /// out-of-range one is corrupt); otherwise nil, and `read` decodes them.
    mutating func readRepeated(_ count: Int) throws -> UInt16? {
        guard case .hybrid(var decoder) = kind else { return nil }
        let value = try decoder.skipRepeated(count)
        kind = .hybrid(decoder)
        guard let value else { return nil }
        guard value <= UInt32(maxLevel) else {
            throw ParquetError.corrupt("level \(value) exceeds the column's maximum \(maxLevel)")
        }
        return UInt16(value)
    }

    /// Decodes exactly `count` levels into `output`; a short or out-of-range level is corrupt.
    mutating func read(_ count: Int, into output: UnsafeMutableBufferPointer<UInt16>) throws {
        let target = UnsafeMutableBufferPointer(rebasing: output[0..<count])
        let got: Int
        switch kind {
        case .hybrid(var decoder):
            got = try decoder.decode(into: target)
            kind = .hybrid(decoder)
        case .bitPacked(var decoder):
            got = try decoder.decode(into: target)
            kind = .bitPacked(decoder)
        }
        guard got == count else {
            throw ParquetError.corrupt("levels ended after \(got) of \(count) values")
        }
        let limit = UInt16(maxLevel)
        var largest: UInt16 = 0
        for level in target { largest = max(largest, level) }
        guard largest <= limit else {
            throw ParquetError.corrupt("level \(largest) exceeds the column's maximum \(maxLevel)")
        }
    }
}
