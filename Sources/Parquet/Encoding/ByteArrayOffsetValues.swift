/// The values of an Arrow variable-width array, checked once on creation.
struct ByteArrayOffsetValues {
    let offsets: UnsafeBufferPointer<Int32>
    let data: UnsafeRawBufferPointer
    let count: Int

    init(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer) {
        precondition(!offsets.isEmpty, "offsets need a leading start offset")
        var previous = offsets[0]
        precondition(previous >= 0, "negative offset")
        for offset in offsets {
            precondition(offset >= previous, "offsets decrease")
            previous = offset
        }
        precondition(Int(previous) <= data.count, "offsets point past the data")
        self.offsets = offsets
        self.data = data
        count = offsets.count &- 1
    }

    @inline(__always)
    subscript(i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: data[Int(offsets[i])..<Int(offsets[i &+ 1])])
    }
}
