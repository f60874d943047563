import Columnar


/// The validity words of an operand (a scalar is all valid or all NULL).
struct ValidityWords {
    let reader: WordReader
    let scalarWord: UInt64?

    init(_ datum: Datum, count: Int) {
        if datum.isScalar {
            scalarWord = datum.column.nullCount == 0 ? ~0 : 0
            reader = WordReader(nil, count: 0)
        } else {
            scalarWord = nil
            reader = WordReader(datum.column.validity, count: count)
        }
    }

    var allValid: Bool { scalarWord == ~0 || (scalarWord == nil && reader.base == nil) }

    @inline(__always)
    subscript(_ w: Int) -> UInt64 { scalarWord ?? reader[w] }
}
