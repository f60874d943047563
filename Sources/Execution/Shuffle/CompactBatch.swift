import Columnar

/// A batch as a shuffle keeps it in memory until reduce tasks read it: each column of 8- or
/// 16-byte integers (BIGINT, timestamps, decimals) whose values span less than 2^32 is stored as
/// 1-, 2- or 4-byte offsets from its smallest value; other columns as they are.
///
/// The map output of a stage is all held at once, and on a VM every fresh page costs a fault of
/// several microseconds: the skewed join's 4M rows of two BIGINTs under 100,000 take half the
/// pages, and TPC-H lineitem's `decimal(15,2)` prices and discounts, 16 bytes in memory, take 4
/// and 1. Values round-trip bit for bit; NULL rows' slots hold whatever their offset gives.
struct CompactBatch: @unchecked Sendable {
    /// One stored column.
    enum Stored {
        case plain(Column)
        /// `width`-byte offsets from `base`, of a column of `type` (8- or 16-byte values).
        case offsets(type: DataType, validity: Buffer?, nullCount: Int, base: Int128, width: Int, data: Buffer)
    }

    let schema: Schema
    let rowCount: Int
    let columns: [Stored]

    init(_ batch: RecordBatch) {
        schema = batch.schema
        rowCount = batch.rowCount
        columns = batch.columns.map { Self.compacted($0, rows: batch.rowCount) }
    }

    /// The batch with every column as it was.
    var batch: RecordBatch {
        RecordBatch(schema: schema, columns: columns.indices.map(column), rowCount: rowCount)
    }

    /// Column `index` as it was.
    func column(_ index: Int) -> Column {
        switch columns[index] {
        case .plain(let column): column
        case .offsets(let type, let validity, let nullCount, let base, let width, let data):
            Self.widened(type: type, validity: validity, nullCount: nullCount, base: base, width: width, data: data, count: rowCount)
        }
    }

    /// The bytes of the rows as a batch (`RecordBatch.dataSize` of `batch`), whatever is kept.
    var dataSize: Int {
        columns.reduce(0) { total, stored in
            switch stored {
            case .plain(let column): total + column.dataSize
            case .offsets(let type, _, let nullCount, _, _, _):
                total + (nullCount > 0 ? Bitmap.byteCount(forBits: rowCount) : 0) + rowCount * type.byteWidth!
            }
        }
    }

    /// The rows of `pieces` (of one schema) in order, as one batch. A column kept as offsets
    /// without NULLs in every piece is widened straight into the one buffer, instead of piece by
    /// piece and then copied again to concatenate them.
    static func concatenated(_ pieces: [CompactBatch]) -> RecordBatch {
        if pieces.count == 1 { return pieces[0].batch }
        let rows = pieces.reduce(0) { $0 + $1.rowCount }
        let columns = pieces[0].columns.indices.map { c -> Column in
            let direct = pieces.allSatisfy { piece in
                if case .offsets(_, _, 0, _, _, _) = piece.columns[c] { true } else { false }
            }
            guard direct, case .offsets(let type, _, _, _, _, _) = pieces[0].columns[c], let valueWidth = type.byteWidth else {
                return Column.concatenated(pieces.map { $0.column(c) })
            }
            // Read batches mostly live briefly (a join's probe side): pooled memory.
            let values = OutputBuffer.allocate(byteCount: rows * valueWidth)
            var position = 0
            for piece in pieces {
                guard case .offsets(_, _, _, let base, let width, let data) = piece.columns[c] else { preconditionFailure("checked above") }
                if valueWidth == 8 {
                    read(data.baseAddress, width: width, base: Int64(truncatingIfNeeded: base), count: piece.rowCount,
                         into: values.baseAddress.assumingMemoryBound(to: Int64.self) + position)
                } else {
                    read(data.baseAddress, width: width, base: base, count: piece.rowCount,
                         into: values.baseAddress.assumingMemoryBound(to: Int128.self) + position)
                }
                position += piece.rowCount
            }
            return Column(type: type, count: rows, validity: nil, nullCount: 0, storage: .fixedWidth(values))
        }
        return RecordBatch(schema: pieces[0].schema, columns: columns, rowCount: rows)
    }

