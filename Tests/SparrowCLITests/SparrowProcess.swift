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
    }

    static let binary: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("sparrow")
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var parquetTesting: String {
        ProcessInfo.processInfo.environment["PARQUET_TESTING"]
            ?? repositoryRoot.appendingPathComponent("Fixtures/parquet-testing").path
    }

    static func run(_ arguments: [String], standardInput: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let standardInput { process.standardInput = FileHandle(forReadingAtPath: standardInput) }
        // Standard error goes to a file, so neither stream can fill up and block the child.
        let errorPath = temporaryPath("stderr")
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = try Data(contentsOf: URL(fileURLWithPath: errorPath))
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self),
                      crashed: process.terminationReason == .uncaughtSignal)
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
