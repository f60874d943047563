import Foundation
import Testing

/// Runs the `sparrow` binary that `swift test` built next to the test bundle.
struct SparrowProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// True when the process ended by a signal (a crash or trap) rather than exiting.
        let crashed: Bool
        /// True when the process outlived the timeout given to `run` and was terminated.
        var timedOut = false
    }

    /// The built binary, or the program that the environment variable SPARROW_BINARY names (to run
    /// the tests against a release build, or against tools/fixtures/fake_sql_sparrow.py).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SPARROW_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("sparrow")
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var parquetTesting: String {
        ProcessInfo.processInfo.environment["PARQUET_TESTING"]
            ?? repositoryRoot.appendingPathComponent("Fixtures/parquet-testing").path
    }

    /// Runs the binary with `arguments`; `currentDirectory` defaults to the test's own, `environment`
    /// adds to (or replaces) the test's variables, and a process still running after `timeout`
    /// seconds is terminated (its result says `timedOut`).
    static func run(_ arguments: [String], standardInput: String? = nil, currentDirectory: URL? = nil,
                    environment: [String: String] = [:], timeout: Double? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if let standardInput { process.standardInput = FileHandle(forReadingAtPath: standardInput) }
        // Standard error goes to a file, so neither stream can fill up and block the child.
        let errorPath = temporaryPath("stderr")
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let start = ContinuousClock.now
        try process.run()
        let watchdog = timeout.map { seconds in
            let item = DispatchWorkItem { if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
            return item
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog?.cancel()
        let timedOut = timeout.map { ContinuousClock.now - start >= .seconds($0) } == true
            && process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM
        let stderr = try Data(contentsOf: URL(fileURLWithPath: errorPath))
        var result = Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self),
                            crashed: process.terminationReason == .uncaughtSignal)
        result.timedOut = timedOut
        return result
    }

    /// Runs a shell command (to compress fixtures); fails the test when it fails.
    static func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(command) failed")
    }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "sparrow-cli-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }
}
