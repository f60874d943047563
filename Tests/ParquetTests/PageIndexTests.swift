import Foundation
import Testing
@testable import Parquet

/// ColumnIndex and OffsetIndex read from files that have a page index, checked against the
/// page headers they point at and, for Sparrow's pyarrow fixtures, against the pages their
/// data implies (see tools/fixtures/make_footer_expectations.py).
@Suite struct PageIndexTests {
    static let withPageIndex = FooterExpectations.files.filter {
        $0.rowGroups.contains { $0.columns.contains { $0.offsetIndexOffset != nil } }
    }

    /// Decodes a `T` that must fill `bytes[offset..<offset + length]` exactly.
    static func decode<T: ThriftCodable>(_ type: T.Type, in file: [UInt8], offset: Int64?, length: Int32?) throws -> T {
        let start = Int(try #require(offset))
        let end = start + Int(try #require(length))
        try #require(start >= 0 && end <= file.count)
        return try file[start..<end].withUnsafeBytes { buffer in
            var reader = ThriftCompactReader(buffer, baseOffset: start)
            let value = try T(from: &reader)
            #expect(reader.remaining == 0, "\(T.self) shorter than its length")
            return value
        }
    }

    @Test func someFilesHaveAPageIndex() {
        #expect(Self.withPageIndex.count >= 6)
    }

    @Test(arguments: withPageIndex)
    func offsetIndexMatchesThePageHeaders(_ expected: FooterExpectations.File) throws {
        let file = try TestData.bytes(of: try expected.url())
        let metadata = try TestData.decodeFooter(try TestData.footer(of: file))
        for group in metadata.rowGroups {
            for chunk in group.columns where chunk.offsetIndexOffset != nil {
                let meta = try #require(chunk.metaData)
                let offsetIndex = try Self.decode(OffsetIndex.self, in: file, offset: chunk.offsetIndexOffset,
                                                  length: chunk.offsetIndexLength)
                let dataPages = try ChunkPages(file: file, chunk: meta).headers.filter { $0.header.type != .dictionaryPage }
                // "Size of the page, including header."
                #expect(offsetIndex.pageLocations.map { Int($0.offset) } == dataPages.map(\.offset))
                #expect(offsetIndex.pageLocations.map { Int($0.compressedPageSize) }
                        == dataPages.map { $0.headerSize + Int($0.header.compressedPageSize) })
                let firstRows = offsetIndex.pageLocations.map(\.firstRowIndex)
                #expect(firstRows.first == 0)
                #expect(zip(firstRows, firstRows.dropFirst()).allSatisfy { $0 < $1 })
                #expect(firstRows.allSatisfy { $0 < group.numRows })

                if chunk.columnIndexOffset != nil {
                    let columnIndex = try Self.decode(ColumnIndex.self, in: file, offset: chunk.columnIndexOffset,
                                                      length: chunk.columnIndexLength)
                    let pages = offsetIndex.pageLocations.count
                    #expect(columnIndex.nullPages.count == pages)
                    #expect(columnIndex.minValues.count == pages)
                    #expect(columnIndex.maxValues.count == pages)
                    if let nullCounts = columnIndex.nullCounts { #expect(nullCounts.count == pages) }
                    for (i, isNull) in columnIndex.nullPages.enumerated() where isNull {
                        #expect(columnIndex.minValues[i].isEmpty && columnIndex.maxValues[i].isEmpty)
                    }
                }
            }
        }
    }

    @Test(arguments: FooterExpectations.files.filter { $0.pageIndex != nil })
    func pageIndexMatchesTheFixtureData(_ expected: FooterExpectations.File) throws {
        let file = try TestData.bytes(of: try expected.url())
        let metadata = try TestData.decodeFooter(try TestData.footer(of: file))
        let pageIndex = try #require(expected.pageIndex)
        try #require(metadata.rowGroups.count == pageIndex.count)
        for (group, expectedGroup) in zip(metadata.rowGroups, pageIndex) {
            for (name, pages) in expectedGroup {
                let chunk = try #require(group.columns.first { $0.metaData?.pathInSchema == [name] })
                let offsetIndex = try Self.decode(OffsetIndex.self, in: file, offset: chunk.offsetIndexOffset,
                                                  length: chunk.offsetIndexLength)
                let columnIndex = try Self.decode(ColumnIndex.self, in: file, offset: chunk.columnIndexOffset,
                                                  length: chunk.columnIndexLength)
                #expect(offsetIndex.pageLocations.map(\.firstRowIndex) == pages.map(\.firstRowIndex), "\(name)")
                #expect(columnIndex.nullPages == pages.map(\.nullPage), "\(name)")
                #expect(columnIndex.nullCounts == pages.map(\.nullCount), "\(name)")
                #expect(columnIndex.minValues.map(\.hex) == pages.map(\.min), "\(name)")
                #expect(columnIndex.maxValues.map(\.hex) == pages.map(\.max), "\(name)")
                if name == "id" { #expect(columnIndex.boundaryOrder == .ascending) }

                // parquet-cpp wrote these; re-encoding must give its bytes back.
                #expect(offsetIndex.encode()[...] == file[Int(chunk.offsetIndexOffset!)...].prefix(Int(chunk.offsetIndexLength!)))
                #expect(columnIndex.encode()[...] == file[Int(chunk.columnIndexOffset!)...].prefix(Int(chunk.columnIndexLength!)))

                // V2 pages state their rows and nulls in the header.
                let dataPages = try ChunkPages(file: file, chunk: try #require(chunk.metaData))
                    .headers.map(\.header).filter { $0.type != .dictionaryPage }
                if let first = dataPages.first, first.type == .dataPageV2 {
                    let expectedRows = zip(pages.map(\.firstRowIndex), pages.map(\.firstRowIndex).dropFirst() + [group.numRows])
                        .map { Int32($1 - $0) }
                    #expect(dataPages.map { $0.dataPageHeaderV2?.numRows } == expectedRows, "\(name)")
                    #expect(dataPages.map { $0.dataPageHeaderV2.map { Int64($0.numNulls) } } == pages.map(\.nullCount), "\(name)")
                }
            }
        }
    }

    @Test func bloomFilterHeaders() throws {
        var checked = 0
        for expected in FooterExpectations.files {
            let file = try TestData.bytes(of: try expected.url())
            let metadata = try TestData.decodeFooter(try TestData.footer(of: file))
            for chunk in metadata.rowGroups.flatMap(\.columns) {
                guard let meta = chunk.metaData, let offset = meta.bloomFilterOffset else { continue }
                let start = Int(offset)
                try #require(start >= 0 && start < file.count)
                let (header, headerSize) = try file[start...].withUnsafeBytes { buffer in
                    var reader = ThriftCompactReader(buffer, baseOffset: start)
                    return (try BloomFilterHeader(from: &reader), reader.offset)
                }
                #expect(header.algorithm == .block && header.hash == .xxHash && header.compression == .uncompressed)
                // The bitset is whole 32-byte blocks (Split Block Bloom Filter).
                #expect(header.numBytes > 0 && header.numBytes % 32 == 0)
                if let length = meta.bloomFilterLength {
                    // "Size of Bloom filter data including the serialized header"
                    #expect(headerSize + Int(header.numBytes) == Int(length))
                }
                #expect(start + headerSize + Int(header.numBytes) <= file.count)
                #expect(header.encode()[...] == file[start..<(start + headerSize)])
                checked += 1
            }
        }
        #expect(checked >= 3)  // data_index_bloom_encoding_stats and the v1 fixture's two row groups
    }
}
