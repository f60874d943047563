import Columnar

/// The shape of an elementwise computation over several inputs.
struct RowShape {
    /// Rows to compute: 1 when every input is a scalar.
    let count: Int
    let isScalar: Bool

    init(_ inputs: [Datum], rowCount: Int) {
        isScalar = inputs.allSatisfy(\.isScalar)
        count = isScalar ? 1 : rowCount
    }

    init(_ a: Datum, rowCount: Int) {
        isScalar = a.isScalar
        count = isScalar ? 1 : rowCount
    }

    init(_ a: Datum, _ b: Datum, rowCount: Int) {
        isScalar = a.isScalar && b.isScalar
        count = isScalar ? 1 : rowCount
    }

    func datum(_ column: Column) -> Datum {
        isScalar ? Datum(scalar: column) : Datum(column: column)
    }
}
