import Columnar

/// The words of a boolean operand's values (a scalar repeats its value).
struct BooleanWords {
    let reader: WordReader
    let scalarWord: UInt64?

    init(_ datum: Datum, count: Int) {
        if datum.isScalar {
            scalarWord = datum.column.booleanValue(at: 0) ? ~0 : 0
            reader = WordReader(nil, count: 0)
        } else {
            scalarWord = nil
            reader = WordReader(datum.column.materialized().bitsBuffer, count: count)
        }
    }

    @inline(__always)
    subscript(_ w: Int) -> UInt64 { scalarWord ?? reader[w] }
}
