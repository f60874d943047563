import Testing
@testable import Columnar

@Suite struct JSONFormatterTests {
    static let schema = Schema([Field("a", .int32), Field("b", .string)])

    static func batch(_ a: [Int32?], _ b: [String?]) -> RecordBatch {
        RecordBatch(schema: schema, columns: [Column(.int32, a), Column(strings: b)])
    }

    /// One array, one row object per line, rows of several batches joined by commas.
    @Test func arrayOfRows() {
        let bytes = formattedBytes(JSONFormatter(), schema: Self.schema, [
            Self.batch([1, nil], ["x", "y\n"]), Self.batch([], []), Self.batch([3], [nil]),
        ])
        #expect(text(bytes) == "[\n{\"a\":1,\"b\":\"x\"},\n{\"a\":null,\"b\":\"y\\n\"},\n{\"a\":3,\"b\":null}\n]\n")
    }

    @Test func firstBatchEmpty() {
        let bytes = formattedBytes(JSONFormatter(), schema: Self.schema, [Self.batch([], []), Self.batch([7], ["z"])])
        #expect(text(bytes) == "[\n{\"a\":7,\"b\":\"z\"}\n]\n")
    }

    @Test func noRows() {
        #expect(text(formattedBytes(JSONFormatter(), schema: Self.schema, [])) == "[]\n")
        #expect(text(formattedBytes(JSONFormatter(), schema: Self.schema, [Self.batch([], [])])) == "[]\n")
    }

    /// Values are those of the JSON Lines formatter.
    @Test func nestedValues() {
        let column = Column(map: Field("key", .string, isNullable: false), value: Field("value", .float64),
                            keys: Column(strings: ["k"]), values: Column(.float64, [Double.nan]), lengths: [1, nil])
        let bytes = formattedBytes(JSONFormatter(), schema: Schema([Field("m", column.type)]), [singleColumnBatch("m", column)])
        #expect(text(bytes) == "[\n{\"m\":{\"k\":\"NaN\"}},\n{\"m\":null}\n]\n")
    }
}
