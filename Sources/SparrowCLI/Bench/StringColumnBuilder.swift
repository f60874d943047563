import Columnar

/// Builds a string column from pieces of `StringList`s.
struct StringColumnBuilder: ~Copyable {
    private var data: BufferBuilder
    private var offsets: BufferBuilder
    private let count: Int

    init(count: Int, averageLength: Int) {
        self.count = count
        data = BufferBuilder(capacity: count * averageLength)
        offsets = BufferBuilder(capacity: (count + 1) * 4)
        offsets.append(Int32(0))
    }

    /// Appends a whole value.
    @inline(__always)
    mutating func append(_ list: StringList, _ index: Int) {
        data.append(contentsOf: list.bytes(index))
        offsets.append(Int32(data.count))
    }

    /// Appends to the value being built; `endValue` ends it.
    @inline(__always)
    mutating func appendPart(_ list: StringList, _ index: Int) {
        data.append(contentsOf: list.bytes(index))
    }

    @inline(__always)
    mutating func appendSpace() {
        data.append(UInt8(ascii: " "))
    }

    @inline(__always)
    mutating func endValue() {
        offsets.append(Int32(data.count))
    }

    consuming func finish() -> Column {
        precondition(offsets.count == (count + 1) * 4, "string column of \(offsets.count / 4 - 1) values, expected \(count)")
        return Column(type: .string, count: count, validity: nil,
                      storage: .variableWidth(offsets: offsets.finish(), data: data.finish()))
    }
}
