/// Display text of one table cell, cut to width, and its width in terminal columns.
struct TableCell {
    var bytes: ArraySlice<UInt8>
    var width: Int

    init(bytes: ArraySlice<UInt8>, width: Int) {
        self.bytes = bytes
        self.width = width
    }

    /// `text` (valid UTF-8) cut to at most `maxWidth` columns: when it is wider, the longest prefix
    /// of at most `maxWidth - 1` columns followed by `…`.
    init(_ text: UnsafeBufferPointer<UInt8>, maxWidth: Int) {
        var width = 0
        var fittingBytes = 0
        var fittingWidth = 0
        var i = 0
        while i < text.count {
            let (scalar, length) = DisplayWidth.decode(text, at: i)
            width += DisplayWidth.of(scalar)
            i += length
            if width <= maxWidth - 1 {
                fittingBytes = i
                fittingWidth = width
            }
            if width > maxWidth {
                bytes = ArraySlice(UnsafeBufferPointer(rebasing: text[..<fittingBytes])) + Array("…".utf8)
                self.width = fittingWidth + 1
                return
            }
        }
        bytes = ArraySlice(text)
        self.width = width
    }
}
