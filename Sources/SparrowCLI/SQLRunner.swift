import Columnar
import Foundation
import Query
import Sparrow

/// Runs SQL scripts for `sparrow sql` (and `scan --where`): statement by statement, printing each
/// query's rows as they are produced.
struct SQLRunner {
    struct Options {
        var format: OutputFormat
        var explain: Bool
        var analyze: Bool
        var timer: Bool
        /// `--report FILE.html`: every query's stages, plan and tasks go there as it finishes.
        var report: JobReportFile? = nil
    }

    let session: Session
    let options: Options

    /// Parses the whole script first (so a syntax error runs nothing), then runs each statement.
    /// `source` names the file in messages.
    func run(script: String, source: String?) throws {
        let statements: [Statement]
        switch Result(catching: { () throws(QueryError) -> [Statement] in try SQLParser.parseStatements(script) }) {
        case .success(let parsed):
            statements = parsed
        case .failure(let error):
            guard case .syntax(_, let line, let column) = error else { throw error }
            let prefix = source.map { "\($0): " } ?? ""
            throw SessionError.invalidArgument(prefix + error.description + "\n" + Self.excerpt(script, line: line, column: column))
        }
        // The report shows each statement as written; the lexer splits exactly where the parser did.
        let texts = options.report == nil ? nil : StatementTexts.split(script).flatMap { $0.count == statements.count ? $0 : nil }
        for (i, statement) in statements.enumerated() {
            try run(statement, text: texts?[i] ?? "statement \(i + 1) of \(source ?? "the script")")
        }
    }

    /// Runs one statement; `text` is what the job report shows for it.
    func run(_ statement: Statement, text: String = "") throws {
        let start = ContinuousClock.now
        defer {
            if options.timer {
                StandardError.write("Run Time: \(String(format: "%.3f", Self.seconds(since: start))) s\n")
            }
        }
        if options.explain, case .query(let plan) = statement {
            StandardOutput.write(try DataFrame(session: session, plan: plan).explain(.extended) + "\n")
            return
        }
        var execution: QueryExecution?
        do {
            try run(statement, execution: &execution)
        } catch {
            if let report = options.report, execution != nil || statement.isQuery {
                // The query's own error is the one to report; a report that cannot be written is a warning then.
                do {
                    try report.add(QueryReport(query: text, execution: execution, seconds: Self.seconds(since: start), error: String(describing: error)))
                } catch let reportError {
                    StandardError.write("sparrow: warning: \(reportError)\n")
                }
            }
            throw error
        }
        if let report = options.report, let execution {
            try report.add(QueryReport(query: text, execution: execution, seconds: Self.seconds(since: start)))
        }
    }

    /// Runs `statement`, leaving in `execution` the query it ran, if any, as soon as it is planned.
    private func run(_ statement: Statement, execution: inout QueryExecution?) throws {
        switch try session.execute(statement) {
        case .rows(let frame):
            let queryExecution = try frame.queryExecution()
            execution = queryExecution
            try print(queryExecution)
            if options.analyze { StandardError.write(queryExecution.analyzeString() + "\n") }
        case .text(let text):
            StandardOutput.write(text + "\n")
        case .settings(let pairs):
            for (key, value) in pairs { StandardOutput.write("\(key)=\(value)\n") }
        case .done:
            break
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, atto) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(atto) / 1e18
    }

    /// Streams the rows into the chosen format.
    func print(_ execution: QueryExecution) throws {
        var output = BufferBuilder(capacity: 1 << 16)
        guard var formatter = options.format.makeFormatter() else {
            var rows = 0
            try execution.stream { batch in
                rows += batch.rowCount
                return true
            }
            StandardOutput.write("\(rows) rows\n")
            return
        }
        formatter.begin(schema: execution.schema.schema, to: &output)
        try execution.stream { batch in
            formatter.write(batch, to: &output)
            StandardOutput.write(&output)
            return true
        }
        formatter.finish(to: &output)
        StandardOutput.write(&output, force: true)
    }

    /// A prompt that reads statements up to `;` and runs them; errors are printed and the
    /// session goes on.
    func interactive() {
        StandardError.write("Sparrow SQL. End statements with ';'. Type .quit or press Ctrl-D to leave.\n")
        var pending = ""
        while true {
            StandardError.write(pending.isEmpty ? "sparrow> " : "     ..> ")
            guard let line = readLine() else { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && [".quit", ".exit", "quit", "exit"].contains(trimmed.lowercased()) { break }
            pending += line + "\n"
            guard trimmed.hasSuffix(";") else { continue }
            do {
                try run(script: pending, source: nil)
            } catch {
                StandardError.write("error: \(error)\n")
            }
            pending = ""
        }
    }

    /// The line at fault with a caret under the column.
    static func excerpt(_ script: String, line: Int, column: Int) -> String {
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1 && line <= lines.count else { return "" }
        return "  " + lines[line - 1] + "\n  " + String(repeating: " ", count: max(0, column - 1)) + "^"
    }
}

extension Statement {
    /// A query, whose failure still goes into the job report.
    var isQuery: Bool {
        if case .query = self { return true }
        return false
    }
}
