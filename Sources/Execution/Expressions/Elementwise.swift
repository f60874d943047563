import Columnar

/// Applies elementwise work to the plain values of a column.
enum Elementwise {
    /// Applies `body` to the values of `input`, which it receives as a plain column, and returns
    /// its result; `body` must map NULL to NULL and produce one value per input value.
    ///
    /// A dictionary-encoded input is evaluated once per dictionary entry and the results are
    /// mapped back through the indices (kept as a dictionary for text results, gathered
    /// otherwise), which is what makes string predicates and functions cheap on Parquet data.
    static func map(_ input: Datum, _ body: (Column) throws -> Column) rethrows -> Datum {
        if input.isScalar { return Datum(scalar: try body(input.column)) }
        let column = input.column
        if case .dictionary(let indices, let dictionary) = column.storage, dictionary.count <= column.count {
            if let mapped = try? body(dictionary) {
                return Datum(column: remap(mapped, indices: indices, count: column.count, validity: column.validity))
            }
        }
        return Datum(column: try body(column.materialized()))
    }

    /// Values `mapped[indices[i]]`, NULL where `validity` is.
    static func remap(_ mapped: Column, indices: Buffer, count: Int, validity: Buffer?) -> Column {
        if case .variableWidth = mapped.storage, mapped.nullCount == 0 {
            return Column(type: mapped.type, count: count, validity: validity, storage: .dictionary(indices: indices, dictionary: mapped))
        }
        if case .bits(let bits) = mapped.storage {
            return remapBits(mapped, bits: bits, indices: indices, count: count, validity: validity)
        }
        return mapped.gather(indices: indices, count: count, validity: validity)
    }

    /// Gathers booleans by dictionary index a word at a time.
    private static func remapBits(_ mapped: Column, bits: Buffer, indices: Buffer, count: Int, validity: Buffer?) -> Column {
        // Indices of NULL rows may be anything, so they are not read.
        let source = bits.baseAddress
        let outer = WordReader(validity, count: count)
        let values = indices.withUnsafeBufferPointer(as: Int32.self) { idx in
            validity == nil
                ? BitWords.make(count: count) { i in Bitmap.isSet(source, Int(idx[i])) }
                : BitWords.make(count: count) { i in
                    (outer[i >> 6] >> UInt64(i & 63)) & 1 != 0 && Bitmap.isSet(source, Int(idx[i]))
                }
        }
        var resultValidity = validity
        if let inner = mapped.validity {
            let innerBits = inner.baseAddress
            let gathered = indices.withUnsafeBufferPointer(as: Int32.self) { idx in
                BitWords.make(count: count) { i in
                    (outer[i >> 6] >> UInt64(i & 63)) & 1 != 0 && Bitmap.isSet(innerBits, Int(idx[i]))
                }
            }
            resultValidity = gathered
        }
        return Column(type: mapped.type, count: count, validity: resultValidity, storage: .bits(values))
    }
}
