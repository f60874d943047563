import Columnar

/// `CASE WHEN`, `coalesce` and `nullif`: operands evaluated for the rows that need them, then
/// merged with one typed blend per operand (`ColumnSelect`).
enum ConditionalKernels {
    /// `CASE WHEN c1 THEN r1 … [ELSE e] END` (searched form). A condition is evaluated for the
    /// rows no earlier branch took, a result for the rows its condition took; rows no branch
    /// takes and no ELSE covers are NULL.
    static func caseWhen(_ branches: [(condition: Kernel, result: Kernel)], otherwise: Kernel?) throws -> Kernel {
        guard let type = branches.first?.result.type else { throw ExecutionError.unsupported("CASE without WHEN") }
        for branch in branches {
            guard branch.condition.type == .boolean else { throw ExecutionError.unsupported("CASE condition of type \(branch.condition.type)") }
        }
        let results = branches.map(\.result) + (otherwise.map { [$0] } ?? [])
        guard results.allSatisfy({ $0.type == type || $0.isNullConstant }) else {
            throw ExecutionError.unsupported("CASE results of different types: \(results.map(\.type))")
        }
        let inputs = branches.flatMap { [$0.condition, $0.result] } + (otherwise.map { [$0] } ?? [])
        return Kernel(type: type) { batch in
            let count = batch.rowCount
            var remaining = BitWords.filled(true, count: count)
            var remainingCount = count
            var taken: [(mask: Buffer, value: Datum)] = []
            for branch in branches where remainingCount > 0 {
                let condition = try branch.condition.run(batch, onRowsIn: remaining)
                let conditionTrue = BitWords.trueMask(condition.broadcast(count))
                let ra = WordReader(remaining, count: count), rc = WordReader(conditionTrue, count: count)
                let take = BitWords.makeWords(count: count) { ra[$0] & rc[$0] }
                remaining = BitWords.makeWords(count: count) { ra[$0] & ~rc[$0] }
                let takeCount = BitWords.popCount(take, count: count)
                remainingCount -= takeCount
                if takeCount > 0 { taken.append((take, try branch.result.run(batch, onRowsIn: take))) }
            }
            if remainingCount > 0, let otherwise {
                taken.append((remaining, try otherwise.run(batch, onRowsIn: remaining)))
                remainingCount = 0
            }
            // One operand for every row: its values as they are.
            if remainingCount == 0, taken.count == 1, taken[0].value.column.type == type {
                return Datum(column: taken[0].value.broadcast(count))
            }
            var result = Column.nulls(type, count: count)
            for (mask, value) in taken.reversed() {
                result = ColumnSelect.select(mask, value.expanded(count).retyped(type), result)
            }
            return Datum(column: result)
        }.folded(inputs: inputs)
    }

    /// The first non-NULL argument; later arguments are evaluated only for rows still NULL.
    static func coalesce(_ arguments: [Kernel]) throws -> Kernel {
        guard let type = arguments.first(where: { !$0.isNullConstant })?.type ?? arguments.first?.type else {
            throw ExecutionError.unsupported("coalesce without arguments")
        }
        guard arguments.allSatisfy({ $0.type == type || $0.isNullConstant }) else {
            throw ExecutionError.unsupported("coalesce of different types: \(arguments.map(\.type))")
        }
        return Kernel(type: type) { batch in
            var current = try arguments[0].run(batch)
            for next in arguments.dropFirst() {
                if current.hasNoNulls { break }
                if current.isNullScalar {
                    current = try next.run(batch)
                    continue
                }
                let count = current.column.count
                let valid = current.column.validity!
                let reader = WordReader(valid, count: count)
                let missing = BitWords.makeWords(count: count) { ~reader[$0] }
                let value = try next.run(batch, onRowsIn: missing)
                current = Datum(column: ColumnSelect.select(valid, current.column.materialized(), value.expanded(count).retyped(type)))
            }
            return current.column.type == type ? current : Datum(scalar: .nulls(type, count: 1))
        }.folded(inputs: arguments)
    }

    /// `nullif(a, b)`: NULL where `a = b`, otherwise `a`.
    static func nullIf(_ a: Kernel, _ b: Kernel) throws -> Kernel {
        let equal = try ComparisonKernels.valueComparison(ComparisonKernels.Plan(.equal), type: a.type)
        return Kernel(type: a.type) { batch in
            let x = try a.run(batch), y = try b.run(batch)
            let same = ComparisonKernels.comparison(x, y, rowCount: batch.rowCount, equal)
            let shape = RowShape(x, y, rowCount: batch.rowCount)
            let value = x.isScalar && !shape.isScalar ? x.broadcast(shape.count) : x.column
            let matched = BitWords.trueMask(same.broadcast(shape.count))
            let rm = WordReader(matched, count: shape.count), rv = WordReader(value.validity, count: shape.count)
            let validity = BitWords.makeWords(count: shape.count) { rv[$0] & ~rm[$0] }
            return shape.datum(Column(type: value.type, count: shape.count, validity: validity, storage: value.storage))
        }.folded(inputs: [a, b])
    }
}

