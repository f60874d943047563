extension Column {
    /// A new column holding `self[indices[i]]` for each `i < count`.
    ///
    /// `validity`, when given, masks the result: positions that are null there are null in the
    /// result and their index is not read (it may be anything). Used to decode dictionaries and,
    /// later, by filters and sorts.
    public func gather(indices: Buffer, count: Int, validity outerValidity: Buffer? = nil) -> Column {
        let source = materialized()
        return indices.withUnsafeBufferPointer(as: Int32.self) { idx in
            source.gatherMaterialized(idx, count: count, outerValidity: outerValidity)
        }
    }

    private func gatherMaterialized(
        _ idx: UnsafeBufferPointer<Int32>, count: Int, outerValidity: Buffer?
    ) -> Column {
        precondition(idx.count >= count, "too few indices")
        let outer = outerValidity?.baseAddress
        @inline(__always) func present(_ i: Int) -> Bool { outer == nil || Bitmap.isSet(outer!, i) }

        // Result validity: null where the outer mask is null or the gathered value is null.
        var resultValidity: Buffer? = nil
        if outer != nil || validity != nil {
            resultValidity = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for i in 0..<count where present(i) && !isNull(Int(idx[i])) {
                    Bitmap.set(raw.baseAddress!, i)
                }
            }
        }

        switch storage {
        case .fixedWidth(let data):
            let width = type.byteWidth!
            let out = Buffer(byteCount: count * width) { raw in
                let dst = raw.baseAddress!
                let src = UnsafeRawPointer(data.baseAddress)
                switch width {
                case 1: Self.gatherValues(UInt8.self, src, dst, idx, count: count, outer: outer)
                case 2: Self.gatherValues(UInt16.self, src, dst, idx, count: count, outer: outer)
                case 4: Self.gatherValues(UInt32.self, src, dst, idx, count: count, outer: outer)
                case 8: Self.gatherValues(UInt64.self, src, dst, idx, count: count, outer: outer)
                case 16: Self.gatherValues(UInt128.self, src, dst, idx, count: count, outer: outer)
                default:
                    for i in 0..<count {
                        if present(i) {
                            (dst + i * width).copyMemory(from: src + Int(idx[i]) * width, byteCount: width)
                        } else {
                            (dst + i * width).initializeMemory(as: UInt8.self, repeating: 0, count: width)
                        }
                    }
                }
            }
            return Column(type: type, count: count, validity: resultValidity, storage: .fixedWidth(out))

        case .bits(let bits):
            let out = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for i in 0..<count where present(i) && Bitmap.isSet(bits.baseAddress, Int(idx[i])) {
                    Bitmap.set(raw.baseAddress!, i)
                }
            }
            return Column(type: type, count: count, validity: resultValidity, storage: .bits(out))

        case .variableWidth(let offsets, let data):
            return offsets.withUnsafeBufferPointer(as: Int32.self) { off in
                var total = 0
                for i in 0..<count where present(i) {
                    let j = Int(idx[i])
                    total += Int(off[j + 1] - off[j])
                }
                precondition(total <= Int(Int32.max), "gathered strings exceed 2 GiB")
                let newOffsets = Buffer(byteCount: (count + 1) * 4) { raw in
                    let o = raw.bindMemory(to: Int32.self)
                    var position: Int32 = 0
                    o[0] = 0
                    for i in 0..<count {
                        if present(i) {
                            let j = Int(idx[i])
                            position += off[j + 1] - off[j]
                        }
                        o[i + 1] = position
                    }
                }
                let newData = Buffer(byteCount: total) { raw in
                    var position = 0
                    for i in 0..<count where present(i) {
                        let j = Int(idx[i])
                        let length = Int(off[j + 1] - off[j])
                        if length > 0 {
                            (raw.baseAddress! + position).copyMemory(from: data.baseAddress + Int(off[j]), byteCount: length)
                        }
                        position += length
                    }
                }
                return Column(type: type, count: count, validity: resultValidity,
                              storage: .variableWidth(offsets: newOffsets, data: newData))
            }

        case .list(let offsets, let values):
            return offsets.withUnsafeBufferPointer(as: Int32.self) { off in
                var childIndices: [Int32] = []
                let newOffsets = Buffer(byteCount: (count + 1) * 4) { raw in
                    let o = raw.bindMemory(to: Int32.self)
                    o[0] = 0
                    for i in 0..<count {
                        if present(i) {
                            let j = Int(idx[i])
                            for k in off[j]..<off[j + 1] { childIndices.append(k) }
                        }
                        o[i + 1] = Int32(childIndices.count)
                    }
                }
                let child = values.gather(indices: Buffer(copying: childIndices), count: childIndices.count)
                return Column(type: type, count: count, validity: resultValidity,
                              storage: .list(offsets: newOffsets, values: child))
            }

        case .structure(let children):
            let indexBuffer = Buffer(byteCount: count * 4) { raw in
                let o = raw.bindMemory(to: Int32.self)
                for i in 0..<count { o[i] = present(i) ? idx[i] : 0 }
            }
            let gathered = children.map { $0.gather(indices: indexBuffer, count: count, validity: resultValidity) }
            return Column(type: type, count: count, validity: resultValidity, storage: .structure(gathered))

        case .dictionary:
            preconditionFailure("materialized column cannot be a dictionary")
        }
    }

    /// `dst[i] = src[idx[i]]` for `T`-sized values; 0 where `outer` (if any) has the bit clear.
    /// A loop without the test when there is no mask: decoding a dictionary goes through here.
    @inline(__always)
    private static func gatherValues<T: FixedWidthInteger>(
        _: T.Type, _ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, _ idx: UnsafeBufferPointer<Int32>,
        count: Int, outer: UnsafeMutableRawPointer?
    ) {
        let size = MemoryLayout<T>.size
        let out = dst.assumingMemoryBound(to: T.self)
        if let outer {
            for i in 0..<count {
                out[i] = Bitmap.isSet(outer, i) ? src.loadUnaligned(fromByteOffset: Int(idx[i]) &* size, as: T.self) : 0
            }
        } else {
            for i in 0..<count { out[i] = src.loadUnaligned(fromByteOffset: Int(idx[i]) &* size, as: T.self) }
        }
    }

    /// Rows `range` of this column, copied.
    public func slice(_ range: Range<Int>) -> Column {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of range")
        let indices = Buffer(copying: range.map { Int32($0) })
        if case .dictionary(let dictionaryIndices, let dictionary) = storage {
            // Keep the dictionary: slice only the indices and validity.
            let sliced = Buffer(copying: range.map { dictionaryIndices.load($0, as: Int32.self) })
            let validitySlice = validity.map { v in Bitmap.buffer(from: range.map { Bitmap.isSet(v.baseAddress, $0) }, count: range.count) }
            return Column(type: type, count: range.count, validity: validitySlice,
                          storage: .dictionary(indices: sliced, dictionary: dictionary))
        }
        return gather(indices: indices, count: range.count)
    }
}
