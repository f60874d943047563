/// Standard base64 (RFC 4648 §4: `A–Z a–z 0–9 + /`, `=` padding), written straight into a buffer.
enum Base64 {
    @inline(__always)
    static var alphabet: UnsafePointer<UInt8> {
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" as StaticString).utf8Start
    }

    /// Length of the encoding of `byteCount` bytes.
    @inline(__always)
    static func encodedCount(_ byteCount: Int) -> Int { (byteCount &+ 2) / 3 &* 4 }

    /// Encodes `count` bytes from `source`; writes `encodedCount(count)` bytes and returns that.
    @inline(__always)
    static func encode(_ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let table = alphabet
        var i = 0
        var o = 0
        while i &+ 3 <= count {
            let group = UInt32(source[i]) &<< 16 | UInt32(source[i &+ 1]) &<< 8 | UInt32(source[i &+ 2])
            out[o] = table[Int(group &>> 18)]
            out[o &+ 1] = table[Int((group &>> 12) & 63)]
            out[o &+ 2] = table[Int((group &>> 6) & 63)]
            out[o &+ 3] = table[Int(group & 63)]
            i &+= 3
            o &+= 4
        }
        let rest = count &- i
        if rest > 0 {
            let second = rest == 2 ? UInt32(source[i &+ 1]) : 0
            let group = UInt32(source[i]) &<< 16 | second &<< 8
            out[o] = table[Int(group &>> 18)]
            out[o &+ 1] = table[Int((group &>> 12) & 63)]
            out[o &+ 2] = rest == 2 ? table[Int((group &>> 6) & 63)] : UInt8(ascii: "=")
            out[o &+ 3] = UInt8(ascii: "=")
            o &+= 4
        }
        return o
    }
}
