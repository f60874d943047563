import Columnar

/// One sort key over all rows of the input, in order-preserving ("normalised") form: each value
/// becomes one or more unsigned 64-bit words that compare like the values do in Spark's order,
/// so that every comparison of the sort is an integer comparison.
///
/// - integers, dates, times, timestamps: one word, the sign bit flipped;
/// - floating point: one word from the IEEE bits (negative values inverted, positive ones with
///   the sign bit set), -0.0 as 0.0 and every NaN as the largest word;
/// - booleans: 0 or 1; decimals: two words (four for 256-bit ones), most significant first;
/// - strings and binary: 8 bytes at a time, big-endian and zero-padded, plus how many bytes of
///   the value are left (0…8, or 9 for "more than this word") so "ab" < "ab\0" < "abc".
///
/// `pack` turns (NULL placement, word, remaining-length, row number) into one `UInt128` whose
/// order is the sort order at one level; the row number last makes the sort stable.
struct SortKeyColumn {
    enum Values {
        /// `perRow` words per row, row-major.
        case words([UInt64], perRow: Int)
        /// Each row's bytes.
        case bytes(starts: [UnsafeRawPointer], lengths: [Int32])
    }

    let values: Values
    /// 1 for a NULL row; empty when no row is NULL.
    let nulls: [UInt8]
    let ascending: Bool
    let nullsFirst: Bool
    /// The columns whose buffers `values` points into.
    private let owners: [Column]

    static func isSortable(_ type: DataType) -> Bool {
        switch type {
        case .interval, .list, .map, .structure: false
        default: true
        }
    }

    /// The key over `columns` (one per batch, all of one type), which hold `rowCount` rows together.
    init(_ columns: [Column], type: DataType, rowCount: Int, ascending: Bool, nullsFirst: Bool) throws {
        guard Self.isSortable(type) else { throw ExecutionError.unsupported("sorting by \(type) values") }
        self.ascending = ascending
        self.nullsFirst = nullsFirst
        let columns = columns.map(\.withRowValidity)
        owners = columns
        var nulls: [UInt8] = []
        if columns.contains(where: { $0.nullCount > 0 }) {
            nulls = [UInt8](repeating: 0, count: rowCount)
            var base = 0
            for column in columns {
                if let validity = column.validity?.baseAddress {
                    for row in 0..<column.count where !Bitmap.isSet(validity, row) { nulls[base + row] = 1 }
                }
                base += column.count
            }
        }
        self.nulls = nulls

        switch type.layout {
        case _ where type.layout == .variableWidth || Self.isByteString(type):
            var starts = [UnsafeRawPointer](repeating: UnsafeRawPointer(bitPattern: 1)!, count: rowCount)
            var lengths = [Int32](repeating: 0, count: rowCount)
            var base = 0
            for column in columns {
                try Self.collectBytes(column, starts: &starts, lengths: &lengths, at: base)
                base += column.count
            }
            values = .bytes(starts: starts, lengths: lengths)
        case .bits:
            var words = [UInt64](repeating: 0, count: rowCount)
            var base = 0
            for column in columns {
                let plain = column.materialized()
                guard case .bits(let bits) = plain.storage else { throw ExecutionError.unsupported("\(type) column without bits") }
                for row in 0..<plain.count where Bitmap.isSet(bits.baseAddress, row) { words[base + row] = 1 }
                base += column.count
            }
            values = .words(words, perRow: 1)
        case .fixedWidth(let width):
            let perRow = Self.wordCount(type)
            var words = [UInt64](repeating: 0, count: rowCount * perRow)
            try words.withUnsafeMutableBufferPointer { buffer in
                var base = 0
                for column in columns {
                    try Self.normalize(column, width: width, into: buffer.baseAddress! + base * perRow)
                    base += column.count
                }
            }
            values = perRow == 2 ? Self.narrowed(words, nulls: nulls) : .words(words, perRow: perRow)
        default:
            throw ExecutionError.unsupported("sorting by \(type) values")
        }
    }

    /// Two words per row as one when every value fits in 64 bits (the usual decimal): one sort
    /// level instead of two.
    private static func narrowed(_ words: [UInt64], nulls: [UInt8]) -> Values {
        let rows = words.count / 2
        var fits = true
        for row in 0..<rows where nulls.isEmpty || nulls[row] == 0 {
            // Fits in Int64: the high word is the sign extension of the low one (sign bit flipped).
            let high = words[2 * row] ^ (1 << 63)
            let low = words[2 * row + 1]
            fits = fits && high == (low >> 63 == 0 ? 0 : UInt64.max)
        }
        guard fits else { return .words(words, perRow: 2) }
        return .words((0..<rows).map { words[2 * $0 + 1] ^ (1 << 63) }, perRow: 1)
    }