    /// Rows `rows` of `batch`, each column gathered straight into the form `layouts` (from
    /// `layouts(of: batch)`) gives it: offsets from the whole batch's smallest value. A map task
    /// splitting a batch into partitions makes one of these per partition, reading each row
    /// once and making no full-width copy of it.
    init(gathering batch: RecordBatch, rows: UnsafeBufferPointer<Int32>, layouts: [OffsetLayout?]) {
        schema = batch.schema
        rowCount = rows.count
        columns = zip(batch.columns, layouts).map { column, layout in
            guard let layout, case .fixedWidth(let data) = column.storage else {
                // Kept until the reduce tasks read it: memory to size, not from the pool.
                return .plain(ColumnGather.gather(column, indices: rows, pooled: false))
            }
            var validity: Buffer?
            var nullCount = 0
            if column.nullCount > 0, let bits = column.validity {
                let gathered = ColumnGather.gatherBits(bits, rows, count: rows.count)
                nullCount = rows.count - BitWords.popCount(gathered, count: rows.count)
                if nullCount > 0 { validity = gathered }
            }
            let offsets = Self.offsets(data, type: column.type, layout: layout, count: rows.count, rows: rows.baseAddress)
            return .offsets(type: column.type, validity: validity, nullCount: nullCount, base: layout.base, width: layout.width, data: offsets)
        }
    }

    // MARK: Compacting

    /// How a column's values are kept: `width`-byte offsets from `base`.
    struct OffsetLayout {
        let base: Int128
        let width: Int
    }

    /// For each column of `batch`, the offsets it can be kept as (nil: kept as it is).
    static func layouts(of batch: RecordBatch) -> [OffsetLayout?] {
        batch.columns.map { layout(of: $0, rows: batch.rowCount) }
    }

    /// The offsets `column` can be kept as: a column of 8- or 16-byte integers whose valid values
    /// span less than 2^32.
    static func layout(of column: Column, rows: Int) -> OffsetLayout? {
        guard rows > 0, column.count == rows, case .fixedWidth(let data) = column.storage, column.type != .float64,
              let width = column.type.byteWidth, width == 8 || width == 16, data.byteCount >= rows * width else {
            return nil
        }
        let validity = column.nullCount > 0 ? column.validity.map { UnsafeRawPointer($0.baseAddress) } : nil
        let found = width == 8
            ? range(data.baseAddress.assumingMemoryBound(to: Int64.self), count: rows, validity: validity).map { (Int128($0.low), $0.span) }
            : range(data.baseAddress.assumingMemoryBound(to: Int128.self), count: rows, validity: validity).map { ($0.low, $0.span) }
        guard let (base, span) = found, let offsetWidth = offsetWidth(span) else { return nil }
        return OffsetLayout(base: base, width: offsetWidth)
    }

    static func compacted(_ column: Column, rows: Int) -> Stored {
        guard let layout = layout(of: column, rows: rows), case .fixedWidth(let data) = column.storage else { return .plain(column) }
        let offsets = offsets(data, type: column.type, layout: layout, count: rows, rows: nil)
        return .offsets(type: column.type, validity: column.validity, nullCount: column.nullCount, base: layout.base, width: layout.width, data: offsets)
    }

