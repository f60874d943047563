#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Assigns dictionary indices to the values of a column chunk, in first-seen order.
///
/// An open-addressing hash table (linear probing, at most half full) maps values to indices; the
/// distinct values are kept in PLAIN layout so that the dictionary page is a copy of them. Keys of
/// 4 and 8 bytes hash as integers; other fixed widths and byte arrays hash their bytes. The probe
/// loops read through raw pointers: this is the writer's hottest code.
final class DictionaryEncoder {
    /// Value width for fixed-width physical types; 0 for byte arrays.
    let width: Int
    /// Distinct values: fixed-width values back to back, or byte-array data.
    private var values: BufferBuilder
    /// Byte arrays: start of each distinct value in `values`, plus the end.
    private var offsets: [Int32] = [0]
    /// Byte arrays: each distinct value's hash, so growing the table does not rehash bytes.
    private var hashes: [UInt64] = []
    /// Entry index per slot, -1 when empty.
    private var slots: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private(set) var count = 0
    /// Size of the dictionary page body in PLAIN encoding.
    private(set) var plainSize = 0

    private static let initialCapacity = 1024

    init(width: Int) {
        self.width = width
        values = BufferBuilder(capacity: 4096)
        capacity = Self.initialCapacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: -1, count: capacity)
    }

    deinit { slots.deallocate() }

    @inline(__always)
    private static func hashInteger(_ value: UInt64) -> UInt64 {
        var h = value &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return h
    }

    @inline(__always)
    static func hashBytes(_ base: UnsafeRawPointer, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: count)
        var i = 0
        while i &+ 8 <= count {
            h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 32
            i &+= 8
        }
        if i < count {
            var tail: UInt64 = 0
            withUnsafeMutableBytes(of: &tail) { $0.baseAddress!.copyMemory(from: base + i, byteCount: count &- i) }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 32
        }
        return h
    }

    /// Doubles the table once it is half full.
    @inline(__always)
    private func growIfNeeded() {
        guard count &* 2 > capacity else { return }
        let newCapacity = capacity * 2
        let newSlots = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        newSlots.initialize(repeating: -1, count: newCapacity)
        let mask = newCapacity - 1
        for index in 0..<count {
            var slot = Int(truncatingIfNeeded: hash(ofEntry: index)) & mask
            while newSlots[slot] >= 0 { slot = (slot &+ 1) & mask }
            newSlots[slot] = Int32(truncatingIfNeeded: index)
        }
        slots.deallocate()
        slots = newSlots
        capacity = newCapacity
    }

    private func hash(ofEntry index: Int) -> UInt64 {
        if width == 0 { return hashes[index] }
        let base = values.baseAddress + index * width
        switch width {
        case 4: return Self.hashInteger(UInt64(base.loadUnaligned(as: UInt32.self)))
        case 8: return Self.hashInteger(base.loadUnaligned(as: UInt64.self))
        default: return Self.hashBytes(base, width)
        }
    }

    /// Encodes fixed-width values (`count` of them, `width` bytes each) into `indices`, stopping
    /// early once the dictionary's PLAIN size would exceed `limit`. Returns how many were encoded.
    func encodeFixed(_ source: UnsafeRawPointer, count n: Int, into indices: UnsafeMutablePointer<Int32>, limit: Int) -> Int {
        switch width {
        case 4: return encodeIntegers(source, n, UInt32.self, indices, limit)
        case 8: return encodeIntegers(source, n, UInt64.self, indices, limit)
        default: return encodeWideFixed(source, n, indices, limit)
        }
    }

    private func encodeIntegers<T: FixedWidthInteger & BitwiseCopyable>(
        _ source: UnsafeRawPointer, _ n: Int, _: T.Type, _ indices: UnsafeMutablePointer<Int32>, _ limit: Int
    ) -> Int {
        let size = MemoryLayout<T>.size
        var mask = capacity &- 1
        var keys = UnsafeRawPointer(values.baseAddress)
        for i in 0..<n {
            let value = source.loadUnaligned(fromByteOffset: i &* size, as: T.self)
            var slot = Int(truncatingIfNeeded: Self.hashInteger(UInt64(truncatingIfNeeded: value))) & mask
            while true {
                let entry = slots[slot]
                if entry < 0 {
                    if plainSize &+ size > limit { return i }
                    slots[slot] = Int32(truncatingIfNeeded: count)
                    indices[i] = Int32(truncatingIfNeeded: count)
                    values.append(value)
                    keys = UnsafeRawPointer(values.baseAddress)
                    count &+= 1
                    plainSize &+= size
                    growIfNeeded()
                    mask = capacity &- 1
                    break
                }
                if keys.loadUnaligned(fromByteOffset: Int(entry) &* size, as: T.self) == value {
                    indices[i] = entry
                    break
                }
                slot = (slot &+ 1) & mask
            }
        }
        return n
    }

    private func encodeWideFixed(
        _ source: UnsafeRawPointer, _ n: Int, _ indices: UnsafeMutablePointer<Int32>, _ limit: Int
    ) -> Int {
        var mask = capacity &- 1
        for i in 0..<n {
            let value = source + i &* width
            var slot = Int(truncatingIfNeeded: Self.hashBytes(value, width)) & mask
            while true {
                let entry = slots[slot]
                if entry < 0 {
                    if plainSize &+ width > limit { return i }
                    slots[slot] = Int32(truncatingIfNeeded: count)
                    indices[i] = Int32(truncatingIfNeeded: count)
                    values.append(contentsOf: UnsafeRawBufferPointer(start: value, count: width))
                    count &+= 1
                    plainSize &+= width
                    growIfNeeded()
                    mask = capacity &- 1
                    break
                }
                if memcmp(values.baseAddress + Int(entry) &* width, value, width) == 0 {
                    indices[i] = entry
                    break
                }
                slot = (slot &+ 1) & mask
            }
        }
        return n
    }

    /// Encodes byte-array values `i` in `range` of (`offsets`, `data`) into `indices`, stopping early
    /// once the dictionary's PLAIN size would exceed `limit`. Returns how many were encoded.
    func encodeByteArrays(
        offsets source: UnsafeBufferPointer<Int32>, data: UnsafeRawPointer, count n: Int,
        into indices: UnsafeMutablePointer<Int32>, limit: Int
    ) -> Int {
        var mask = capacity &- 1
        for i in 0..<n {
            let start = Int(source[i])
            let length = Int(source[i &+ 1]) &- start
            let value = data + start
            let hash = Self.hashBytes(value, length)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = slots[slot]
                if entry < 0 {
                    if plainSize &+ 4 &+ length > limit { return i }
                    slots[slot] = Int32(truncatingIfNeeded: count)
                    indices[i] = Int32(truncatingIfNeeded: count)
                    values.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length))
                    offsets.append(Int32(truncatingIfNeeded: values.count))
                    hashes.append(hash)
                    count &+= 1
                    plainSize &+= 4 &+ length
                    growIfNeeded()
                    mask = capacity &- 1
                    break
                }
                let e = Int(entry)
                if hashes[e] == hash {
                    let existingStart = Int(offsets[e])
                    if Int(offsets[e &+ 1]) &- existingStart == length
                        && memcmp(values.baseAddress + existingStart, value, length) == 0 {
                        indices[i] = entry
                        break
                    }
                }
                slot = (slot &+ 1) & mask
            }
        }
        return n
    }

    /// Appends the dictionary page body (PLAIN) to `output`.
    func writePlain(to output: inout BufferBuilder) {
        values.withUnsafeBytes { bytes in
            if width > 0 {
                output.append(contentsOf: bytes)
                return
            }
            for i in 0..<count {
                let start = Int(offsets[i])
                let length = Int(offsets[i + 1]) - start
                output.append(UInt32(length).littleEndian)
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]))
            }
        }
    }

    /// The distinct values as dense physical values (the chunk's statistics come from them).
    func distinctValues() -> PhysicalValues {
        let data = values.withUnsafeBytes { Buffer(copying: $0) }
        if width > 0 { return .fixedWidth(data, width: width, count: count) }
        return .variableWidth(offsets: Buffer(copying: offsets), data: data, count: count)
    }

    /// Forgets every value, for the next column chunk.
    func reset() {
        values.removeAll()
        offsets = [0]
        hashes = []
        if capacity != Self.initialCapacity {
            slots.deallocate()
            capacity = Self.initialCapacity
            slots = .allocate(capacity: capacity)
        }
        slots.initialize(repeating: -1, count: capacity)
        count = 0
        plainSize = 0
    }
}
