import Columnar

/// A fixed list of strings stored back to back.
final class StringList: @unchecked Sendable {
    private let storage: Buffer
    private let offsets: [Int]

    init(_ strings: [String]) {
        var offsets = [0]
        var all: [UInt8] = []
        for string in strings {
            all.append(contentsOf: string.utf8)
            offsets.append(all.count)
        }
        storage = Buffer(copying: all)
        self.offsets = offsets
    }

    var count: Int { offsets.count - 1 }

    @inline(__always)
    func bytes(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage.baseAddress + offsets[index], count: offsets[index + 1] - offsets[index])
    }
}
