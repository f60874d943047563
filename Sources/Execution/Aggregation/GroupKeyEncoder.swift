import Columnar

/// Turns the group-key columns of a batch into one fixed-width key row per row, column at a
/// time, so that the group table compares and hashes plain words.
///
/// Layout of a key row: each column's part at a fixed offset, then one null bit per fixed-width
/// column. Parts: fixed-width values as they are stored (floats normalised so that NaN groups
/// with NaN and -0.0 with 0.0), booleans as one byte (0, 1, 2 for NULL), and variable-width
/// values as their `StringInterner` code (`UInt32.max` for NULL). Unused bytes are zero. A
/// single fixed-width key has no null bit: its NULLs are the table's separate null group
/// (`nullsOutOfBand`), which keeps e.g. one `BIGINT` key in 8 bytes.
final class GroupKeyEncoder {
    enum FloatKind {
        case none, half, single, double
    }

    enum Part {
        /// `nullBit` is -1 when the column has no null bit (nulls out of band or not nullable).
        case fixed(offset: Int, width: Int, nullBit: Int, float: FloatKind)
        case boolean(offset: Int)
        case interned(offset: Int, interner: StringInterner)
    }

    let types: [DataType]
    let parts: [Part]
    /// Bytes of a key row the parts use.
    let keyWidth: Int
    /// Bytes between key rows: 8, 16, or `keyWidth` rounded up to 8.
    let stride: Int
    let nullsOutOfBand: Bool
    private let nullByteOffset: Int
    /// Per column, whether it may hold NULL (a fixed-width one that may not has no null bit).
    private let nullable: [Bool]

    /// `nullable[i]` false promises that column `i` never holds NULL (saves its null bit).
    init(types: [DataType], nullable: [Bool]? = nil) throws {
        precondition(!types.isEmpty, "no key columns")
        self.types = types
        let nullable = nullable ?? Array(repeating: true, count: types.count)
        self.nullable = nullable
        var parts: [Part] = []
        var offset = 0
        var nullBits = 0
        let single = types.count == 1
        for (type, isNullable) in zip(types, nullable) {
            switch type.layout {
            case .fixedWidth(let width):
                let float: FloatKind = switch type {
                case .float16: .half
                case .float32: .single
                case .float64: .double
                default: .none
                }
                let bit = isNullable && !single ? nullBits : -1
                if bit >= 0 { nullBits += 1 }
                parts.append(.fixed(offset: offset, width: width, nullBit: bit, float: float))
                offset += width
            case .bits:
                parts.append(.boolean(offset: offset))
                offset += 1
            case .variableWidth:
                parts.append(.interned(offset: offset, interner: StringInterner()))
                offset += 4
            case .list, .structure:
                throw ExecutionError.unsupported("grouping by \(type) values")
            }
        }
        self.parts = parts
        if single, case .fixed = parts[0] {
            self.nullsOutOfBand = nullable[0]
        } else {
            self.nullsOutOfBand = false
        }
        self.nullByteOffset = offset
        self.keyWidth = offset + (nullBits + 7) / 8
        self.stride = keyWidth <= 8 ? 8 : keyWidth <= 16 ? 16 : (keyWidth + 7) / 8 * 8
    }

    var memoryBytes: Int {
        parts.reduce(0) { total, part in
            if case .interned(_, let interner) = part { return total + interner.memoryBytes }
            return total
        }
    }

