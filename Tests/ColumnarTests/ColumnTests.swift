import Testing
@testable import Columnar

@Suite struct ColumnTests {
    @Test func fixedWidthWithNulls() {
        let column = Column(.int32, [1, nil, 3] as [Int32?])
        #expect(column.count == 3)
        #expect(column.nullCount == 1)
        #expect(column.isNull(1))
        #expect(column.fixedWidthValue(at: 2, as: Int32.self) == 3)
    }

    @Test func dictionaryMaterializes() {
        let dictionary = Column(strings: ["a", "bb", "ccc"])
        let indices = Buffer(copying: [2, 0, 0, 1] as [Int32])
        let validity = Bitmap.buffer(from: [true, true, false, true], count: 4)
        let column = Column(type: .string, count: 4, validity: validity,
                            storage: .dictionary(indices: indices, dictionary: dictionary))
        let plain = column.materialized()
        #expect(plain.nullCount == 1)
        #expect(plain.stringValue(at: 0) == "ccc")
        #expect(plain.stringValue(at: 1) == "a")
        #expect(plain.isNull(2))
        #expect(plain.stringValue(at: 3) == "bb")
        guard case .variableWidth = plain.storage else { Issue.record("not materialized"); return }
    }

    @Test func sliceCopiesRows() {
        let column = Column(booleans: [true, nil, false, true])
        let slice = column.slice(1..<4)
        #expect(slice.count == 3)
        #expect(slice.isNull(0))
        #expect(slice.booleanValue(at: 2))
        #expect(!slice.booleanValue(at: 1))
    }
}
