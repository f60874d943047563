import Columnar

/// Typed access and construction helpers the kernels share.
extension Column {
    /// The values of a plain fixed-width column as `T`.
    @inline(__always)
    func values<T>(_ type: T.Type) -> UnsafePointer<T> {
        guard case .fixedWidth(let data) = storage else { preconditionFailure("\(self.type) is not plain fixed width") }
        return UnsafePointer(data.baseAddress.assumingMemoryBound(to: T.self))
    }

    /// The bits of a plain boolean column.
    var bitsBuffer: Buffer {
        guard case .bits(let bits) = storage else { preconditionFailure("\(type) is not plain boolean") }
        return bits
    }

    /// The same values under `type` (a NULL literal's placeholder type replaced); the layouts
    /// must agree unless every value is NULL.
    func retyped(_ type: DataType) -> Column {
        if self.type == type { return self }
        if nullCount == count { return .nulls(type, count: count) }
        return Column(type: type, count: count, validity: validity, storage: storage)
    }

    /// A fixed-width column over `values`.
    static func fixed(_ type: DataType, count: Int, values: Buffer, validity: Buffer?) -> Column {
        Column(type: type, count: count, validity: validity, storage: .fixedWidth(values))
    }

    /// A boolean column over `bits`.
    static func booleans(count: Int, bits: Buffer, validity: Buffer?) -> Column {
        Column(type: .boolean, count: count, validity: validity, storage: .bits(bits))
    }

    /// True when row `i` is valid (for slow paths).
    @inline(__always)
    func isValid(_ i: Int) -> Bool { !isNull(i) }
}
