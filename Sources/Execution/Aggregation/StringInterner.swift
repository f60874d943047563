#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Gives each distinct byte string of one group-key column a dense `UInt32` code (0, 1, 2… in
/// order of first appearance), so that the group table only ever compares fixed-width keys; for
/// a lone string key the codes are the group ids themselves.
///
/// Strings are copied once into an arena; an open-addressing table finds them again. Its slots
/// hold 32 bits of the string's hash next to the code, so a probe reads the arena only when the
/// hashes agree. Dictionary-encoded columns are interned one dictionary entry at a time, and the
/// entry → code mapping is reused for as long as batches share the dictionary (Parquet readers
/// hand out one dictionary per column chunk).
final class StringInterner {
    /// What `intern` writes for NULL by default; never a string's code.
    static var nullCode: UInt32 { .max }

    private var bytes = BufferBuilder(capacity: 4096)
    /// Start of each code's bytes in `bytes`, plus the end of the last one.
    private let starts = StateArray(elementWidth: 8)
    private let hashes = StateArray(elementWidth: 8)
    private(set) var count = 0
    /// Hash tag << 32 | (code + 1); 0 for an empty slot.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotMask: Int
    /// The code standing for NULL when NULL needs a dense code of its own (`nullEntry()`).
    private(set) var nullEntryCode: UInt32?

    private var cachedDictionaryOffsets: Buffer?
    private var cachedDictionaryData: Buffer?
    private var cachedCodes: [UInt32] = []

    init() {
        slotMask = 63
        slots = .allocate(capacity: 64)
        slots.initialize(repeating: 0, count: 64)
        starts.grow(to: 1)
    }

    deinit { slots.deallocate() }

    var memoryBytes: Int { bytes.count + starts.memoryBytes + hashes.memoryBytes + (slotMask + 1) * 8 + cachedCodes.count * 4 }

    /// Total bytes of all interned strings (what a column of all of them needs).
    var byteCount: Int { bytes.count }

    @inline(__always)
    func intern(_ value: UnsafeRawPointer, count length: Int) -> UInt32 {
        let hash = ValueHashing.hash(value, count: length)
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        let starts = starts.pointer(as: Int.self)
        while true {
            let entry = slots[slot]
            if entry == 0 { return insert(value, count: length, hash: hash, slot: slot) }
            if entry >> 32 == tag {
                let code = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                let start = starts[code]
                if starts[code + 1] &- start == length && Self.equal(bytes.baseAddress + start, value, length) {
                    return UInt32(truncatingIfNeeded: code)
                }
            }
            slot = (slot &+ 1) & slotMask
        }
    }

