import Foundation
import Testing

/// Runs the SQL logic test corpus (`Fixtures/sql/*.slt`) through `sparrow sql --format jsonl`.
///
/// Every record runs in a fresh process, from the repository root (the files name their data
/// relative to it), as one script: the `statement ok` records before it in the file, then the
/// record itself, each ending with `;`. The expected rows come from DuckDB
/// (tools/fixtures/make_sql_expected.py), so a mismatch is Sparrow's to explain.
@Suite struct SQLLogicTests {
    static let directory = SparrowProcess.repositoryRoot.appendingPathComponent("Fixtures/sql")

    /// Every .slt file of the corpus.
    static let allFileNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".slt") }.sorted()
    }()

    /// The files to run: all, or those that SQL_LOGIC_FILES names (`tpch.slt,errors.slt`).
    static let fileNames: [String] = {
        guard let list = ProcessInfo.processInfo.environment["SQL_LOGIC_FILES"], !list.isEmpty else { return allFileNames }
        return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }()

    /// Generous for a debug build; only a hang should reach it.
    static let timeoutSeconds = 120.0

    @Test func corpusParsesAndCoversEnoughQueries() throws {
        #expect(Self.allFileNames.count >= 9, "Fixtures/sql holds \(Self.allFileNames)")
        var queries = 0
        var errors = 0
        for name in Self.allFileNames {
            let file = try SQLLogicFile.load(Self.directory.appendingPathComponent(name))
            #expect(!file.records.isEmpty, "\(name) has no records")
            for record in file.records {
                switch record.kind {
                case .query: queries += 1
                case .queryError, .statementError: errors += 1
                case .statementOK: break
                }
            }
        }
        #expect(queries >= 170)
        #expect(errors >= 10)
    }

    @Test(arguments: SQLLogicTests.fileNames)
    func file(_ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        let file = try SQLLogicFile.load(url)
        if let reason = file.skipReason {
            // The console reporter does not show a cancelled case's comment, so say it here too.
            print("SQLLogicTests: \(name) skipped: \(reason)")
            try Test.cancel("\(name) skipped: \(reason)")
        }
        var statements: [String] = []
        for record in file.records {
            let passed = try run(record, after: statements, file: file, path: url.path)
            if case .statementOK = record.kind {
                // Every later record runs this statement first: stop at the first that fails.
                guard passed else { return }
                statements.append(record.sql)
            }
        }
    }

    /// Runs one record; records an issue at the record's line and returns false when it fails.
    private func run(_ record: SQLLogicFile.Record, after statements: [String], file: SQLLogicFile,
                     path: String) throws -> Bool {
        let scriptPath = SparrowProcess.temporaryPath("\(file.name)-\(record.line).sql")
        try Self.script(statements + [record.sql]).write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let result = try SparrowProcess.run(["sql", "--format", "jsonl", "-f", scriptPath],
                                            currentDirectory: SparrowProcess.repositoryRoot,
                                            timeout: Self.timeoutSeconds)
        let location = SourceLocation(fileID: "SparrowCLITests/\(file.name)", filePath: path, line: record.line, column: 1)
        let header = "\(file.name):\(record.line)"
        func fail(_ problem: String) -> Bool {
            Issue.record("\(header): \(problem)\n\(record.sql)", sourceLocation: location)
            return false
        }
        if result.timedOut { return fail("no answer after \(Int(Self.timeoutSeconds)) s") }
        if result.crashed { return fail("sparrow crashed (signal \(result.status))\nstderr: \(result.stderr)") }
        switch record.kind {
        case .statementOK:
            guard result.status == 0 else { return fail("the statement failed (status \(result.status)): \(result.stderr)") }
            guard result.stdout.isEmpty else { return fail("the statement printed rows:\n\(result.stdout)") }
            return true
        case .statementError(let parts), .queryError(let parts):
            guard result.status == 1 else {
                return fail("expected an error (status 1), got status \(result.status)\nstdout:\n\(result.stdout)")
            }
            guard result.stdout.isEmpty else { return fail("the failing statement printed rows:\n\(result.stdout)") }
            let message = result.stderr.lowercased()
            let missing = parts.filter { !message.contains($0.lowercased()) }
            guard missing.isEmpty else {
                return fail("the error message lacks \(missing.map { "'\($0)'" }.joined(separator: ", ")): \(result.stderr)")
            }
            return true
        case .query(let types, let sort, let expected):
            guard result.status == 0 else { return fail("the query failed (status \(result.status)): \(result.stderr)") }
            var actual: [[String]]
            do {
                actual = try SQLLogicValues.rows(jsonLines: result.stdout, types: types)
            } catch {
                return fail("unreadable output: \(error)")
            }
            var wanted = expected
            if sort == .rows {
                actual = SQLLogicValues.sorted(actual, types: types)
                wanted = SQLLogicValues.sorted(wanted, types: types)
            }
            guard SQLLogicValues.matches(actual, wanted, types: types) else {
                return fail("wrong result\n" + Self.describe("expected", wanted) + Self.describe("actual", actual))
            }
            return true
        }
    }

    /// The script that runs `statements` in order in one session.
    static func script(_ statements: [String]) -> String {
        statements.map { statement in
            var text = Substring(statement)
            while let last = text.last, last.isWhitespace || last == ";" { text.removeLast() }
            return text + ";\n"
        }.joined()
    }

    /// Rows as the .slt file writes them, under a title with their count; long results are cut.
    static func describe(_ title: String, _ rows: [[String]]) -> String {
        let limit = 60
        var text = "\(title) (\(rows.count) rows):\n"
        for row in rows.prefix(limit) { text += row.joined(separator: "\t") + "\n" }
        if rows.count > limit { text += "… \(rows.count - limit) more\n" }
        return text
    }
}
