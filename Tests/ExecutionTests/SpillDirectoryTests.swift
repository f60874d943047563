import Foundation
import Testing
@testable import Execution

@Suite struct SpillDirectoryTests {
    /// A fresh parent directory per test, so "nothing left behind" can be checked exactly.
    static func makeParent() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/spill-dir-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    @Test func createdOnFirstUseAndRemovedWithItsFiles() throws {
        let parent = try Self.makeParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directory = SpillDirectory(parent: parent)
        #expect(directory.path == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
        let first = try directory.newFilePath(prefix: "shuffle-0-map-1", extension: "data")
        let second = try directory.newFilePath(prefix: "shuffle-0-map-1", extension: "data")
        #expect(first != second)
        let path = try #require(directory.path)
        #expect(path.hasPrefix(parent + "/sparrow-spill-"))
        #expect(first.hasPrefix(path + "/"))
        for file in [first, second] { #expect(FileManager.default.createFile(atPath: file, contents: Data([1, 2, 3]))) }
        directory.remove()
        #expect(directory.path == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
        // A later spill makes a new directory.
        let third = try directory.newFilePath(prefix: "x", extension: "data")
        #expect(!third.hasPrefix(path))
        #expect(directory.filesCreated == 3)
        directory.remove()
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    @Test func releasedDirectoryIsRemoved() throws {
        let parent = try Self.makeParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        do {
            let directory = SpillDirectory(parent: parent)
            _ = try directory.newFilePath(prefix: "x", extension: "data")
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent).count == 1)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    @Test func missingParentIsAnErrorNamingIt() throws {
        let directory = SpillDirectory(parent: "/nonexistent/sparrow-spill-parent")
        do {
            _ = try directory.newFilePath(prefix: "x", extension: "data")
            Issue.record("expected an error")
        } catch let error as ExecutionError {
            #expect(error.description.contains("/nonexistent/sparrow-spill-parent"))
            #expect(error.description.contains("spark.local.dir"))
        }
    }
}