    private static func isByteString(_ type: DataType) -> Bool {
        switch type {
        case .fixedSizeBinary, .uuid: true
        default: false
        }
    }

    private static func wordCount(_ type: DataType) -> Int {
        if case .decimal(let precision, _) = type { return precision <= 38 ? 2 : 4 }
        return 1
    }

    private static func collectBytes(_ column: Column, starts: inout [UnsafeRawPointer], lengths: inout [Int32], at base: Int) throws {
        switch column.storage {
        case .variableWidth(let offsets, let data):
            try StringInterner.checkOffsets(offsets, data: data, count: column.count)
            offsets.withUnsafeBufferPointer(as: Int32.self) { offset in
                for row in 0..<column.count {
                    starts[base + row] = UnsafeRawPointer(data.baseAddress + Int(offset[row]))
                    lengths[base + row] = offset[row + 1] - offset[row]
                }
            }
        case .fixedWidth(let data):
            let width = column.type.byteWidth!
            guard data.byteCount >= column.count * width else { throw ExecutionError.unsupported("short column buffer") }
            for row in 0..<column.count {
                starts[base + row] = UnsafeRawPointer(data.baseAddress + row * width)
                lengths[base + row] = Int32(width)
            }
        case .dictionary(let indices, let dictionary):
            // Point every row at its dictionary entry's bytes.
            let index = try column.checkedDictionaryIndices(indices, dictionaryCount: dictionary.count)
            var entryStarts = [UnsafeRawPointer](repeating: UnsafeRawPointer(bitPattern: 1)!, count: dictionary.count)
            var entryLengths = [Int32](repeating: 0, count: dictionary.count)
            try collectBytes(dictionary, starts: &entryStarts, lengths: &entryLengths, at: 0)
            let validity = column.validity?.baseAddress
            for row in 0..<column.count where validity == nil || Bitmap.isSet(validity!, row) {
                starts[base + row] = entryStarts[Int(index[row])]
                lengths[base + row] = entryLengths[Int(index[row])]
            }
        default:
            throw ExecutionError.unsupported("\(column.type) column without byte values")
        }
    }

    private static func normalize(_ column: Column, width: Int, into words: UnsafeMutablePointer<UInt64>) throws {
        func run<T: SortNormalized>(_: T.Type) throws {
            var kernel = SortNormalizeKernel<T>(words: words, count: column.count)
            try column.visitFixedValues(&kernel)
        }
        if let kind = NumericKind(column.type) {
            switch kind {
            case .int8: try run(Int8.self)
            case .int16: try run(Int16.self)
            case .int32: try run(Int32.self)
            case .int64: try run(Int64.self)
            case .uint8: try run(UInt8.self)
            case .uint16: try run(UInt16.self)
            case .uint32: try run(UInt32.self)
            case .uint64: try run(UInt64.self)
            case .float16: try run(Float16.self)
            case .float32: try run(Float.self)
            case .float64: try run(Double.self)
            case .decimal: try run(Int128.self)
            }
            return
        }
        guard case .decimal = column.type, width == 32 else {
            throw ExecutionError.unsupported("sorting by \(column.type) values")
        }
        // 256-bit decimals: little-endian two's complement words, most significant first.
        let plain = column.materialized()
        guard case .fixedWidth(let data) = plain.storage, data.byteCount >= plain.count * 32 else {
            throw ExecutionError.unsupported("short decimal column buffer")
        }
        for row in 0..<plain.count {
            for word in 0..<4 {
                var value = data.baseAddress.loadUnaligned(fromByteOffset: row * 32 + (3 - word) * 8, as: UInt64.self)
                if word == 0 { value ^= 1 << 63 }
                words[row * 4 + word] = value
            }
        }
    }

