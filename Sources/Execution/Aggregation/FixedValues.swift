import Columnar

/// Typed read access to the values of a fixed-width column, plain or dictionary encoded.
///
/// Kernels are generic over the source so that one loop body serves both storages and is
/// specialised for each; nothing is decided per value.
protocol FixedValues {
    associatedtype Value: BitwiseCopyable
    func value(at row: Int) -> Value
}

struct PlainValues<Value: BitwiseCopyable>: FixedValues {
    let base: UnsafeRawPointer

    @inline(__always)
    func value(at row: Int) -> Value {
        base.loadUnaligned(fromByteOffset: row &* MemoryLayout<Value>.size, as: Value.self)
    }
}

struct DictionaryEncodedValues<Value: BitwiseCopyable>: FixedValues {
    let indices: UnsafePointer<Int32>
    let dictionary: UnsafeRawPointer

    @inline(__always)
    func value(at row: Int) -> Value {
        dictionary.loadUnaligned(fromByteOffset: Int(indices[row]) &* MemoryLayout<Value>.size, as: Value.self)
    }
}

/// A kernel over the values of one fixed-width column, called once per batch with the source
/// that matches the column's storage.
protocol FixedValuesVisitor {
    associatedtype Value: BitwiseCopyable
    /// `validity` has bit `i` set when row `i` is present; nil when no row is null.
    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) throws
        where Source.Value == Value
}

extension Column {
    /// Runs `visitor` over the column's values, checking once that the buffers hold `count`
    /// values of the visitor's width (and that dictionary indices are in range).
    func visitFixedValues<V: FixedValuesVisitor>(_ visitor: inout V) throws {
        let width = MemoryLayout<V.Value>.size
        guard type.byteWidth == width else {
            throw ExecutionError.unsupported("\(type) values read as \(width)-byte values")
        }
        switch storage {
        case .fixedWidth(let data):
            guard data.byteCount >= count * width else { throw ExecutionError.unsupported("short \(type) column buffer") }
            try visitor.visit(PlainValues<V.Value>(base: data.baseAddress), validity: validity?.baseAddress)
        case .dictionary(let indices, let dictionary):
            guard case .fixedWidth(let data) = dictionary.storage, data.byteCount >= dictionary.count * width else {
                throw ExecutionError.unsupported("dictionary of \(type) without fixed-width values")
            }
            let indexPointer = try checkedDictionaryIndices(indices, dictionaryCount: dictionary.count)
            if dictionary.validity != nil {
                // Rare: nulls inside the dictionary. Decode so that the row validity says it all.
                try materialized().visitFixedValues(&visitor)
                return
            }
            try visitor.visit(DictionaryEncodedValues<V.Value>(indices: indexPointer, dictionary: data.baseAddress),
                              validity: validity?.baseAddress)
        default:
            throw ExecutionError.unsupported("\(type) column without fixed-width storage")
        }
    }

    /// The indices of a dictionary column, after checking that every present row's index is
    /// within the dictionary (null rows may hold anything, so they are read as 0 by kernels that
    /// skip them anyway; an out-of-range index there is tolerated).
    func checkedDictionaryIndices(_ indices: Buffer, dictionaryCount: Int) throws -> UnsafePointer<Int32> {
        guard indices.byteCount >= count * 4 else { throw ExecutionError.unsupported("short dictionary index buffer") }
        let pointer = UnsafePointer(indices.baseAddress.assumingMemoryBound(to: Int32.self))
        var outOfRange: UInt32 = 0
        let limit = UInt32(truncatingIfNeeded: dictionaryCount)
        if let validity = validity?.baseAddress {
            for row in 0..<count where Bitmap.isSet(validity, row) {
                outOfRange |= UInt32(bitPattern: pointer[row]) >= limit ? 1 : 0
            }
        } else {
            // Unsigned comparison catches negative indices too; branch-free so it vectorises.
            for row in 0..<count { outOfRange |= UInt32(bitPattern: pointer[row]) >= limit ? 1 : 0 }
        }
        guard outOfRange == 0 else { throw ExecutionError.unsupported("dictionary index out of range") }
        return pointer
    }
}
