/// Hive partition directory names (`order_date=1995-03-01`), escaped as Spark and Hive escape them
/// (`ExternalCatalogUtils.escapePathName`): the characters below, and control characters, become
/// `%XX` with upper-case hex; everything else, non-ASCII included, is kept as it is.
public enum HivePartitionPath {
    /// The directory value that stands for null (and for the empty string, as in Spark).
    public static let defaultPartitionName = "__HIVE_DEFAULT_PARTITION__"

    /// Characters Spark escapes besides the control characters U+0001…U+001F and U+007F.
    private static let escapedPunctuation: Set<UInt8> = Set("\"#%'*/:=?\\{[]^".utf8)

    static func needsEscape(_ byte: UInt8) -> Bool {
        (byte >= 0x01 && byte <= 0x1F) || byte == 0x7F || escapedPunctuation.contains(byte)
    }

    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: needsEscape) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if needsEscape(byte) {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Undoes `escape`: `%XX` with two hex digits becomes that byte; any other `%` stays.
    public static func unescape<S: StringProtocol>(_ text: S) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        let source = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count)
        var i = 0
        while i < source.count {
            if source[i] == UInt8(ascii: "%"), i + 2 < source.count,
               let high = hexValue(source[i + 1]), let low = hexValue(source[i + 2]) {
                bytes.append(high << 4 | low)
                i += 3
            } else {
                bytes.append(source[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The directory name for a column and a value's text; nil and "" go to the default partition.
    public static func segment(column: String, value: String?) -> String {
        let text = value.flatMap { $0.isEmpty ? nil : $0 }
        return escape(column) + "=" + (text.map(escape) ?? defaultPartitionName)
    }

    /// Splits a directory name `key=value` into the unescaped column and value (nil for the default
    /// partition); nil when the name is not a partition directory.
    public static func parseSegment<S: StringProtocol>(_ name: S) -> (column: String, value: String?)? {
        guard let equals = name.firstIndex(of: "="), equals != name.startIndex else { return nil }
        let column = unescape(name[name.startIndex..<equals])
        let raw = name[name.index(after: equals)...]
        if raw == defaultPartitionName[...] { return (column, nil) }
        return (column, unescape(raw))
    }
}
