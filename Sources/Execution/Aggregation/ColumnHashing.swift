import Columnar

/// Row hashes of key columns, computed a column at a time: the hash of a value depends only on
/// the value, never on how the column stores it (plain or dictionary), and NULL always hashes to
/// `ValueHashing.nullHash`.
///
/// Integers (and dates, times, timestamps, booleans as 0/1) hash as their value widened to 64
/// bits, so equal numbers of different integer widths hash alike; floating-point values hash as
/// normalised doubles (one NaN, one zero); decimals as their unscaled `Int128`; everything else
/// as its bytes.
enum ColumnHashing {
    /// Writes (`combine` false) or folds into (`combine` true) `hashes[i]` the hash of row `i`.
    static func hash(_ column: Column, into hashes: UnsafeMutablePointer<UInt64>, combine: Bool) {
        let count = column.count
        if case .dictionary(let indices, let dictionary) = column.storage {
            // Hash each dictionary entry once, then look the rows up.
            var entryHashes = [UInt64](repeating: 0, count: dictionary.count)
            entryHashes.withUnsafeMutableBufferPointer { hash(dictionary, into: $0.baseAddress!, combine: false) }
            let validity = column.validity?.baseAddress
            indices.withUnsafeBufferPointer(as: Int32.self) { index in
                entryHashes.withUnsafeBufferPointer { entries in
                    for row in 0..<count {
                        var value = ValueHashing.nullHash
                        if validity == nil || Bitmap.isSet(validity!, row) {
                            let entry = Int(index[row])
                            precondition(entry >= 0 && entry < entries.count, "dictionary index out of range")
                            value = entries[entry]
                        }
                        store(value, hashes, row, combine)
                    }
                }
            }
            return
        }
        let validity = column.validity?.baseAddress
        switch column.storage {
        case .fixedWidth(let data):
            if let kind = NumericKind(column.type) {
                func run<T: HashedValue>(_: T.Type) {
                    var kernel = HashKernel<T>(hashes: hashes, count: count, combine: combine)
                    // The storage was matched above, so only a too-short buffer can fail here.
                    do { try column.visitFixedValues(&kernel) } catch { preconditionFailure("\(error)") }
                }
                switch kind {
                case .int8: run(Int8.self)
                case .int16: run(Int16.self)
                case .int32: run(Int32.self)
                case .int64: run(Int64.self)
                case .uint8: run(UInt8.self)
                case .uint16: run(UInt16.self)
                case .uint32: run(UInt32.self)
                case .uint64: run(UInt64.self)
                case .float16: run(Float16.self)
                case .float32: run(Float.self)
                case .float64: run(Double.self)
                case .decimal: run(Int128.self)
                }
            } else {
                let width = column.type.byteWidth!
                precondition(data.byteCount >= count * width, "short column buffer")
                for row in 0..<count {
                    let present = validity == nil || Bitmap.isSet(validity!, row)
                    store(present ? ValueHashing.hash(data.baseAddress + row * width, count: width) : ValueHashing.nullHash,
                          hashes, row, combine)
                }
            }
        case .bits(let bits):
            for row in 0..<count {
                let present = validity == nil || Bitmap.isSet(validity!, row)
                store(present ? ValueHashing.mix(UInt64(Bitmap.isSet(bits.baseAddress, row) ? 1 : 0)) : ValueHashing.nullHash,
                      hashes, row, combine)
            }
        case .variableWidth(let offsets, let data):
            offsets.withUnsafeBufferPointer(as: Int32.self) { offset in
                precondition(offset.count > count && Int(offset[count]) <= data.byteCount, "offsets past the data")
                for row in 0..<count {
                    var value = ValueHashing.nullHash
                    if validity == nil || Bitmap.isSet(validity!, row) {
                        let start = Int(offset[row])
                        value = ValueHashing.hash(data.baseAddress + start, count: Int(offset[row + 1]) - start)
                    }
                    store(value, hashes, row, combine)
                }
            }
        case .structure(let children):
            var childHashes = [UInt64](repeating: ValueHashing.secret1, count: count)
            childHashes.withUnsafeMutableBufferPointer { buffer in
                for child in children { hash(child, into: buffer.baseAddress!, combine: true) }
            }
            for row in 0..<count {
                let present = validity == nil || Bitmap.isSet(validity!, row)
                store(present ? childHashes[row] : ValueHashing.nullHash, hashes, row, combine)
            }
        case .list(let offsets, let values):
            var elementHashes = [UInt64](repeating: 0, count: values.count)
            elementHashes.withUnsafeMutableBufferPointer { hash(values, into: $0.baseAddress!, combine: false) }
            offsets.withUnsafeBufferPointer(as: Int32.self) { offset in
                for row in 0..<count {
                    var value = ValueHashing.nullHash
                    if validity == nil || Bitmap.isSet(validity!, row) {
                        value = ValueHashing.secret2
                        for element in Int(offset[row])..<Int(offset[row + 1]) {
                            value = ValueHashing.combine(value, elementHashes[element])
                        }
                    }
                    store(value, hashes, row, combine)
                }
            }
        case .dictionary:
            preconditionFailure("handled above")
        }
    }

    @inline(__always)
    static func store(_ value: UInt64, _ hashes: UnsafeMutablePointer<UInt64>, _ row: Int, _ combine: Bool) {
        hashes[row] = combine ? ValueHashing.combine(hashes[row], value) : value
    }
}

/// A fixed-width value with a storage-independent hash.
protocol HashedValue: BitwiseCopyable {
    static func valueHash(_ value: Self) -> UInt64
}

extension Int8: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(UInt64(bitPattern: Int64(v))) } }
extension Int16: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(UInt64(bitPattern: Int64(v))) } }
extension Int32: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(UInt64(bitPattern: Int64(v))) } }
extension Int64: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(UInt64(bitPattern: v)) } }
extension UInt8: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(UInt64(v)) } }
extension UInt16: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(UInt64(v)) } }
extension UInt32: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(UInt64(v)) } }
extension UInt64: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(v) } }
extension Int128: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(UInt128(bitPattern: v)) } }
extension Double: HashedValue {
    @inline(__always) static func valueHash(_ v: Self) -> UInt64 { ValueHashing.mix(Double.normalized(v).bitPattern ^ ValueHashing.secret2) }
}
extension Float: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { Double.valueHash(Double(v)) } }
extension Float16: HashedValue { @inline(__always) static func valueHash(_ v: Self) -> UInt64 { Double.valueHash(Double(v)) } }

struct HashKernel<Value: HashedValue>: FixedValuesVisitor {
    let hashes: UnsafeMutablePointer<UInt64>
    let count: Int
    let combine: Bool

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Value {
        // One loop per case, so that the common ones (no NULLs) test nothing per row.
        if let validity {
            for row in 0..<count {
                let present = Bitmap.isSet(validity, row)
                ColumnHashing.store(present ? Value.valueHash(values.value(at: row)) : ValueHashing.nullHash, hashes, row, combine)
            }
        } else if combine {
            for row in 0..<count { hashes[row] = ValueHashing.combine(hashes[row], Value.valueHash(values.value(at: row))) }
        } else {
            for row in 0..<count { hashes[row] = Value.valueHash(values.value(at: row)) }
        }
    }
}
