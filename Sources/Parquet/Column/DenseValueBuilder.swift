import Columnar

/// Collects the decoded non-null values of one batch in their physical representation, or, for
/// dictionary-encoded byte arrays, their dictionary indices.
struct DenseValueBuilder: ~Copyable {
    let physicalType: PhysicalType
    /// Bytes per value for fixed-width physical types.
    let width: Int
    var fixed: BufferBuilder
    var bits: BitmapBuilder
    /// `Int32` offsets, always starting with 0.
    var offsets: BufferBuilder
    var data: BufferBuilder
    var indices: BufferBuilder
    private(set) var count = 0
    /// True while this batch's values are kept as dictionary indices.
    private(set) var isCollectingIndices = false

    init(descriptor: ColumnDescriptor) {
        let width: Int
        switch descriptor.physicalType {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .int96: width = 12
        case .fixedLenByteArray: width = descriptor.typeLength
        default: width = 0
        }
        self.init(physicalType: descriptor.physicalType, width: width)
    }

    init(physicalType: PhysicalType, width: Int) {
        self.physicalType = physicalType
        self.width = width
        // The batches a scan decodes mostly live briefly: their large buffers come from the pool.
        fixed = BufferBuilder(capacity: 64, pooled: true)
        bits = BitmapBuilder(capacity: 64)
        offsets = BufferBuilder(capacity: 64, pooled: true)
        data = BufferBuilder(capacity: 64, pooled: true)
        indices = BufferBuilder(capacity: 64, pooled: true)
        offsets.append(Int32(0))
    }

    /// Records that `added` values were appended by a decoder.
    mutating func didAppend(_ added: Int) { count += added }

    /// Checks that the byte-array data still fits `Int32` offsets.
    func checkDataSize() throws {
        if data.count > Int(Int32.max) {
            throw ParquetError.unsupported("a batch of byte-array values larger than 2 GiB; use a smaller batch size")
        }
    }

    /// Appends the byte-array value `bytes`.
    @inline(__always)
    mutating func appendByteArray(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
        offsets.append(Int32(truncatingIfNeeded: data.count))
        count += 1
    }

    /// Starts keeping indices, unless values were already collected in this batch.
    mutating func beginIndices() -> Bool {
        if isCollectingIndices { return true }
        if count > 0 { return false }
        isCollectingIndices = true
        return true
    }

    /// Turns the indices collected so far into values, for a batch that mixes dictionary and
    /// plain pages.
    mutating func materializeIndices(from dictionary: DictionaryValues) throws {
        guard isCollectingIndices else { return }
        isCollectingIndices = false
        let collected = indices.take()
        count = 0
        try collected.withUnsafeBufferPointer(as: Int32.self) { try dictionary.gather($0, into: &self) }
    }

    /// The values collected since the last call, as physical values; resets the builder.
    mutating func finish() -> PhysicalValues {
        let n = count
        count = 0
        switch physicalType {
        case .boolean:
            return .bits(bits.take(), count: n)
        case .byteArray:
            let result = PhysicalValues.variableWidth(offsets: offsets.take(), data: data.take(), count: n)
            offsets.append(Int32(0))
            return result
        default:
            return .fixedWidth(fixed.take(), width: width, count: n)
        }
    }

    /// The indices collected since the last call and their count; resets the builder.
    mutating func takeIndices() -> (indices: Buffer, count: Int) {
        let n = count
        count = 0
        isCollectingIndices = false
        return (indices.take(), n)
    }

    /// The indices collected since the last call, as a dictionary column; resets the builder.
    mutating func finishIndices(dictionary: Column) -> Column {
        let n = count
        count = 0
        isCollectingIndices = false
        return Column(type: dictionary.type, count: n, validity: nil,
                      storage: .dictionary(indices: indices.take(), dictionary: dictionary))
    }
}
