import Execution
import Foundation

/// Text for the job report: HTML escaping and the number formats the page uses.
enum ReportText {
    /// `text` safe inside HTML elements and quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// JSON that can sit inside `<script>`: `<`, `>` and `&` only occur inside JSON strings, where
    /// their `\u` escapes mean the same, so no `</script>` or `<!--` can end the element early.
    static func scriptSafeJSON(_ json: String) -> String {
        json.replacingOccurrences(of: "&", with: "\\u0026")
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
    }

    /// `0.04 ms`, `2.5 ms`, `12 ms`, `1.25 s`.
    static func duration(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 0.01 { return "\(Int((seconds * 1000).rounded())) ms" }
        return String(format: seconds >= 0.001 ? "%.1f ms" : "%.2f ms", seconds * 1000)
    }

    /// `60,175`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    static func bytes(_ value: Int) -> String { ByteCountText.text(value) }

    /// `text` cut to `limit` characters with an ellipsis.
    static func truncated(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
