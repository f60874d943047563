#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// `min` and `max` of strings and binary values, compared bytewise (UTF-8 order for text).
///
/// Each group's current value is a copy in one arena; replaced values become garbage there,
/// and the arena is compacted when the garbage outweighs the live values.
///
/// State: one value of the argument type, NULL while the group has seen none.
final class BytesMinMaxAccumulator: GroupAccumulator {
    private let type: DataType
    private let isMax: Bool
    private var arena = BufferBuilder(capacity: 4096)
    private let starts = StateArray(elementWidth: 8)
    /// Length + 1 of each group's value; 0 while the group has none.
    private let lengths = StateArray(elementWidth: 4)
    private var garbage = 0

    init(type: DataType, isMax: Bool) {
        self.type = type
        self.isMax = isMax
    }

    func resize(groupCount: Int) {
        starts.grow(to: groupCount)
        lengths.grow(to: groupCount)
    }

    var memoryBytes: Int { arena.count + starts.memoryBytes + lengths.memoryBytes }

    func update(_ arguments: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        let column = arguments[0].withRowValidity
        let validity = column.validity?.baseAddress
        switch column.storage {
        case .variableWidth(let offsets, let data):
            try StringInterner.checkOffsets(offsets, data: data, count: column.count)
            let values = PlainByteValues(offsets: offsets.baseAddress.assumingMemoryBound(to: Int32.self), data: data.baseAddress)
            withExtendedLifetime(column) { fold(values, validity, groups, count) }
        case .dictionary(let indices, let dictionary):
            guard case .variableWidth(let offsets, let data) = dictionary.storage else {
                throw ExecutionError.unsupported("dictionary of \(column.type) without variable-width values")
            }
            try StringInterner.checkOffsets(offsets, data: data, count: dictionary.count)
            let indexPointer = try column.checkedDictionaryIndices(indices, dictionaryCount: dictionary.count)
            let values = DictionaryByteValues(indices: indexPointer, offsets: offsets.baseAddress.assumingMemoryBound(to: Int32.self),
                                              data: data.baseAddress)
            withExtendedLifetime(column) { fold(values, validity, groups, count) }
        default:
            throw ExecutionError.unsupported("\(column.type) argument without variable-width storage")
        }
        if garbage > max(1 << 20, arena.count - garbage) { compact() }
    }

    func merge(_ states: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        try update(states, groups: groups, count: count)
    }

    private func fold<Values: ByteValueSource>(_ values: Values, _ validity: UnsafeRawPointer?, _ groups: UnsafePointer<Int32>?, _ count: Int) {
        let starts = starts.pointer(as: Int.self)
        let lengths = lengths.pointer(as: Int32.self)
        for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
            let group = groups.map { Int($0[row]) } ?? 0
            let value = values.bytes(at: row)
            if lengths[group] != 0 {
                let current = UnsafeRawBufferPointer(start: arena.baseAddress + starts[group], count: Int(lengths[group]) - 1)
                let order = Self.compare(value, current)
                guard isMax ? order > 0 : order < 0 else { continue }
                garbage += current.count
            }
            starts[group] = arena.count
            lengths[group] = Int32(value.count + 1)
            arena.append(contentsOf: value)
        }
    }

    /// Negative, zero or positive as `a` sorts before, with or after `b`.
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }

    private func compact() {
        var fresh = BufferBuilder(capacity: max(arena.count - garbage, 64))
        let starts = starts.pointer(as: Int.self)
        let lengths = lengths.pointer(as: Int32.self)
        for group in 0..<self.starts.count where lengths[group] != 0 {
            let start = fresh.count
            fresh.append(contentsOf: UnsafeRawBufferPointer(start: arena.baseAddress + starts[group], count: Int(lengths[group]) - 1))
            starts[group] = start
        }
        arena = fresh
        garbage = 0
    }

    func stateColumns(_ range: Range<Int>) -> [Column] { [resultColumn(range)] }

    func resultColumn(_ range: Range<Int>) -> Column {
        let starts = starts.pointer(as: Int.self) + range.lowerBound
        let lengths = lengths.pointer(as: Int32.self) + range.lowerBound
        let (validity, nulls) = StateColumns.validity(count: range.count) { lengths[$0] != 0 }
        var total = 0
        for i in 0..<range.count where lengths[i] != 0 { total += Int(lengths[i]) - 1 }
        precondition(total <= Int(Int32.max), "min/max values exceed 2 GiB")
        let offsets = Buffer(byteCount: (range.count + 1) * 4) { raw in
            let o = raw.bindMemory(to: Int32.self)
            o[0] = 0
            var position: Int32 = 0
            for i in 0..<range.count {
                if lengths[i] != 0 { position += lengths[i] - 1 }
                o[i + 1] = position
            }
        }
        let data = Buffer(byteCount: total) { raw in
            var position = 0
            for i in 0..<range.count where lengths[i] > 1 {
                let length = Int(lengths[i]) - 1
                (raw.baseAddress! + position).copyMemory(from: arena.baseAddress + starts[i], byteCount: length)
                position += length
            }
        }
        return Column(type: type, count: range.count, validity: validity, nullCount: nulls,
                      storage: .variableWidth(offsets: offsets, data: data))
    }
}

/// Typed read access to the values of a variable-width column, plain or dictionary encoded.
protocol ByteValueSource {
    func bytes(at row: Int) -> UnsafeRawBufferPointer
}

struct PlainByteValues: ByteValueSource {
    let offsets: UnsafePointer<Int32>
    let data: UnsafeRawPointer

    @inline(__always)
    func bytes(at row: Int) -> UnsafeRawBufferPointer {
        let start = Int(offsets[row])
        return UnsafeRawBufferPointer(start: data + start, count: Int(offsets[row + 1]) - start)
    }
}

struct DictionaryByteValues: ByteValueSource {
    let indices: UnsafePointer<Int32>
    let offsets: UnsafePointer<Int32>
    let data: UnsafeRawPointer

    @inline(__always)
    func bytes(at row: Int) -> UnsafeRawBufferPointer {
        let entry = Int(indices[row])
        let start = Int(offsets[entry])
        return UnsafeRawBufferPointer(start: data + start, count: Int(offsets[entry + 1]) - start)
    }
}
