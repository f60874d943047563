extension Column {
    /// Spreads a column of densely packed present values over `count` slots, where the set bits
    /// of `validity` mark the present ones (there must be exactly `self.count` of them).
    ///
    /// This is how a decoder turns the non-null values of a page into a column with nulls.
    public func spread(validity: Buffer, count: Int, nullCount: Int) -> Column {
        precondition(count - nullCount == self.count, "validity does not match the dense values")
        let bits = validity.baseAddress
        switch storage {
        case .fixedWidth(let dense):
            let width = type.byteWidth!
            let out = Buffer(byteCount: count * width) { raw in
                let dst = raw.baseAddress!
                let src = dense.baseAddress
                var next = 0
                switch width {
                case 4:
                    for i in 0..<count {
                        var value: UInt32 = 0
                        if Bitmap.isSet(bits, i) {
                            value = src.loadUnaligned(fromByteOffset: next &* 4, as: UInt32.self)
                            next &+= 1
                        }
                        dst.storeBytes(of: value, toByteOffset: i &* 4, as: UInt32.self)
                    }
                case 8:
                    for i in 0..<count {
                        var value: UInt64 = 0
                        if Bitmap.isSet(bits, i) {
                            value = src.loadUnaligned(fromByteOffset: next &* 8, as: UInt64.self)
                            next &+= 1
                        }
                        dst.storeBytes(of: value, toByteOffset: i &* 8, as: UInt64.self)
                    }
                default:
                    for i in 0..<count {
                        if Bitmap.isSet(bits, i) {
                            (dst + i &* width).copyMemory(from: src + next &* width, byteCount: width)
                            next &+= 1
                        } else {
                            (dst + i &* width).initializeMemory(as: UInt8.self, repeating: 0, count: width)
                        }
                    }
                }
            }
            return Column(type: type, count: count, validity: validity, nullCount: nullCount, storage: .fixedWidth(out))

        case .bits(let dense):
            let out = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                var next = 0
                for i in 0..<count where Bitmap.isSet(bits, i) {
                    if Bitmap.isSet(dense.baseAddress, next) { Bitmap.set(raw.baseAddress!, i) }
                    next &+= 1
                }
            }
            return Column(type: type, count: count, validity: validity, nullCount: nullCount, storage: .bits(out))

        case .variableWidth(let denseOffsets, let data):
            let out = Buffer(byteCount: (count + 1) * 4) { raw in
                let o = raw.bindMemory(to: Int32.self)
                denseOffsets.withUnsafeBufferPointer(as: Int32.self) { src in
                    var next = 0
                    o[0] = src[0]
                    for i in 0..<count {
                        if Bitmap.isSet(bits, i) { next &+= 1 }
                        o[i + 1] = src[next]
                    }
                }
            }
            return Column(type: type, count: count, validity: validity, nullCount: nullCount,
                          storage: .variableWidth(offsets: out, data: data))

        case .dictionary(let indices, let dictionary):
            let spreadIndices = Column(type: .int32, count: self.count, validity: nil, storage: .fixedWidth(indices))
                .spread(validity: validity, count: count, nullCount: nullCount)
            guard case .fixedWidth(let out) = spreadIndices.storage else { preconditionFailure() }
            return Column(type: type, count: count, validity: validity, nullCount: nullCount,
                          storage: .dictionary(indices: out, dictionary: dictionary))

        case .list, .structure:
            var indices = [Int32](repeating: 0, count: count)
            var next: Int32 = 0
            for i in 0..<count where Bitmap.isSet(bits, i) {
                indices[i] = next
                next += 1
            }
            return gather(indices: Buffer(copying: indices), count: count, validity: validity)
        }
    }
}