extension Column {
    /// The same values under `type` (a NULL literal's placeholder type replaced); the layouts
    /// must agree unless every value is NULL.
    func retyped(_ type: DataType) -> Column {
        if self.type == type { return self }
        if nullCount == count { return .nulls(type, count: count) }
        return Column(type: type, count: count, validity: validity, storage: storage)
    }
}

/// Per-row choice between two columns of one type.
enum ColumnSelect {
    /// Row `i` of `whenSet` where bit `i` of `mask` is set, else row `i` of `otherwise`; both
    /// plain and `count` rows long.
    static func select(_ mask: Buffer, _ whenSet: Column, _ otherwise: Column) -> Column {
        let count = otherwise.count
        precondition(whenSet.count == count, "select of columns of different lengths")
        let a = whenSet.materialized(), b = otherwise.materialized()
        let rm = WordReader(mask, count: count)
        var validity: Buffer? = nil
        if a.validity != nil || b.validity != nil {
            let ra = WordReader(a.validity, count: count), rb = WordReader(b.validity, count: count)
            validity = BitWords.makeWords(count: count) { w in (rm[w] & ra[w]) | (~rm[w] & rb[w]) }
        }
        let storage: Column.Storage
        switch (a.storage, b.storage) {
        case (.fixedWidth(let x), .fixedWidth(let y)):
            let values: Buffer
            switch b.type.byteWidth! {
            case 1: values = blend(rm, x, y, UInt8.self, count)
            case 2: values = blend(rm, x, y, UInt16.self, count)
            case 4: values = blend(rm, x, y, UInt32.self, count)
            case 8: values = blend(rm, x, y, UInt64.self, count)
            case 16: values = blend(rm, x, y, UInt128.self, count)
            default:
                let width = b.type.byteWidth!
                values = Buffer(byteCount: count * width) { raw in
                    for i in 0..<count {
                        let source = (rm[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? x : y
                        (raw.baseAddress! + i * width).copyMemory(from: source.baseAddress + i * width, byteCount: width)
                    }
                }
            }
            storage = .fixedWidth(values)
        case (.bits(let x), .bits(let y)):
            let rx = WordReader(x, count: count), ry = WordReader(y, count: count)
            storage = .bits(BitWords.makeWords(count: count) { w in (rm[w] & rx[w]) | (~rm[w] & ry[w]) })
        case (.variableWidth, .variableWidth):
            let ra = ByteValues.Reader(a), rb = ByteValues.Reader(b)
            let offsets = Buffer(byteCount: (count + 1) * 4) { raw in
                let o = raw.bindMemory(to: Int32.self)
                var total = 0
                o[0] = 0
                for i in 0..<count {
                    total &+= (rm[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? ra[i].count : rb[i].count
                    o[i + 1] = Int32(truncatingIfNeeded: total)
                }
                precondition(total <= Int(Int32.max), "strings exceed 2 GiB")
            }
            let total = Int(offsets.load(count, as: Int32.self))
            let data = Buffer(byteCount: total) { raw in
                var position = 0
                for i in 0..<count {
                    let (p, n) = (rm[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? ra[i] : rb[i]
                    if n > 0 { (raw.baseAddress! + position).copyMemory(from: p, byteCount: n) }
                    position &+= n
                }
            }
            storage = .variableWidth(offsets: offsets, data: data)
        default:
            preconditionFailure("select of \(a.type) and \(b.type)")
        }
        return Column(type: b.type, count: count, validity: validity, storage: storage)
    }

    @inline(__always)
    private static func blend<T: BitwiseCopyable>(_ mask: WordReader, _ x: Buffer, _ y: Buffer, _: T.Type, _ count: Int) -> Buffer {
        let px = x.baseAddress.assumingMemoryBound(to: T.self), py = y.baseAddress.assumingMemoryBound(to: T.self)
        let (buffer, out) = OutputBuffer.allocate(count, of: T.self)
        var i = 0
        for w in 0..<BitWords.wordCount(count) {
            let word = mask[w]
            let end = min(count, i + 64)
            var bit: UInt64 = 1
            while i < end {
                out[i] = word & bit != 0 ? px[i] : py[i]
                bit &<<= 1
                i &+= 1
            }
        }
        return buffer
    }
}