    /// Short keys (flags, codes, names) compare inline; a call to memcmp would cost more.
    @inline(__always)
    private static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        guard count <= 16 else { return memcmp(a, b, count) == 0 }
        var difference: UInt8 = 0
        for i in 0..<count { difference |= a.load(fromByteOffset: i, as: UInt8.self) ^ b.load(fromByteOffset: i, as: UInt8.self) }
        return difference == 0
    }

    @inline(never)
    private func insert(_ value: UnsafeRawPointer, count length: Int, hash: UInt64, slot: Int) -> UInt32 {
        let code = addEntry(value, count: length, hash: hash)
        slots[slot] = (hash >> 32) << 32 | UInt64(code + 1)
        if count * 2 > slotMask + 1 { rehash() }
        return UInt32(code)
    }

    private func addEntry(_ value: UnsafeRawPointer?, count length: Int, hash: UInt64) -> Int {
        let code = count
        precondition(code < Int(Int32.max) - 1, "too many distinct strings in one group key")
        if let value { bytes.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length)) }
        starts.grow(to: code + 2)
        starts.pointer(as: Int.self)[code + 1] = bytes.count
        hashes.grow(to: code + 1)
        hashes.pointer(as: UInt64.self)[code] = hash
        count += 1
        return code
    }

    /// A dense code for NULL (allocated on first use, never found by `intern`).
    func nullEntry() -> UInt32 {
        if let nullEntryCode { return nullEntryCode }
        let code = UInt32(addEntry(nil, count: 0, hash: 0))
        nullEntryCode = code
        return code
    }

    private func rehash() {
        let capacity = (slotMask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        slotMask = capacity - 1
        let hashes = hashes.pointer(as: UInt64.self)
        for code in 0..<count where UInt32(code) != nullEntryCode {
            var slot = Int(truncatingIfNeeded: hashes[code]) & slotMask
            while slots[slot] != 0 { slot = (slot &+ 1) & slotMask }
            slots[slot] = (hashes[code] >> 32) << 32 | UInt64(code + 1)
        }
    }

    /// Interns every row of a variable-width (or dictionary of variable-width) column and stores
    /// row `i`'s code at `output + i * stride`: NULL as `nullCode`, or with `denseNull` as the
    /// null entry. Codes are handed out in row order; a dictionary entry no row uses gets none.
    func intern(_ column: Column, into output: UnsafeMutableRawPointer, stride: Int, denseNull: Bool = false) throws {
        let column = column.withRowValidity
        let validity = column.validity?.baseAddress
        switch column.storage {
        case .variableWidth(let offsets, let data):
            try Self.checkOffsets(offsets, data: data, count: column.count)
            let offset = offsets.baseAddress.assumingMemoryBound(to: Int32.self)
            let base = data.baseAddress
            for row in 0..<column.count {
                let code: UInt32
                if validity == nil || Bitmap.isSet(validity!, row) {
                    let start = Int(offset[row])
                    code = intern(base + start, count: Int(offset[row + 1]) - start)
                } else {
                    code = denseNull ? nullEntry() : Self.nullCode
                }
                output.storeBytes(of: code, toByteOffset: row &* stride, as: UInt32.self)
            }
        case .dictionary(let indices, let dictionary):
            guard case .variableWidth(let offsets, let data) = dictionary.storage else {
                throw ExecutionError.unsupported("dictionary of \(dictionary.type) without variable-width values")
            }
            let index = try column.checkedDictionaryIndices(indices, dictionaryCount: dictionary.count)
            if !(offsets === cachedDictionaryOffsets && data === cachedDictionaryData && cachedCodes.count == dictionary.count) {
                try Self.checkOffsets(offsets, data: data, count: dictionary.count)
                cachedDictionaryOffsets = offsets
                cachedDictionaryData = data
                cachedCodes = [UInt32](repeating: Self.unassigned, count: dictionary.count)
            }
            let offset = offsets.baseAddress.assumingMemoryBound(to: Int32.self)
            let base = data.baseAddress
            cachedCodes.withUnsafeMutableBufferPointer { codes in
                for row in 0..<column.count {
                    var code = Self.nullCode
                    if validity != nil && !Bitmap.isSet(validity!, row) {
                        if denseNull { code = nullEntry() }
                    } else {
                        let entry = Int(index[row])
                        code = codes[entry]
                        if code == Self.unassigned {
                            // Interned on first use, so that codes follow the rows.
                            let start = Int(offset[entry])
                            code = intern(base + start, count: Int(offset[entry + 1]) - start)
                            codes[entry] = code
                        }
                    }
                    output.storeBytes(of: code, toByteOffset: row &* stride, as: UInt32.self)
                }
            }
        default:
            throw ExecutionError.unsupported("\(column.type) key column without variable-width storage")
        }
    }

    /// A dictionary entry whose code is not known yet.
    private static var unassigned: UInt32 { .max - 1 }

    /// Checks that a variable-width column's offsets are monotone and within its data.
    static func checkOffsets(_ offsets: Buffer, data: Buffer, count: Int) throws {
        guard offsets.byteCount >= (count + 1) * 4 else { throw ExecutionError.unsupported("short offsets buffer") }
        let offset = offsets.baseAddress.assumingMemoryBound(to: Int32.self)
        var bad = offset[0] < 0
        for row in 0..<count { bad = bad || offset[row + 1] < offset[row] }
        guard !bad, Int(offset[count]) <= data.byteCount else {
            throw ExecutionError.unsupported("variable-width offsets out of order or past the data")
        }
    }

    /// A column of the strings of `codes` (NULL for `nullCode` and the null entry).
    func column(_ type: DataType, codes: UnsafePointer<UInt32>, stride: Int, count: Int) -> Column {
        let starts = starts.pointer(as: Int.self)
        let nullEntry = nullEntryCode ?? Self.nullCode
        var total = 0
        var nulls = 0
        for i in 0..<count {
            let code = (UnsafeRawPointer(codes) + i * stride).loadUnaligned(as: UInt32.self)
            if code == Self.nullCode || code == nullEntry { nulls += 1 } else { total += starts[Int(code) + 1] - starts[Int(code)] }
        }
        precondition(total <= Int(Int32.max), "group keys exceed 2 GiB of text")
        var validity: Buffer?
        let offsets = Buffer(byteCount: (count + 1) * 4) { raw in
            let o = raw.bindMemory(to: Int32.self)
            o[0] = 0
            var position = 0
            for i in 0..<count {
                let code = (UnsafeRawPointer(codes) + i * stride).loadUnaligned(as: UInt32.self)
                if code != Self.nullCode { position += starts[Int(code) + 1] - starts[Int(code)] }
                o[i + 1] = Int32(position)
            }
        }
        let data = Buffer(byteCount: total) { raw in
            var position = 0
            for i in 0..<count {
                let code = (UnsafeRawPointer(codes) + i * stride).loadUnaligned(as: UInt32.self)
                guard code != Self.nullCode else { continue }
                let start = starts[Int(code)]
                let length = starts[Int(code) + 1] - start
                if length > 0 { (raw.baseAddress! + position).copyMemory(from: bytes.baseAddress + start, byteCount: length) }
                position += length
            }
        }
        if nulls > 0 {
            validity = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for i in 0..<count {
                    let code = (UnsafeRawPointer(codes) + i * stride).loadUnaligned(as: UInt32.self)
                    if code != Self.nullCode && code != nullEntry { Bitmap.set(raw.baseAddress!, i) }
                }
            }
        }
        return Column(type: type, count: count, validity: validity, nullCount: nulls,
                      storage: .variableWidth(offsets: offsets, data: data))
    }
}
