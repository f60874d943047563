/// Least-significant-digit radix sort of packed sort keys (`SortKeyColumn.pack`) by their key
/// bits (32…103), a byte per pass, skipping bytes that are the same in every key.
///
/// It is stable, and the row numbers in bits 0…31 of a range to sort are always ascending (the
/// input order, or ties of the previous level), so the result is the same as sorting the whole
/// 128-bit integers; for large ranges it is several times faster than a comparison sort.
enum RadixSort {
    /// Below this many keys a comparison sort is faster.
    static let threshold = 2048

    /// Sorts `keys[0..<count]` using `scratch` (as large) as the second buffer.
    static func sort(_ keys: UnsafeMutablePointer<UInt128>, scratch: UnsafeMutablePointer<UInt128>, count: Int) {
        let firstByte = 4
        let byteCount = 9
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: byteCount * 256)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: byteCount * 256)
        for i in 0..<count {
            let key = keys[i] >> (firstByte * 8)
            var shifted = key
            for b in 0..<byteCount {
                counts[b &* 256 &+ Int(truncatingIfNeeded: shifted) & 255] &+= 1
                shifted >>= 8
            }
        }
        var source = keys
        var target = scratch
        for b in 0..<byteCount {
            let histogram = counts + b * 256
            // A byte with one value everywhere does not reorder anything.
            var used = 0
            for value in 0..<256 where histogram[value] != 0 { used += 1 }
            if used <= 1 { continue }
            var position = 0
            for value in 0..<256 {
                let size = histogram[value]
                histogram[value] = position
                position += size
            }
            let shift = UInt128((firstByte + b) * 8)
            for i in 0..<count {
                let key = source[i]
                let bucket = Int(truncatingIfNeeded: key >> shift) & 255
                target[histogram[bucket]] = key
                histogram[bucket] &+= 1
            }
            swap(&source, &target)
        }
        if source != keys { keys.update(from: source, count: count) }
    }
}
