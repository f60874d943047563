import Columnar

/// What a kernel produces for a batch: a column with one value per row, or one value that
/// stands for every row (a literal, or anything computed from literals only).
///
/// A scalar is kept as a plain one-row column so that kernels read it with the same typed
/// access as a column. A kernel whose inputs are all scalars produces a scalar.
struct Datum: Sendable {
    let column: Column
    let isScalar: Bool

    init(column: Column) {
        self.column = column
        self.isScalar = false
    }

    init(scalar: Column) {
        precondition(scalar.count == 1, "a scalar is one value")
        self.column = scalar.materialized()
        self.isScalar = true
    }

    /// True for a scalar NULL.
    var isNullScalar: Bool { isScalar && column.nullCount == 1 }

    /// True when no row can be NULL.
    var hasNoNulls: Bool { column.nullCount == 0 }

    /// The values as a plain (not dictionary-encoded) column of `count` rows; a scalar is repeated.
    func expanded(_ count: Int) -> Column {
        guard isScalar else { return column.materialized() }
        return Datum.repeated(column, count: count)
    }

    /// The values as a column of `count` rows, cheap to build: a repeated string becomes a
    /// one-entry dictionary instead of `count` copies of its bytes.
    func broadcast(_ count: Int) -> Column {
        guard isScalar else { return column }
        if column.type.layout == .variableWidth && column.nullCount == 0 && count > 1 {
            return Column(type: column.type, count: count, validity: nil,
                          storage: .dictionary(indices: Buffer(zeroedByteCount: count * 4), dictionary: column))
        }
        return Datum.repeated(column, count: count)
    }

    /// `value` (one row, plain) repeated `count` times.
    static func repeated(_ value: Column, count: Int) -> Column {
        if value.nullCount == 1 { return Column.nulls(value.type, count: count) }
        switch value.storage {
        case .fixedWidth(let data):
            let width = data.byteCount
            let out = Buffer(byteCount: count * width) { raw in
                guard count > 0 else { return }
                let dst = raw.baseAddress!
                switch width {
                case 1: dst.initializeMemory(as: UInt8.self, repeating: data.load(0, as: UInt8.self), count: count)
                case 2: dst.initializeMemory(as: UInt16.self, repeating: data.load(0, as: UInt16.self), count: count)
                case 4: dst.initializeMemory(as: UInt32.self, repeating: data.load(0, as: UInt32.self), count: count)
                case 8: dst.initializeMemory(as: UInt64.self, repeating: data.load(0, as: UInt64.self), count: count)
                case 16: dst.initializeMemory(as: UInt128.self, repeating: data.load(0, as: UInt128.self), count: count)
                default:
                    for i in 0..<count { (dst + i * width).copyMemory(from: data.baseAddress, byteCount: width) }
                }
            }
            return Column(type: value.type, count: count, validity: nil, storage: .fixedWidth(out))
        case .bits(let bits):
            let set = Bitmap.isSet(bits.baseAddress, 0)
            return Column(type: value.type, count: count, validity: nil, storage: .bits(BitWords.filled(set, count: count)))
        case .variableWidth:
            return value.withBytes(at: 0) { bytes in
                let length = bytes.count
                precondition(length * count <= Int(Int32.max), "repeated string exceeds 2 GiB")
                let offsets = Buffer(byteCount: (count + 1) * 4) { raw in
                    let o = raw.bindMemory(to: Int32.self)
                    for i in 0...count { o[i] = Int32(truncatingIfNeeded: i &* length) }
                }
                let data = Buffer(byteCount: length * count) { raw in
                    guard length > 0 else { return }
                    for i in 0..<count {
                        (raw.baseAddress! + i * length).copyMemory(from: bytes.baseAddress!, byteCount: length)
                    }
                }
                return Column(type: value.type, count: count, validity: nil,
                              storage: .variableWidth(offsets: offsets, data: data))
            }
        default:
            let indices = Buffer(zeroedByteCount: count * 4)
            return value.gather(indices: indices, count: count)
        }
    }
}

extension Datum {
    /// The combined validity of two operands of an elementwise computation (neither a NULL scalar).
    static func validity(_ a: Datum, _ b: Datum, count: Int) -> Buffer? {
        BitWords.and(a.isScalar ? nil : a.column.validity, b.isScalar ? nil : b.column.validity, count: count)
    }
}
