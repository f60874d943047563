/// The text of a run of cells: all bytes back to back in one buffer, plus `cellCount + 1` offsets
/// (cell `i` is `bytes[offsets[i]..<offsets[i + 1]]`).
///
/// This is what a `ColumnRenderer` produces for a column, one cell per row, and what nested values
/// and rows are assembled from. It is reused from batch to batch: `removeAll` keeps the memory.
final class RenderedCells {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var byteCapacity: Int
    var byteCount = 0
    private(set) var offsets: UnsafeMutablePointer<Int>
    private(set) var cellCapacity: Int
    var cellCount = 0

    init() {
        byteCapacity = 1024
        bytes = .allocate(capacity: byteCapacity)
        cellCapacity = 64
        offsets = .allocate(capacity: cellCapacity + 1)
        offsets[0] = 0
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
    }

    func removeAll() {
        byteCount = 0
        cellCount = 0
    }

    /// Makes room for `additional` more bytes; `bytes` may move.
    @inline(__always)
    func reserveBytes(_ additional: Int) {
        if byteCount &+ additional > byteCapacity { growBytes(to: byteCount + additional) }
    }

    private func growBytes(to minimum: Int) {
        var capacity = byteCapacity * 2
        while capacity < minimum { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    /// Makes room for `additional` more cells; `offsets` may move.
    @inline(__always)
    func reserveCells(_ additional: Int) {
        if cellCount &+ additional > cellCapacity { growCells(to: cellCount + additional) }
    }

    private func growCells(to minimum: Int) {
        var capacity = cellCapacity * 2
        while capacity < minimum { capacity *= 2 }
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity + 1)
        grown.update(from: offsets, count: cellCount + 1)
        offsets.deallocate()
        offsets = grown
        cellCapacity = capacity
    }

    /// Appends one cell holding `text`.
    func append(_ text: UnsafeBufferPointer<UInt8>) {
        reserveBytes(text.count)
        reserveCells(1)
        if text.count > 0 { (bytes + byteCount).update(from: text.baseAddress!, count: text.count) }
        byteCount += text.count
        cellCount += 1
        offsets[cellCount] = byteCount
    }

    /// Cell `index`'s bytes; valid until the next change.
    @inline(__always)
    func cell(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes + offsets[index], count: offsets[index &+ 1] &- offsets[index])
    }

    /// A read-only view for assembly loops; valid until the next change.
    var view: RenderedCellsView { RenderedCellsView(bytes: bytes, offsets: offsets) }
}

/// Pointers into a `RenderedCells`, so that loops over several of them read plain memory.
struct RenderedCellsView {
    let bytes: UnsafePointer<UInt8>
    let offsets: UnsafePointer<Int>

    init(bytes: UnsafeMutablePointer<UInt8>, offsets: UnsafeMutablePointer<Int>) {
        self.bytes = UnsafePointer(bytes)
        self.offsets = UnsafePointer(offsets)
    }
}

/// Copies `count` bytes, with inline moves for the short pieces (keys, numbers) rows are made of.
@inline(__always)
func copyBytes(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ count: Int) {
    if count <= 16 {
        let d = UnsafeMutableRawPointer(destination)
        let s = UnsafeRawPointer(source)
        if count >= 8 {
            // Two overlapping 8-byte moves cover 8...16 bytes.
            let head = s.loadUnaligned(as: UInt64.self)
            let tail = s.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            d.storeBytes(of: head, as: UInt64.self)
            d.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            let head = s.loadUnaligned(as: UInt32.self)
            let tail = s.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            d.storeBytes(of: head, as: UInt32.self)
            d.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else if count > 0 {
            destination[0] = source[0]
            destination[count &>> 1] = source[count &>> 1]
            destination[count &- 1] = source[count &- 1]
        }
    } else {
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count)
    }
}
