import Foundation
import Testing
@testable import Parquet

/// CRC-32 as parquet.thrift specifies for `PageHeader.crc`: the gzip polynomial (reflected
/// 0xEDB88320), initial value and final xor 0xFFFFFFFF.
func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
}

/// A column chunk's pages, found by decoding one page header after another.
struct ChunkPages {
    var headers: [(offset: Int, headerSize: Int, header: PageHeader)] = []
    /// Where the walk stopped: the chunk's end if every header was in place.
    var end: Int

    init(file: [UInt8], chunk: ColumnMetaData) throws {
        var start = Int(chunk.dataPageOffset)
        if let dictionary = chunk.dictionaryPageOffset, dictionary > 0, dictionary < start { start = Int(dictionary) }
        let chunkEnd = start + Int(chunk.totalCompressedSize)
        try #require(start >= 0 && chunkEnd <= file.count)
        var position = start
        while position < chunkEnd {
            let (header, size) = try file[position..<chunkEnd].withUnsafeBytes { buffer in
                var reader = ThriftCompactReader(buffer, baseOffset: position)
                let header = try PageHeader.decode(from: &reader)
                return (header, reader.offset)
            }
            headers.append((position, size, header))
            position += size + Int(header.compressedPageSize)
        }
        end = position
        try #require(end == chunkEnd, "pages overrun the chunk")
    }
}

@Suite struct PageHeaderTests {
    @Test func crcImplementationMatchesTheStandardCheckValue() {
        #expect(crc32(ArraySlice("123456789".utf8)) == 0xCBF4_3926)
    }

    /// Walking a chunk header by header must land exactly on its end, count the values the
    /// footer (checked against pyarrow) says it has, and meet every stored CRC.
    @Test(arguments: FooterExpectations.files)
    func pagesOfEveryChunkAddUp(_ expected: FooterExpectations.File) throws {
        let file = try TestData.bytes(of: try expected.url())
        let metadata = try TestData.decodeFooter(try TestData.footer(of: file))
        var crcMismatches = 0
        var crcsChecked = 0
        for group in metadata.rowGroups {
            for chunk in group.columns {
                let meta = try #require(chunk.metaData)
                let pages = try ChunkPages(file: file, chunk: meta)
                var values: Int64 = 0
                for (index, (offset, size, header)) in pages.headers.enumerated() {
                    switch header.type {
                    case .dictionaryPage:
                        #expect(index == 0, "dictionary page not first")
                        #expect(header.dictionaryPageHeader != nil)
                    case .dataPage:
                        values += Int64(try #require(header.dataPageHeader).numValues)
                    case .dataPageV2:
                        let v2 = try #require(header.dataPageHeaderV2)
                        values += Int64(v2.numValues)
                        #expect(Int(v2.definitionLevelsByteLength + v2.repetitionLevelsByteLength) <= Int(header.compressedPageSize))
                    default:
                        Issue.record("unexpected page type \(header.type)")
                    }
                    if let crc = header.crc {
                        let body = file[(offset + size)..<(offset + size + Int(header.compressedPageSize))]
                        crcsChecked += 1
                        if crc32(body) != UInt32(bitPattern: crc) { crcMismatches += 1 }
                    }
                }
                #expect(values == meta.numValues, "\(meta.pathInSchema)")
            }
        }
        switch expected.file {
        case "datapage_v1-corrupt-checksum.parquet":
            // Two of its four data pages carry a wrong CRC (arrow-rs's checksum test fails the
            // first and fourth batch of this file).
            #expect(crcsChecked == 4 && crcMismatches == 2)
        case "datapage_v1-snappy-compressed-checksum.parquet", "pyarrow_v1_features.parquet":
            #expect(crcsChecked > 0 && crcMismatches == 0)
        default:
            #expect(crcMismatches == 0)
        }
    }

    @Test func pageHeaderRoundTrips() throws {
        let headers = [
            PageHeader(type: .dataPage, uncompressedPageSize: 100, compressedPageSize: 60, crc: -5,
                       dataPageHeader: DataPageHeader(numValues: 10, encoding: .plain, definitionLevelEncoding: .rle,
                                                      repetitionLevelEncoding: .bitPacked,
                                                      statistics: Statistics(nullCount: 0, maxValue: [1], minValue: [0]))),
            PageHeader(type: .dictionaryPage, uncompressedPageSize: 8, compressedPageSize: 8,
                       dictionaryPageHeader: DictionaryPageHeader(numValues: 2, encoding: .plain, isSorted: false)),
            PageHeader(type: .dataPageV2, uncompressedPageSize: 0, compressedPageSize: 0,
                       dataPageHeaderV2: DataPageHeaderV2(numValues: 3, numNulls: 1, numRows: 3, encoding: .rleDictionary,
                                                          definitionLevelsByteLength: 2, repetitionLevelsByteLength: 0,
                                                          isCompressed: false)),
            PageHeader(type: .indexPage, uncompressedPageSize: 0, compressedPageSize: 0, indexPageHeader: IndexPageHeader()),
        ]
        for header in headers {
            let bytes = header.encode() + [0xAA, 0xBB]  // page data follows the header
            try bytes.withUnsafeBytes { buffer throws in
                var reader = ThriftCompactReader(buffer)
                #expect(try PageHeader.decode(from: &reader) == header)
                #expect(reader.offset == bytes.count - 2)
            }
        }
    }

    @Test func isCompressedDefaultsToTrue() throws {
        // DataPageHeaderV2 without field 7
        let header = DataPageHeaderV2(numValues: 1, numNulls: 0, numRows: 1, encoding: .plain,
                                      definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0)
        var bytes = header.encode()
        // Drop the is_compressed field (its header byte 0x11: delta 1, bool true) and re-decode.
        let index = try #require(bytes.firstIndex(of: 0x11))
        bytes.remove(at: index)
        let decoded = try bytes.withUnsafeBytes { try DataPageHeaderV2.decode($0) }
        #expect(decoded.isCompressed)
        #expect(try [UInt8]([0x15, 0x02, 0x15, 0x00, 0x15, 0x02, 0x15, 0x00, 0x15, 0x00, 0x15, 0x00, 0x12, 0x00])
            .withUnsafeBytes { try DataPageHeaderV2.decode($0) }.isCompressed == false)
    }
}
