#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
///
/// Redraws at most ten times a second so that fast loops do not spend their time drawing.
final class ProgressBar {
    private let total: Int
    private let unit: String
    private let enabled: Bool
    private let start = Stopwatch()
    private var lastDraw = -1.0

    init(total: Int, unit: String, quiet: Bool) {
        self.total = max(total, 1)
        self.unit = unit
        self.enabled = !quiet && isatty(2) != 0
    }

    /// Draws `done` of the total; `rows`, when the unit is not rows, adds a rows-per-second rate.
    func update(_ done: Int, rows: Int? = nil) {
        guard enabled else { return }
        let now = start.seconds
        guard now - lastDraw >= 0.1 || done >= total else { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = now > 0 ? Double(done) / now : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        var line = "\r\(bar) \(Int(fraction * 100))%  \(Self.compact(done))/\(Self.compact(total)) \(unit)  \(Self.compact(Int(rate))) \(unit)/s"
        if let rows, now > 0 { line += "  \(Self.compact(Int(Double(rows) / now))) rows/s" }
        line += "  ETA \(Self.duration(eta))  "
        StandardError.write(line)
    }

    func finish() {
        guard enabled else { return }
        StandardError.write("\r\u{1B}[2K")
    }

    /// 1234567 → "1.2M".
    static func compact(_ value: Int) -> String {
        let v = Double(value)
        if v >= 1e9 { return format(v / 1e9) + "G" }
        if v >= 1e6 { return format(v / 1e6) + "M" }
        if v >= 1e3 { return format(v / 1e3) + "k" }
        return String(value)
    }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : "\(s / 60):\(s % 60 < 10 ? "0" : "")\(s % 60)"
    }
}

/// Elapsed wall-clock time from `CLOCK_MONOTONIC`.
struct Stopwatch {
    private let started = Stopwatch.now()

    var seconds: Double { Stopwatch.now() - started }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
