import Columnar

/// Spreads the values computed for a subset of rows back over all rows.
enum ColumnScatter {
    /// A column of `count` rows whose rows set in `mask` take the values of `dense` in order
    /// (there are `setCount` of them, `dense.count`); the other rows are NULL.
    static func scatter(_ dense: Column, mask: Buffer, setCount: Int, count: Int) -> Column {
        precondition(dense.count == setCount, "dense values do not match the mask")
        let spread = dense.spread(validity: mask, count: count, nullCount: count - setCount)
        guard let denseValidity = dense.validity else { return spread }
        let maskBits = mask.baseAddress, denseBits = denseValidity.baseAddress
        var next = 0
        let validity = BitWords.make(count: count) { i in
            guard Bitmap.isSet(maskBits, i) else { return false }
            defer { next &+= 1 }
            return Bitmap.isSet(denseBits, next)
        }
        return Column(type: spread.type, count: count, validity: validity, storage: spread.storage)
    }
}
