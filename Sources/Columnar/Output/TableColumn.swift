/// The buffered cells of one table column.
struct TableColumn {
    let name: TableCell
    let type: TableCell
    let alignsRight: Bool
    private var text: [UInt8] = []
    private var ends: [Int] = []
    private var widths: [Int] = []
    /// Widest of the header and cells.
    private(set) var width: Int

    init(name: [UInt8], type: [UInt8], alignsRight: Bool, maxWidth: Int) {
        self.name = name.withUnsafeBufferPointer { TableCell($0, maxWidth: maxWidth) }
        self.type = type.withUnsafeBufferPointer { TableCell($0, maxWidth: maxWidth) }
        self.alignsRight = alignsRight
        width = max(self.name.width, self.type.width)
    }

    mutating func append(_ cell: UnsafeBufferPointer<UInt8>, maxWidth: Int) {
        let fitted = TableCell(cell, maxWidth: maxWidth)
        text += fitted.bytes
        ends.append(text.count)
        widths.append(fitted.width)
        width = max(width, fitted.width)
    }

    func cell(_ row: Int) -> TableCell {
        let start = row == 0 ? 0 : ends[row - 1]
        return TableCell(bytes: text[start..<ends[row]], width: widths[row])
    }
}
