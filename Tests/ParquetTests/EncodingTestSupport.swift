import Columnar
@testable import Parquet

/// Sizes that cross the group, miniblock and block boundaries of the encodings.
let boundarySizes = [0, 1, 7, 8, 9, 127, 128, 129, 1000]

extension BufferBuilder {
    /// The bytes written so far, as an array.
    func bytes() -> [UInt8] { withUnsafeBytes { Array($0) } }
}

/// Runs `body` with a fresh builder and returns what it appended.
func built(_ body: (inout BufferBuilder) throws -> Void) rethrows -> [UInt8] {
    var output = BufferBuilder()
    try body(&output)
    return output.bytes()
}

/// The Arrow layout of `strings`: Int32 offsets (count + 1) and the concatenated bytes.
func arrowLayout(_ values: [[UInt8]]) -> (offsets: [Int32], data: [UInt8]) {
    var offsets: [Int32] = [0]
    var data: [UInt8] = []
    for value in values {
        data += value
        offsets.append(Int32(data.count))
    }
    return (offsets, data)
}

func arrowLayout(_ strings: [String]) -> (offsets: [Int32], data: [UInt8]) {
    arrowLayout(strings.map { Array($0.utf8) })
}

/// Splits Arrow offsets and bytes back into values.
func values(offsets: [Int32], data: [UInt8]) -> [[UInt8]] {
    (0..<(offsets.count - 1)).map { Array(data[Int(offsets[$0])..<Int(offsets[$0 + 1])]) }
}

/// Decodes byte arrays with `decode(count:offsets:values:)` in batches of `batch` values.
func decodeByteArrays(
    count: Int, batch: Int,
    _ decode: (Int, inout BufferBuilder, inout BufferBuilder) throws -> Void
) throws -> [[UInt8]] {
    var offsets = BufferBuilder()
    var data = BufferBuilder()
    offsets.append(Int32(0))
    var done = 0
    while done < count {
        let n = min(batch, count - done)
        try decode(n, &offsets, &data)
        done += n
    }
    let offsetArray = offsets.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
    return values(offsets: offsetArray, data: data.bytes())
}

/// Random bytes, some of them small numbers so that headers are often plausible.
func randomBytes(_ count: Int, using rng: inout SeededGenerator) -> [UInt8] {
    (0..<count).map { _ in
        let r = rng.next()
        return r & 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) & 0x0f : UInt8(truncatingIfNeeded: r >> 8)
    }
}
