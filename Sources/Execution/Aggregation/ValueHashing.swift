/// The deterministic hash functions of the engine: group tables, string interning and the hash
/// exchange all hash with these, so results never depend on the process or the run.
///
/// The byte hash follows wyhash's shape (multiply-fold of 64-bit words with fixed secrets); the
/// integer hash is murmur3's 64-bit finaliser. Both are fast and mix well enough for
/// open addressing with power-of-two tables.
enum ValueHashing {
    static var secret0: UInt64 { 0xA076_1D64_78BD_642F }
    static var secret1: UInt64 { 0xE703_7ED1_A0B4_28DB }
    static var secret2: UInt64 { 0x8EBC_6AF0_9C88_C6E3 }

    /// What a NULL hashes to, in every column of every type.
    static var nullHash: UInt64 { 0x5851_F42D_4C95_7F2D }

    /// Multiplies into 128 bits and folds the halves.
    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// murmur3's fmix64: every input bit affects every output bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    @inline(__always)
    static func mix(_ value: UInt128) -> UInt64 {
        fold(UInt64(truncatingIfNeeded: value) ^ secret0, UInt64(truncatingIfNeeded: value >> 64) ^ secret1)
    }

    /// Combines the running hash of the previous key columns with the next column's hash.
    @inline(__always)
    static func combine(_ running: UInt64, _ next: UInt64) -> UInt64 {
        fold(running ^ secret2, next ^ secret0)
    }

    /// Hash of `count` bytes at `bytes`.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawPointer, count: Int) -> UInt64 {
        var seed = secret0 ^ UInt64(truncatingIfNeeded: count)
        var a: UInt64 = 0
        var b: UInt64 = 0
        if count <= 16 {
            if count >= 4 {
                // Two overlapping pairs of 32-bit loads cover 4...16 bytes without a byte loop.
                let step = (count >> 3) << 2
                a = UInt64(load32(bytes, 0)) << 32 | UInt64(load32(bytes, step))
                b = UInt64(load32(bytes, count - 4)) << 32 | UInt64(load32(bytes, count - 4 - step))
            } else if count > 0 {
                a = UInt64(bytes.load(as: UInt8.self)) << 16
                    | UInt64(bytes.load(fromByteOffset: count >> 1, as: UInt8.self)) << 8
                    | UInt64(bytes.load(fromByteOffset: count - 1, as: UInt8.self))
            }
        } else {
            var offset = 0
            while count - offset > 16 {
                seed = fold(load64(bytes, offset) ^ secret1, load64(bytes, offset + 8) ^ seed)
                offset += 16
            }
            a = load64(bytes, count - 16)
            b = load64(bytes, count - 8)
        }
        return fold(secret1 ^ UInt64(truncatingIfNeeded: count), fold(a ^ secret1, b ^ seed))
    }

    @inline(__always)
    static func load32(_ bytes: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    @inline(__always)
    static func load64(_ bytes: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }
}
