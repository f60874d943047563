#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Gives each distinct byte string of one group-key column a dense `UInt32` code, so that the
/// group table only ever compares fixed-width keys.
///
/// Strings are copied once into an arena; an open-addressing table of codes (with each code's
/// hash kept beside it) finds them again. Dictionary-encoded columns are interned one dictionary
/// entry at a time, and the entry → code mapping is reused for as long as batches share the
/// dictionary (Parquet readers hand out one dictionary per column chunk).
final class StringInterner {
    /// The code of NULL; never given to a string.
    static var nullCode: UInt32 { .max }

    private var bytes = BufferBuilder(capacity: 4096)
    /// Start of each code's bytes in `bytes`, plus the end of the last one.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// code + 1, 0 for an empty slot.
    private var slots: UnsafeMutablePointer<UInt32>
    private var slotMask: Int

    private var cachedDictionaryOffsets: Buffer?
    private var cachedDictionaryData: Buffer?
    private var cachedCodes: [UInt32] = []

    init() {
        slotMask = 63
        slots = .allocate(capacity: 64)
        slots.initialize(repeating: 0, count: 64)
    }

    deinit { slots.deallocate() }

    var count: Int { hashes.count }

    var memoryBytes: Int { bytes.count + starts.count * 8 + hashes.count * 8 + (slotMask + 1) * 4 + cachedCodes.count * 4 }

    /// The bytes of `code`; valid until the next `intern`.
    @inline(__always)
    func withBytes<R>(of code: UInt32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = starts[Int(code)]
        let end = starts[Int(code) + 1]
        return body(UnsafeRawBufferPointer(start: bytes.baseAddress + start, count: end - start))
    }

    /// Total bytes of all interned strings (what a column of all of them needs).
    var byteCount: Int { bytes.count }

    @inline(__always)
    func intern(_ value: UnsafeRawPointer, count length: Int) -> UInt32 {
        let hash = ValueHashing.hash(value, count: length)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let entry = slots[slot]
            if entry == 0 { return insert(value, count: length, hash: hash, slot: slot) }
            let code = Int(entry &- 1)
            if hashes[code] == hash {
                let start = starts[code]
                if starts[code + 1] - start == length && memcmp(bytes.baseAddress + start, value, length) == 0 {
                    return UInt32(code)
                }
            }
            slot = (slot &+ 1) & slotMask
        }
    }

    private func insert(_ value: UnsafeRawPointer, count length: Int, hash: UInt64, slot: Int) -> UInt32 {
        let code = hashes.count
        precondition(code < Int(UInt32.max) - 1, "too many distinct strings in one group key")
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length))
        starts.append(bytes.count)
        hashes.append(hash)
        slots[slot] = UInt32(code + 1)
        if hashes.count * 2 > slotMask + 1 { rehash() }
        return UInt32(code)
    }

    private func rehash() {
        let capacity = (slotMask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        slotMask = capacity - 1
        for code in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & slotMask
            while slots[slot] != 0 { slot = (slot &+ 1) & slotMask }
            slots[slot] = UInt32(code + 1)
        }
    }

    /// Interns every row of a variable-width (or dictionary of variable-width) column and stores
    /// row `i`'s code at `output + i * stride` (NULL as `nullCode`).
    func intern(_ column: Column, into output: UnsafeMutableRawPointer, stride: Int) throws {
        let validity = column.validity?.baseAddress
        switch column.storage {
        case .variableWidth(let offsets, let data):
            try Self.checkOffsets(offsets, data: data, count: column.count)
            let offset = offsets.baseAddress.assumingMemoryBound(to: Int32.self)
            let base = data.baseAddress
            for row in 0..<column.count {
                var code = Self.nullCode
                if validity == nil || Bitmap.isSet(validity!, row) {
                    let start = Int(offset[row])
                    code = intern(base + start, count: Int(offset[row + 1]) - start)
                }
                output.storeBytes(of: code, toByteOffset: row &* stride, as: UInt32.self)
            }
        case .dictionary(let indices, let dictionary):
            let indexPointer = try column.checkedDictionaryIndices(indices, dictionaryCount: dictionary.count)
            let codes = try dictionaryCodes(dictionary)
            codes.withUnsafeBufferPointer { codes in
                for row in 0..<column.count {
                    var code = Self.nullCode
                    if validity == nil || Bitmap.isSet(validity!, row) { code = codes[Int(indexPointer[row])] }
                    output.storeBytes(of: code, toByteOffset: row &* stride, as: UInt32.self)
                }
            }
        default:
            throw ExecutionError.unsupported("\(column.type) key column without variable-width storage")
        }
    }

    /// Codes of a dictionary's entries, cached while the dictionary stays the same.
    private func dictionaryCodes(_ dictionary: Column) throws -> [UInt32] {
        guard case .variableWidth(let offsets, let data) = dictionary.storage else {
            throw ExecutionError.unsupported("dictionary of \(dictionary.type) without variable-width values")
        }
        if offsets === cachedDictionaryOffsets && data === cachedDictionaryData && cachedCodes.count == dictionary.count {
            return cachedCodes
        }
        var codes = [UInt32](repeating: Self.nullCode, count: dictionary.count)
        try intern(dictionary, into: &codes)
        cachedDictionaryOffsets = offsets
        cachedDictionaryData = data
        cachedCodes = codes
        return codes
    }

    private func intern(_ dictionary: Column, into codes: inout [UInt32]) throws {
        try codes.withUnsafeMutableBytes { raw in
            try intern(dictionary, into: raw.baseAddress!, stride: 4)
        }
    }

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

    /// A column of the strings of `codes` (NULL for `nullCode`).
    func column(_ type: DataType, codes: UnsafePointer<UInt32>, stride: Int, count: Int) -> Column {
        var total = 0
        var nulls = 0
        for i in 0..<count {
            let code = (UnsafeRawPointer(codes) + i * stride).loadUnaligned(as: UInt32.self)
            if code == Self.nullCode { nulls += 1 } else { total += starts[Int(code) + 1] - starts[Int(code)] }
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
                for i in 0..<count where (UnsafeRawPointer(codes) + i * stride).loadUnaligned(as: UInt32.self) != Self.nullCode {
                    Bitmap.set(raw.baseAddress!, i)
                }
            }
        }
        return Column(type: type, count: count, validity: validity, nullCount: nulls,
                      storage: .variableWidth(offsets: offsets, data: data))
    }
}
