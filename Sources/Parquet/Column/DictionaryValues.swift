import Columnar

/// The decoded dictionary page of a column chunk, in physical form, plus its conversion to the
/// column's type (made once, when a batch keeps dictionary indices).
final class DictionaryValues {
    let values: PhysicalValues
    var count: Int { values.count }
    private var converted: Column?

    init(page: Page, descriptor: ColumnDescriptor) throws {
        guard let header = page.header.dictionaryPageHeader else { preconditionFailure("not a dictionary page") }
        guard header.numValues >= 0 else {
            throw ParquetError.corrupt("dictionary page has \(header.numValues) values")
        }
        guard header.encoding == .plain || header.encoding == .plainDictionary else {
            throw ParquetError.unsupported("dictionary page encoding \(header.encoding)")
        }
        var builder = DenseValueBuilder(descriptor: descriptor)
        // Fixed-width PLAIN values in a body of their own (a decompressed page) are the
        // dictionary as they are: kept instead of copied, which for a chunk of 100,000 distinct
        // BIGINTs saves copying 800 KB into as many fresh bytes.
        let count = Int(header.numValues)
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: max(builder.width, 1))
        if builder.width > 0, !overflow, byteCount == page.body.count, page.body.start == 0,
           page.body.buffer.byteCount == page.body.count {
            values = .fixedWidth(page.body.buffer, width: builder.width, count: count)
            return
        }
        var decoder = try ValueDecoder(encoding: .plain, body: page.body, start: 0, descriptor: descriptor,
                                       dictionaryCount: nil)
        try decoder.decode(Int(header.numValues), into: &builder)
        values = builder.finish()
    }

    /// True once `column(descriptor:)` has converted the dictionary.
    var isConverted: Bool { converted != nil }

    /// The dictionary as a column of the leaf's type.
    func column(descriptor: ColumnDescriptor) throws -> Column {
        if let converted { return converted }
        let column = try values.column(of: descriptor.dataType, descriptor: descriptor)
        converted = column
        return column
    }

    /// Appends the values at `indices` (already checked to be in range) to `builder`.
    func gather(_ indices: UnsafeBufferPointer<Int32>, into builder: inout DenseValueBuilder) throws {
        try values.gather(indices, into: &builder)
    }
}
