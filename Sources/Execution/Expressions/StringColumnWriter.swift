import Columnar

/// Builds a variable-width column value by value: offsets and bytes in two growing buffers
/// handed over without copying.
struct StringColumnWriter: ~Copyable {
    var offsets: BufferBuilder
    var data: BufferBuilder

    init(count: Int, estimatedBytes: Int) {
        offsets = BufferBuilder(capacity: (count + 1) * 4)
        data = BufferBuilder(capacity: max(estimatedBytes, 64))
        offsets.append(Int32(0))
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        if count > 0 { data.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count)) }
        endValue()
    }

    /// Writes up to `maxCount` bytes with `body`, which returns how many it wrote; ends the value.
    @inline(__always)
    mutating func append(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        data.appendUninitialized(maxByteCount: maxCount) { raw in
            maxCount == 0 ? 0 : body(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        endValue()
    }

    /// Appends bytes to the current value without ending it.
    @inline(__always)
    mutating func appendPart(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        if count > 0 { data.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count)) }
    }

    @inline(__always)
    mutating func endValue() {
        precondition(data.count <= Int(Int32.max), "string column exceeds 2 GiB")
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    consuming func finish(_ type: DataType, count: Int, validity: Buffer?) -> Column {
        let offsetBuffer = offsets.finish()
        let dataBuffer = data.finish()
        return Column(type: type, count: count, validity: validity,
                      storage: .variableWidth(offsets: offsetBuffer, data: dataBuffer))
    }
}
