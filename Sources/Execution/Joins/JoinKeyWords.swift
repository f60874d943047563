import Columnar

/// Join keys of integer-like types (integers, dates, times, timestamps) as 64-bit words: each
/// value sign- or zero-extended, so that equal values give equal words whatever their width.
///
/// Keys of one type on both sides (what the analyzer's coercion of `a = b` makes) are equal
/// exactly when their words are, so a hash join compares words where it would otherwise compare
/// hashes and then evaluate the key equality on every candidate pair.
enum JoinKeyWords {
    /// Whether keys of `type` can be kept as words.
    static func holds(_ type: DataType) -> Bool {
        NumericKind(type)?.isInteger ?? false
    }

    /// The column as the word loaders and `present` read it: a dictionary with NULL entries is
    /// decoded, so that the rows' validity says which rows are NULL.
    static func resolved(_ column: Column) -> Column {
        if case .dictionary(_, let dictionary) = column.storage, dictionary.nullCount > 0 { return column.materialized() }
        return column
    }

    /// Writes row `i`'s word to `words[i * stride + offset]` (0 for NULL rows; `present` says
    /// which rows to skip). `column` is `resolved` and of a type that `holds`.
    static func load(_ column: Column, into words: UnsafeMutablePointer<UInt64>, stride: Int, offset: Int) throws {
        guard let kind = NumericKind(column.type), kind.isInteger else {
            throw ExecutionError.unsupported("a join key of type \(column.type) kept as a 64-bit word")
        }
        func run<T: JoinKeyWord>(_: T.Type) throws {
            var kernel = WordLoader<T>(words: words + offset, stride: stride, count: column.count)
            try column.visitFixedValues(&kernel)
        }
        switch kind {
        case .int8: try run(Int8.self)
        case .int16: try run(Int16.self)
        case .int32: try run(Int32.self)
        case .int64: try run(Int64.self)
        case .uint8: try run(UInt8.self)
        case .uint16: try run(UInt16.self)
        case .uint32: try run(UInt32.self)
        case .uint64: try run(UInt64.self)
        default: preconditionFailure("checked above")
        }
    }

    /// A lone key's words where its values already are them: a plain BIGINT-like column (64-bit
    /// integers, whose bits are their words), read in place instead of copied. NULL rows' words
    /// are whatever the column holds there; `present` leaves those rows out.
    static func direct(_ column: Column, rowCount: Int) -> UnsafePointer<UInt64>? {
        guard case .fixedWidth(let values) = column.storage, column.count == rowCount,
              let kind = NumericKind(column.type), kind == .int64 || kind == .uint64, values.byteCount >= rowCount * 8 else { return nil }
        return UnsafePointer(values.baseAddress.assumingMemoryBound(to: UInt64.self))
    }

    /// The rows where no key is NULL, as a bitmap of `rowCount` bits in 64-bit words; nil when
    /// no key has a NULL. The keys are `resolved`.
    static func present(_ keys: [Column], rowCount: Int) -> [UInt64]? {
        let nullable = keys.filter { $0.nullCount > 0 && $0.validity != nil }
        guard !nullable.isEmpty else { return nil }
        let wordCount = (rowCount + 63) >> 6
        var bits = [UInt64](repeating: ~0, count: wordCount)
        bits.withUnsafeMutableBufferPointer { out in
            for key in nullable {
                let validity = key.validity!.baseAddress
                // Whole validity words where the bitmap has them, then the last bytes one by one.
                let fullWords = rowCount >> 6
                for w in 0..<fullWords { out[w] &= validity.loadUnaligned(fromByteOffset: w << 3, as: UInt64.self) }
                var row = fullWords << 6
                while row < rowCount {
                    if !Bitmap.isSet(validity, row) { out[row >> 6] &= ~(1 << UInt64(row & 63)) }
                    row += 1
                }
            }
        }
        return bits
    }

    /// The hash of one word: the table's slot comes from its low bits.
    @inline(__always)
    static func hash(_ word: UInt64) -> UInt64 {
        ValueHashing.fold(word ^ ValueHashing.secret0, ValueHashing.secret1)
    }

    /// The hash of `count` (at least one) words.
    @inline(__always)
    static func hash(_ words: UnsafePointer<UInt64>, count: Int) -> UInt64 {
        var value = hash(words[0])
        var i = 1
        while i < count {
            value = ValueHashing.fold(value ^ words[i], ValueHashing.secret2)
            i &+= 1
        }
        return value
    }
}

/// An integer-like value's join key word.
protocol JoinKeyWord: BitwiseCopyable {
    var keyWord: UInt64 { get }
}

extension Int8: JoinKeyWord { @inline(__always) var keyWord: UInt64 { UInt64(bitPattern: Int64(self)) } }
extension Int16: JoinKeyWord { @inline(__always) var keyWord: UInt64 { UInt64(bitPattern: Int64(self)) } }
extension Int32: JoinKeyWord { @inline(__always) var keyWord: UInt64 { UInt64(bitPattern: Int64(self)) } }
extension Int64: JoinKeyWord { @inline(__always) var keyWord: UInt64 { UInt64(bitPattern: self) } }
extension UInt8: JoinKeyWord { @inline(__always) var keyWord: UInt64 { UInt64(self) } }
extension UInt16: JoinKeyWord { @inline(__always) var keyWord: UInt64 { UInt64(self) } }
extension UInt32: JoinKeyWord { @inline(__always) var keyWord: UInt64 { UInt64(self) } }
extension UInt64: JoinKeyWord { @inline(__always) var keyWord: UInt64 { self } }

/// Writes a column's key words with a stride (one word of each row's key tuple).
struct WordLoader<Value: JoinKeyWord>: FixedValuesVisitor {
    let words: UnsafeMutablePointer<UInt64>
    let stride: Int
    let count: Int

    mutating func visit<Source: FixedValues>(_ values: Source, validity: UnsafeRawPointer?) where Source.Value == Value {
        if let validity {
            // A NULL row's value is not read: a dictionary index there may be out of range.
            for row in 0..<count { words[row &* stride] = Bitmap.isSet(validity, row) ? values.value(at: row).keyWord : 0 }
        } else if stride == 1 {
            for row in 0..<count { words[row] = values.value(at: row).keyWord }
        } else {
            for row in 0..<count { words[row &* stride] = values.value(at: row).keyWord }
        }
    }
}
