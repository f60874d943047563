/// A JSON document built in memory and printed compactly or indented; for `inspect --json`.
indirect enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number, already spelled as JSON.
    case number(String)
    /// Any JSON text, inserted as it is (a value rendered by the batch formatters).
    case raw(String)
    case bool(Bool)
    case null

    static func int<T: BinaryInteger>(_ value: T) -> JSONValue { .number(String(value)) }
    static func optional<T: BinaryInteger>(_ value: T?) -> JSONValue { value.map { .int($0) } ?? .null }
    static func optional(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    func rendered(indent: Int = 0) -> String {
        var out = ""
        render(into: &out, indent: indent, pretty: true)
        return out
    }

    private func render(into out: inout String, indent: Int, pretty: Bool) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch self {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += pad + JSONValue.quote(key) + ": "
                value.render(into: &out, indent: indent + 1, pretty: pretty)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += closePad + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line.
            if items.allSatisfy({ $0.isScalar }) {
                out += "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.render(into: &out, indent: indent + 1, pretty: pretty)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += closePad + "]"
        case .string(let text): out += JSONValue.quote(text)
        case .number(let text), .raw(let text): out += text
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