    /// The smallest value of the valid rows and how far the largest is above it (nil: all NULL).
    static func range<T: FixedWidthInteger & SignedInteger>(_ values: UnsafePointer<T>, count: Int,
                                                           validity: UnsafeRawPointer?) -> (low: T, span: UInt128)? {
        var low = T.max, high = T.min
        if let validity {
            for i in 0..<count where Bitmap.isSet(validity, i) {
                low = min(low, values[i])
                high = max(high, values[i])
            }
        } else {
            // Values in pairs: one comparison orders a pair, then its smaller one goes against
            // the low and its larger one against the high (3 comparisons for 2 values, not 4),
            // in two independent chains.
            var (low1, high1) = (low, high)
            var i = 0
            while i &+ 4 <= count {
                let (a, b, c, d) = (values[i], values[i &+ 1], values[i &+ 2], values[i &+ 3])
                let (small0, large0) = a < b ? (a, b) : (b, a)
                let (small1, large1) = c < d ? (c, d) : (d, c)
                low = min(low, small0)
                high = max(high, large0)
                low1 = min(low1, small1)
                high1 = max(high1, large1)
                i &+= 4
            }
            while i < count {
                low = min(low, values[i])
                high = max(high, values[i])
                i &+= 1
            }
            low = min(low, low1)
            high = max(high, high1)
        }
        guard low <= high else { return nil }
        // The difference wraps for spans past T.max; as unsigned it is still the span.
        return (low, UInt128(truncatingIfNeeded: T.Magnitude(truncatingIfNeeded: high &- low)))
    }

    static func offsetWidth(_ span: UInt128) -> Int? {
        span <= 0xFF ? 1 : span <= 0xFFFF ? 2 : span <= 0xFFFF_FFFF ? 4 : nil
    }

    /// The values of `data` (a column of `type`, 8- or 16-byte integers) at `rows[0 ..< count]`
    /// (nil: the first `count` in order) as offsets laid out by `layout`.
    private static func offsets(_ data: Buffer, type: DataType, layout: OffsetLayout, count: Int, rows: UnsafePointer<Int32>?) -> Buffer {
        func run<T: FixedWidthInteger, O: FixedWidthInteger & UnsignedInteger>(_: T.Type, _: O.Type, _ raw: UnsafeMutableRawPointer) {
            let values = data.baseAddress.assumingMemoryBound(to: T.self)
            let base = T(truncatingIfNeeded: layout.base)
            let out = raw.assumingMemoryBound(to: O.self)
            if let rows {
                for i in 0..<count { out[i] = O(truncatingIfNeeded: values[Int(rows[i])] &- base) }
            } else {
                for i in 0..<count { out[i] = O(truncatingIfNeeded: values[i] &- base) }
            }
        }
        func run<T: FixedWidthInteger>(_: T.Type, _ raw: UnsafeMutableRawPointer) {
            switch layout.width {
            case 1: run(T.self, UInt8.self, raw)
            case 2: run(T.self, UInt16.self, raw)
            default: run(T.self, UInt32.self, raw)
            }
        }
        return Buffer(byteCount: count * layout.width) { raw in
            if type.byteWidth == 8 { run(Int64.self, raw.baseAddress!) } else { run(Int128.self, raw.baseAddress!) }
        }
    }

    // MARK: Widening

    static func widened(type: DataType, validity: Buffer?, nullCount: Int, base: Int128, width: Int, data: Buffer, count: Int) -> Column {
        let valueWidth = type.byteWidth!
        let values = Buffer(byteCount: count * valueWidth) { raw in
            if valueWidth == 8 {
                read(data.baseAddress, width: width, base: Int64(truncatingIfNeeded: base), count: count, into: raw.baseAddress!.assumingMemoryBound(to: Int64.self))
            } else {
                read(data.baseAddress, width: width, base: base, count: count, into: raw.baseAddress!.assumingMemoryBound(to: Int128.self))
            }
        }
        return Column(type: type, count: count, validity: validity, nullCount: nullCount, storage: .fixedWidth(values))
    }

    private static func read<T: FixedWidthInteger>(_ raw: UnsafeMutableRawPointer, width: Int, base: T, count: Int,
                                                   into out: UnsafeMutablePointer<T>) {
        func run<O: FixedWidthInteger & UnsignedInteger>(_: O.Type) {
            let offsets = UnsafeRawPointer(raw).assumingMemoryBound(to: O.self)
            for i in 0..<count { out[i] = base &+ T(truncatingIfNeeded: offsets[i]) }
        }
        switch width {
        case 1: run(UInt8.self)
        case 2: run(UInt16.self)
        default: run(UInt32.self)
        }
    }
}
