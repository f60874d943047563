import Foundation
import Testing
@testable import Parquet

/// A small deterministic generator (SplitMix64), so that a failing mutation can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Damaged footers must decode or throw a `ParquetError`, never trap, hang or run out of memory.
@Suite struct FileMetaDataFuzzTests {
    enum Outcome { case decoded, threw }

    /// Decodes `bytes`, recording an issue for any error other than a `ParquetError`.
    static func attempt(_ bytes: [UInt8], _ what: @autoclosure () -> String) -> Outcome {
        do {
            let metadata = try TestData.decodeFooter(bytes)
            _ = metadata.encode()
            return .decoded
        } catch is ParquetError {
            return .threw
        } catch {
            Issue.record("\(what()): unexpected error \(error)")
            return .threw
        }
    }

    @Test(arguments: FooterExpectations.files)
    func mutatedFootersDecodeOrThrow(_ expected: FooterExpectations.File) throws {
        let footer = try TestData.footer(of: try TestData.bytes(of: try expected.url()))
        // Seeded from the file name (FNV-1a), so every run mutates the same way.
        var random = SplitMix64(state: expected.file.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 })
        var threw = 0
        var decoded = 0
        func run(_ bytes: [UInt8], _ what: @autoclosure () -> String) {
            switch Self.attempt(bytes, what()) {
            case .decoded: decoded += 1
            case .threw: threw += 1
            }
        }
        for i in 0..<150 {
            var bytes = footer
            let position = Int.random(in: 0..<bytes.count, using: &random)
            bytes[position] ^= UInt8.random(in: 1...255, using: &random)
            run(bytes, "flip \(i) at \(position)")
        }
        for i in 0..<50 {
            var bytes = footer
            let start = Int.random(in: 0..<bytes.count, using: &random)
            for position in start..<min(bytes.count, start + Int.random(in: 2...8, using: &random)) {
                bytes[position] = UInt8.random(in: 0...255, using: &random)
            }
            run(bytes, "overwrite \(i) at \(start)")
        }
        for i in 0..<100 {
            let length = Int.random(in: 0..<footer.count, using: &random)
            run(Array(footer[..<length]), "truncation \(i) to \(length)")
        }
        for i in 0..<30 {
            var bytes = footer
            let position = Int.random(in: 0..<bytes.count, using: &random)
            if i.isMultiple(of: 2) {
                bytes.insert(contentsOf: (0..<Int.random(in: 1...4, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position)
            } else {
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...4, using: &random)))
            }
            run(bytes, "splice \(i) at \(position)")
        }
        #expect(decoded + threw == 330)
        #expect(threw >= 100)  // every truncation removes at least the final stop byte
    }

    @Test func everyTruncationOfASmallFooterThrows() throws {
        let url = try TestData.parquetTestingDirectory("data").appendingPathComponent("alltypes_plain.parquet")
        let footer = try TestData.footer(of: try TestData.bytes(of: url))
        for length in 0..<footer.count {
            #expect(Self.attempt(Array(footer[..<length]), "truncation to \(length)") == .threw)
        }
    }

    @Test func badDataFootersDecodeOrThrow() throws {
        let files = try TestData.parquetFiles(in: "bad_data")
        #expect(!files.isEmpty)
        for url in files {
            let bytes = try TestData.bytes(of: url)
            guard let footer = try? TestData.footer(of: bytes) else { continue }
            _ = Self.attempt(footer, url.lastPathComponent)
        }
    }

    @Test func invalidPhysicalTypeSurvivesDecoding() throws {
        // PARQUET-1481: a schema element with type -7; rejecting it is the schema layer's job.
        let url = try TestData.parquetTestingDirectory("bad_data").appendingPathComponent("PARQUET-1481.parquet")
        let metadata = try TestData.decodeFooter(try TestData.footer(of: try TestData.bytes(of: url)))
        #expect(metadata.schema.map(\.type?.rawValue) == [nil, -7])
    }
}
