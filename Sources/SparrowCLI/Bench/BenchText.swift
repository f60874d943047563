import Execution
import Foundation

/// How the benchmark reports write numbers, sizes and times.
enum BenchText {
    /// 12030 → "12,030".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    static func bytes(_ value: Int) -> String { ByteCountText.text(value) }

    /// Seconds with three decimals: "0.012 s".
    static func seconds(_ value: Double) -> String { String(format: "%.3f s", value) }

    /// "41.3×" (one decimal from 10 on, two below).
    static func ratio(_ value: Double) -> String {
        String(format: value >= 10 ? "%.1f×" : "%.2f×", value)
    }

    /// `5 / 12,030`.
    static func fraction(_ part: Int, of whole: Int) -> String { "\(grouped(part)) / \(grouped(whole))" }

    /// `text` broken into lines of at most `width` characters at spaces.
    static func wrapped(_ text: String, width: Int = 100) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