    /// Writes the packed level key of `rows[i]` at `depth` to `keys[i]`.
    func pack(rows: UnsafePointer<UInt32>, count: Int, depth: Int, into keys: UnsafeMutablePointer<UInt128>) {
        let flip: UInt64 = ascending ? 0 : ~0
        let auxFlip: UInt64 = ascending ? 0 : 15
        let nullClass: UInt128 = nullsFirst ? 0 : 2
        let hasNulls = !nulls.isEmpty
        nulls.withUnsafeBufferPointer { nulls in
            switch values {
            case .words(let words, let perRow):
                words.withUnsafeBufferPointer { words in
                    for i in 0..<count {
                        let row = rows[i]
                        if hasNulls && nulls[Int(row)] != 0 {
                            keys[i] = nullClass << 100 | UInt128(row)
                        } else {
                            let word = words[Int(row) &* perRow &+ depth] ^ flip
                            keys[i] = 1 << 100 | UInt128(word) << 36 | UInt128(row)
                        }
                    }
                }
            case .bytes(let starts, let lengths):
                starts.withUnsafeBufferPointer { starts in
                    lengths.withUnsafeBufferPointer { lengths in
                        let offset = depth &* 8
                        for i in 0..<count {
                            let row = Int(rows[i])
                            if hasNulls && nulls[row] != 0 {
                                keys[i] = nullClass << 100 | UInt128(row)
                                continue
                            }
                            let left = Int(lengths[row]) &- offset
                            var word: UInt64 = 0
                            if left >= 8 {
                                word = (starts[row] + offset).loadUnaligned(as: UInt64.self).bigEndian
                            } else if left > 0 {
                                withUnsafeMutableBytes(of: &word) { $0.copyMemory(from: UnsafeRawBufferPointer(start: starts[row] + offset, count: left)) }
                                word = word.bigEndian
                            }
                            let aux = UInt64(left > 8 ? 9 : left) ^ auxFlip
                            keys[i] = 1 << 100 | UInt128(word ^ flip) << 36 | UInt128(aux) << 32 | UInt128(row)
                        }
                    }
                }
            }
        }
    }

    /// Whether rows that tie on the packed key `key` at `depth` are equal on this column (so the
    /// next column decides), rather than needing the next depth of this one.
    func isLastLevel(_ key: UInt128, depth: Int) -> Bool {
        if key >> 100 != 1 { return true }
        switch values {
        case .words(_, let perRow): return depth == perRow - 1
        case .bytes:
            let aux = UInt64(truncatingIfNeeded: key >> 32) & 15
            return (ascending ? aux : 15 - aux) <= 8
        }
    }
}

/// A fixed-width value with an order-preserving word form.
protocol SortNormalized: BitwiseCopyable {
    static var wordCount: Int { get }
    static func store(_ value: Self, _ words: UnsafeMutablePointer<UInt64>)
}

extension SortNormalized where Self: FixedWidthInteger & SignedInteger {
    static var wordCount: Int { 1 }
    @inline(__always) static func store(_ value: Self, _ words: UnsafeMutablePointer<UInt64>) {
        words[0] = UInt64(bitPattern: Int64(value)) ^ (1 << 63)
    }
}

extension SortNormalized where Self: FixedWidthInteger & UnsignedInteger {
    static var wordCount: Int { 1 }
    @inline(__always) static func store(_ value: Self, _ words: UnsafeMutablePointer<UInt64>) { words[0] = UInt64(value) }
}

extension Int8: SortNormalized {}
extension Int16: SortNormalized {}
extension Int32: SortNormalized {}
extension Int64: SortNormalized {}
extension UInt8: SortNormalized {}
extension UInt16: SortNormalized {}
extension UInt32: SortNormalized {}
extension UInt64: SortNormalized {}

extension Int128: SortNormalized {
    static var wordCount: Int { 2 }
    @inline(__always) static func store(_ value: Self, _ words: UnsafeMutablePointer<UInt64>) {
        words[0] = UInt64(truncatingIfNeeded: value >> 64) ^ (1 << 63)
        words[1] = UInt64(truncatingIfNeeded: value)
    }
}

extension Double: SortNormalized {
    static var wordCount: Int { 1 }
    @inline(__always) static func store(_ value: Self, _ words: UnsafeMutablePointer<UInt64>) {
        if value.isNaN { words[0] = .max; return }
        let bits = (value == 0 ? 0 : value).bitPattern
        words[0] = bits >> 63 != 0 ? ~bits : bits | (1 << 63)
    }
}

extension Float: SortNormalized {
    static var wordCount: Int { 1 }
    @inline(__always) static func store(_ value: Self, _ words: UnsafeMutablePointer<UInt64>) { Double.store(Double(value), words) }
}

extension Float16: SortNormalized {
    static var wordCount: Int { 1 }
    @inline(__always) static func store(_ value: Self, _ words: UnsafeMutablePointer<UInt64>) { Double.store(Double(value), words) }
}

/// Writes the word form of a column's present values (NULL rows keep zero words).
struct SortNormalizeKernel<Value: SortNormalized>: FixedValuesVisitor {
    let words: UnsafeMutablePointer<UInt64>
    let count: Int

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Value {
        let perRow = Value.wordCount
        for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
            Value.store(values.value(at: row), words + row &* perRow)
        }
    }
}