    /// Writes the key rows of `count` rows to `rows` (`count * stride` bytes).
    func encode(_ columns: [Column], count: Int, into rows: UnsafeMutableRawPointer) throws {
        // Rows start zeroed (padding, null bits), unless one key without NULLs fills them all.
        var fillsRows = false
        if parts.count == 1, case .fixed(_, let width, _, _) = parts[0] { fillsRows = width == stride && columns[0].nullCount == 0 }
        if !fillsRows { rows.initializeMemory(as: UInt8.self, repeating: 0, count: count * stride) }
        for (i, (column, part)) in zip(columns, parts).enumerated() {
            switch part {
            case .fixed(let offset, let width, let nullBit, let float):
                if !nullable[i] && column.nullCount > 0 {
                    // The plan typed the key NOT NULL: its NULLs would have no bit to go to.
                    throw ExecutionError.unsupported("a NULL in grouping key \(i + 1), which the plan types NOT NULL")
                }
                try encodeFixed(column, count: count, rows: rows, offset: offset, width: width, nullBit: nullBit, float: float)
            case .boolean(let offset):
                try encodeBoolean(column, count: count, rows: rows + offset)
            case .interned(let offset, let interner):
                try interner.intern(column, into: rows + offset, stride: stride)
            }
        }
    }

    private func encodeFixed(_ column: Column, count: Int, rows: UnsafeMutableRawPointer, offset: Int, width: Int,
                             nullBit: Int, float: FloatKind) throws {
        let nullByte = nullBit < 0 ? -1 : nullByteOffset + nullBit / 8
        let nullMask = UInt8(1) << UInt8(max(nullBit, 0) % 8)
        func write<T: KeyValue>(_: T.Type) throws {
            var writer = KeyPartWriter<T>(rows: rows + offset, stride: stride, count: count,
                                          nullBytes: nullByte < 0 ? nil : rows + nullByte, nullMask: nullMask)
            try column.visitFixedValues(&writer)
        }
        switch (width, float) {
        case (2, .half): try write(Float16.self)
        case (4, .single): try write(Float.self)
        case (8, .double): try write(Double.self)
        case (1, _): try write(UInt8.self)
        case (2, _): try write(UInt16.self)
        case (4, _): try write(UInt32.self)
        case (8, _): try write(UInt64.self)
        case (16, _): try write(UInt128.self)
        default:
            // Odd widths (INTERVAL, FIXED_LEN_BYTE_ARRAY, wide decimals): copy bytes.
            let plain = column.materialized()
            guard case .fixedWidth(let data) = plain.storage, data.byteCount >= count * width else {
                throw ExecutionError.unsupported("\(column.type) key column without fixed-width storage")
            }
            let validity = plain.validity?.baseAddress
            for row in 0..<count {
                if validity == nil || Bitmap.isSet(validity!, row) {
                    (rows + row * stride + offset).copyMemory(from: data.baseAddress + row * width, byteCount: width)
                } else if nullByte >= 0 {
                    let p = rows + row * stride + nullByte
                    p.storeBytes(of: p.load(as: UInt8.self) | nullMask, as: UInt8.self)
                }
            }
        }
    }

    private func encodeBoolean(_ column: Column, count: Int, rows: UnsafeMutableRawPointer) throws {
        let plain = column.materialized()
        guard case .bits(let bits) = plain.storage, bits.byteCount >= Bitmap.byteCount(forBits: count) else {
            throw ExecutionError.unsupported("\(column.type) key column without bit storage")
        }
        let validity = plain.validity?.baseAddress
        for row in 0..<count {
            let value: UInt8 = validity == nil || Bitmap.isSet(validity!, row)
                ? (Bitmap.isSet(bits.baseAddress, row) ? 1 : 0) : 2
            rows.storeBytes(of: value, toByteOffset: row &* stride, as: UInt8.self)
        }
    }

