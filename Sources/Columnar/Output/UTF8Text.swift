/// UTF-8 validation and the escaping rules of JSON strings and table cells.
///
/// Invalid input is replaced by U+FFFD per *maximal subpart* (Unicode §3.9, "U+FFFD Substitution
/// of Maximal Subparts"), as Python's `decode("utf-8", "replace")` and Swift's
/// `String(decoding:as:)` do: a truncated but otherwise valid prefix of a sequence becomes one
/// U+FFFD, every other offending byte one U+FFFD each.
enum UTF8Text {
    /// Length of the well-formed sequence at `p`, whose first byte is ≥ 0x80, or the negated
    /// length of the ill-formed subpart to replace by one U+FFFD. `remaining` ≥ 1.
    ///
    /// Well-formed sequences per Unicode Table 3-7: C2–DF 80–BF; E0 A0–BF 80–BF; E1–EC/EE–EF
    /// 80–BF 80–BF; ED 80–9F 80–BF (no surrogates); F0 90–BF 80–BF 80–BF; F1–F3 80–BF ×3;
    /// F4 80–8F 80–BF 80–BF (nothing past U+10FFFF).
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, remaining: Int) -> Int {
        let lead = p[0]
        var trailing: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: trailing = 1
        case 0xE0: trailing = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: trailing = 2
        case 0xED: trailing = 2; high = 0x9F
        case 0xF0: trailing = 3; low = 0x90
        case 0xF1...0xF3: trailing = 3
        case 0xF4: trailing = 3; high = 0x8F
        default: return -1
        }
        if remaining < 2 { return -1 }
        let second = p[1]
        if second < low || second > high { return -1 }
        var k = 2
        while k <= trailing {
            if k >= remaining { return -k }
            let byte = p[k]
            if byte < 0x80 || byte > 0xBF { return -k }
            k &+= 1
        }
        return trailing &+ 1
    }

    /// True when some byte of the little-endian word `w` is ≥ 0x80, < 0x20, `"` or `\`.
    @inline(__always)
    static func needsJSONAttention(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        // Bit 7 of a byte is set below when that byte (or, harmlessly, a byte left of a match) is
        // < 0x20 or zero after the xor; see "Determine if a word has a byte less than n" in
        // Sean Anderson's Bit Twiddling Hacks.
        let control = (w &- ones &* 0x20) & ~w
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        return (w | control | isQuote | isBackslash) & highs != 0
    }

    @inline(__always)
    static func writeReplacement(to out: UnsafeMutablePointer<UInt8>) {
        out[0] = 0xEF
        out[1] = 0xBF
        out[2] = 0xBD
    }

    @inline(__always)
    static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 &+ value : 0x57 &+ value
    }

    /// Most bytes `writeJSONString` writes for `count` input bytes (`\u00XX` is 6 per byte).
    @inline(__always)
    static func maxJSONStringByteCount(_ count: Int) -> Int { count &* 6 &+ 2 }

    /// Writes `count` bytes from `source` as a JSON string, with quotes.
    ///
    /// Escapes `"` `\` and control characters (`\n \r \t \b \f`, others `\u00xx`), keeps valid
    /// non-ASCII UTF-8 as is and replaces invalid UTF-8 by U+FFFD. Plain ASCII runs are copied
    /// eight bytes at a time.
    @inline(__always)
    static func writeJSONString(
        _ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        out[0] = UInt8(ascii: "\"")
        var o = 1
        var i = 0
        while i < count {
            while i &+ 8 <= count {
                let word = UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self)
                if needsJSONAttention(word) { break }
                UnsafeMutableRawPointer(out + o).storeBytes(of: word, as: UInt64.self)
                i &+= 8
                o &+= 8
            }
            if i >= count { break }
            let byte = source[i]
            if byte < 0x80 {
                if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                    out[o] = byte
                    o &+= 1
                } else {
                    o &+= writeJSONEscape(byte, to: out + o)
                }
                i &+= 1
            } else {
                let length = sequenceLength(source + i, remaining: count &- i)
                if length > 0 {
                    for k in 0..<length { out[o &+ k] = source[i &+ k] }
                    o &+= length
                    i &+= length
                } else {
                    writeReplacement(to: out + o)
                    o &+= 3
                    i &-= length
                }
            }
        }
        out[o] = UInt8(ascii: "\"")
        return o &+ 1
    }

    /// Writes the JSON escape of an ASCII byte that may not appear raw in a JSON string.
    @inline(__always)
    static func writeJSONEscape(_ byte: UInt8, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\\")
        switch byte {
        case 0x22: out[1] = UInt8(ascii: "\""); return 2
        case 0x5C: out[1] = UInt8(ascii: "\\"); return 2
        case 0x0A: out[1] = UInt8(ascii: "n"); return 2
        case 0x0D: out[1] = UInt8(ascii: "r"); return 2
        case 0x09: out[1] = UInt8(ascii: "t"); return 2
        case 0x08: out[1] = UInt8(ascii: "b"); return 2
        case 0x0C: out[1] = UInt8(ascii: "f"); return 2
        default:
            out[1] = UInt8(ascii: "u")
            out[2] = UInt8(ascii: "0")
            out[3] = UInt8(ascii: "0")
            out[4] = hexDigit(byte &>> 4)
            out[5] = hexDigit(byte & 0xF)
            return 6
        }
    }

    /// Most bytes `writeDisplayText` writes for `count` input bytes.
    @inline(__always)
    static func maxDisplayTextByteCount(_ count: Int) -> Int { count &* 6 }

    /// Writes text for a terminal: valid UTF-8 as is, invalid UTF-8 as U+FFFD, and control
    /// characters (C0, DEL, C1), which would break the table's lines, as escapes: `\n`, `\r`,
    /// `\t`, otherwise `\u00xx`.
    @inline(__always)
    static func writeDisplayText(
        _ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var o = 0
        var i = 0
        while i < count {
            let byte = source[i]
            if byte < 0x80 {
                if byte >= 0x20 && byte != 0x7F {
                    out[o] = byte
                    o &+= 1
                } else {
                    o &+= writeControlEscape(UInt32(byte), to: out + o)
                }
                i &+= 1
                continue
            }
            let length = sequenceLength(source + i, remaining: count &- i)
            if length < 0 {
                writeReplacement(to: out + o)
                o &+= 3
                i &-= length
            } else if byte == 0xC2 && source[i &+ 1] < 0xA0 {
                // U+0080...U+009F, the C1 controls.
                o &+= writeControlEscape(UInt32(source[i &+ 1]), to: out + o)
                i &+= 2
            } else {
                for k in 0..<length { out[o &+ k] = source[i &+ k] }
                o &+= length
                i &+= length
            }
        }
        return o
    }

    @inline(__always)
    static func writeControlEscape(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\\")
        switch scalar {
        case 0x0A: out[1] = UInt8(ascii: "n"); return 2
        case 0x0D: out[1] = UInt8(ascii: "r"); return 2
        case 0x09: out[1] = UInt8(ascii: "t"); return 2
        default:
            out[1] = UInt8(ascii: "u")
            out[2] = UInt8(ascii: "0")
            out[3] = UInt8(ascii: "0")
            out[4] = hexDigit(UInt8(truncatingIfNeeded: scalar &>> 4))
            out[5] = hexDigit(UInt8(truncatingIfNeeded: scalar & 0xF))
            return 6
        }
    }
}