    /// Key columns for `count` groups whose rows start at `rows`; `nullGroup` (an index into
    /// these rows) is the out-of-band NULL group, if any.
    func decode(rows: UnsafeRawPointer, count: Int, nullGroup: Int?) -> [Column] {
        zip(types, parts).map { type, part in
            switch part {
            case .fixed(let offset, let width, let nullBit, _):
                var nulls = 0
                let data = Buffer(byteCount: count * width) { raw in
                    for i in 0..<count {
                        (raw.baseAddress! + i * width).copyMemory(from: rows + i * stride + offset, byteCount: width)
                    }
                }
                var validity: Buffer?
                if nullBit >= 0 || nullGroup != nil {
                    let byte = nullByteOffset + max(nullBit, 0) / 8
                    let mask = UInt8(1) << UInt8(max(nullBit, 0) % 8)
                    validity = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                        raw.initializeMemory(as: UInt8.self, repeating: 0)
                        for i in 0..<count {
                            let isNull = nullBit >= 0 ? rows.load(fromByteOffset: i * stride + byte, as: UInt8.self) & mask != 0 : i == nullGroup
                            if isNull { nulls += 1 } else { Bitmap.set(raw.baseAddress!, i) }
                        }
                    }
                }
                return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .fixedWidth(data))
            case .boolean(let offset):
                var nulls = 0
                let bits = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                    raw.initializeMemory(as: UInt8.self, repeating: 0)
                    for i in 0..<count where rows.load(fromByteOffset: i * stride + offset, as: UInt8.self) == 1 {
                        Bitmap.set(raw.baseAddress!, i)
                    }
                }
                let validity = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                    raw.initializeMemory(as: UInt8.self, repeating: 0)
                    for i in 0..<count {
                        if rows.load(fromByteOffset: i * stride + offset, as: UInt8.self) == 2 { nulls += 1 } else { Bitmap.set(raw.baseAddress!, i) }
                    }
                }
                return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .bits(bits))
            case .interned(let offset, let interner):
                return interner.column(type, codes: (rows + offset).assumingMemoryBound(to: UInt32.self), stride: stride, count: count)
            }
        }
    }
}

/// A fixed-width key value as stored in a key row: floats normalised, integers as they are.
protocol KeyValue: BitwiseCopyable {
    static func normalized(_ value: Self) -> Self
}

extension UInt8: KeyValue { @inline(__always) static func normalized(_ value: Self) -> Self { value } }
extension UInt16: KeyValue { @inline(__always) static func normalized(_ value: Self) -> Self { value } }
extension UInt32: KeyValue { @inline(__always) static func normalized(_ value: Self) -> Self { value } }
extension UInt64: KeyValue { @inline(__always) static func normalized(_ value: Self) -> Self { value } }
extension UInt128: KeyValue { @inline(__always) static func normalized(_ value: Self) -> Self { value } }

extension Double: KeyValue {
    /// One NaN and one zero, as Spark's NormalizeFloatingNumbers.
    @inline(__always) static func normalized(_ value: Self) -> Self { value.isNaN ? .nan : (value == 0 ? 0 : value) }
}

extension Float: KeyValue {
    @inline(__always) static func normalized(_ value: Self) -> Self { value.isNaN ? .nan : (value == 0 ? 0 : value) }
}

extension Float16: KeyValue {
    @inline(__always) static func normalized(_ value: Self) -> Self { value.isNaN ? .nan : (value == 0 ? 0 : value) }
}

/// Writes one fixed-width column's part of the key rows.
struct KeyPartWriter<Value: KeyValue>: FixedValuesVisitor {
    let rows: UnsafeMutableRawPointer
    let stride: Int
    let count: Int
    /// The byte holding this column's null bit in row 0, or nil when it has none.
    let nullBytes: UnsafeMutableRawPointer?
    let nullMask: UInt8

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Value {
        if let validity {
            for row in 0..<count {
                if Bitmap.isSet(validity, row) {
                    rows.storeBytes(of: Value.normalized(values.value(at: row)), toByteOffset: row &* stride, as: Value.self)
                } else if let nullBytes {
                    let p = nullBytes + row &* stride
                    p.storeBytes(of: p.load(as: UInt8.self) | nullMask, as: UInt8.self)
                }
            }
        } else {
            for row in 0..<count {
                rows.storeBytes(of: Value.normalized(values.value(at: row)), toByteOffset: row &* stride, as: Value.self)
            }
        }
    }
}
