/// Renders rows of a column as text cells in one `CellStyle`, a column at a time.
///
/// `render` looks at the column's type and storage once, picks the cell writer for it and runs one
/// loop, specialised for that writer, over all requested rows; the row-oriented output (JSON
/// objects, CSV records, table lines) is then assembled from the cells of all columns by copying
/// bytes. Nested values are assembled the same way from their children's cells, which are always
/// rendered in JSON style: a list, struct or map is JSON text in every format.
///
/// Implementation notes: a renderer is built once per output column and keeps its memory from batch
/// to batch. It also keeps the rendered dictionary of dictionary-encoded columns: consecutive
/// batches of one Parquet column chunk share their dictionary, which is then rendered once, and
/// each row costs one copy of its cell. A dictionary much larger than the batch is not rendered
/// whole; the batch's rows are decoded (gathered) and rendered plainly instead.
///
/// Columns are trusted to be well formed (`Column`'s invariants); offsets and dictionary indices
/// are still checked, with a precondition, before memory is read through them.
final class ColumnRenderer {
    let type: DataType
    let style: CellStyle
    /// The result of the last `render`: one cell per requested row.
    private(set) var cells = RenderedCells()
    /// Second buffer for map entries and CSV quoting.
    private lazy var scratch = RenderedCells()
    /// Element renderer for lists; key and value renderers for maps; one per field for structs.
    private let children: [ColumnRenderer]
    /// The JSON object around a struct's field values.
    private let structTemplate: RowTemplate?
    /// True for CSV columns whose text may contain the delimiter, a quote or a line break, and so
    /// is quoted after rendering (text columns quote while rendering).
    private let quotesCSVAfterwards: Bool

    private var dictionaryRenderer: ColumnRenderer?
    /// The buffers of the dictionary `dictionaryRenderer` holds, kept alive so that identity
    /// comparison stays sound.
    private var dictionaryBuffers: [Buffer] = []

    init(type: DataType, style: CellStyle) {
        self.type = type
        self.style = style
        switch type {
        case .list(let element):
            children = [ColumnRenderer(type: element.type, style: .json)]
            structTemplate = nil
        case .map(let key, let value):
            children = [ColumnRenderer(type: key.type, style: .json), ColumnRenderer(type: value.type, style: .json)]
            structTemplate = nil
        case .structure(let fields):
            children = fields.map { ColumnRenderer(type: $0.type, style: .json) }
            structTemplate = RowTemplate.jsonObject(keys: fields.map(\.name), close: "}")
        default:
            children = []
            structTemplate = nil
        }
        if case .csv(let delimiter) = style {
            quotesCSVAfterwards = Self.mayNeedCSVQuotes(type, delimiter: delimiter)
        } else {
            quotesCSVAfterwards = false
        }
    }

    /// True when the CSV text of `type` (other than text types, which quote themselves) can contain
    /// `delimiter`, a quote or a line break.
    private static func mayNeedCSVQuotes(_ type: DataType, delimiter: UInt8) -> Bool {
        if type.isText { return false }
        if type.isNested || type == .interval { return true }
        // Other values are ASCII letters, digits and "+-./:=" (numbers, dates, base64, uuids).
        switch delimiter {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "\""), 0x0A, 0x0D:
            return true
        default:
            return false
        }
    }

    /// Replaces `cells` with the text of `rows` of `column`, one cell per row.
    func render(_ column: Column, rows: Range<Int>) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= column.count, "rows \(rows) of a column of \(column.count)")
        if let validity = column.validity {
            precondition(validity.byteCount >= Bitmap.byteCount(forBits: column.count), "validity bitmap too short")
        }
        cells.removeAll()
        cells.reserveCells(rows.count)
        if case .dictionary(let indices, let dictionary) = column.storage {
            renderDictionary(column, indices: indices, dictionary: dictionary, rows: rows)
            return
        }
        renderPlain(column, rows: rows)
        if quotesCSVAfterwards, case .csv(let delimiter) = style { quoteCells(delimiter: delimiter) }
    }

    private func renderPlain(_ column: Column, rows: Range<Int>) {
        let quoted = style.quotesText
        switch column.type {
        case .boolean: renderBooleans(column, rows: rows)
        case .int8: renderFixedWidth(SignedIntegerCellWriter<Int8>(), column, rows: rows)
        case .int16: renderFixedWidth(SignedIntegerCellWriter<Int16>(), column, rows: rows)
        case .int32: renderFixedWidth(SignedIntegerCellWriter<Int32>(), column, rows: rows)
        case .int64: renderFixedWidth(SignedIntegerCellWriter<Int64>(), column, rows: rows)
        case .uint8: renderFixedWidth(UnsignedIntegerCellWriter<UInt8>(), column, rows: rows)
        case .uint16: renderFixedWidth(UnsignedIntegerCellWriter<UInt16>(), column, rows: rows)
        case .uint32: renderFixedWidth(UnsignedIntegerCellWriter<UInt32>(), column, rows: rows)
        case .uint64: renderFixedWidth(UnsignedIntegerCellWriter<UInt64>(), column, rows: rows)
        case .float16: renderFixedWidth(Float16CellWriter(quoteSpecials: quoted), column, rows: rows)
        case .float32: renderFixedWidth(Float32CellWriter(quoteSpecials: quoted), column, rows: rows)
        case .float64: renderFixedWidth(Float64CellWriter(quoteSpecials: quoted), column, rows: rows)
        case .decimal(let precision, let scale):
            renderFixedWidth(DecimalCellWriter(wordCount: precision <= 38 ? 2 : 4, scale: scale), column, rows: rows)
        case .date32: renderFixedWidth(DateCellWriter(quoted: quoted), column, rows: rows)
        case .time(let unit, _): renderFixedWidth(TimeCellWriter(unit: unit, quoted: quoted), column, rows: rows)
        case .timestamp(let unit, let utc):
            renderFixedWidth(TimestampCellWriter(unit: unit, utc: utc, quoted: quoted), column, rows: rows)
        case .uuid: renderFixedWidth(UUIDCellWriter(quoted: quoted), column, rows: rows)
        case .interval: renderFixedWidth(IntervalCellWriter(), column, rows: rows)
        case .fixedSizeBinary(let width):
            renderFixedWidth(FixedSizeBinaryCellWriter(width: width, quoted: quoted, quotesEmpty: style != .display),
                             column, rows: rows)
        case .string, .json, .enumeration:
            switch style {
            case .json: renderVariableWidth(JSONStringCellWriter(), column, rows: rows)
            case .csv(let delimiter): renderVariableWidth(CSVFieldCellWriter(delimiter: delimiter), column, rows: rows)
            case .display: renderVariableWidth(DisplayTextCellWriter(), column, rows: rows)
            }
        case .binary:
            renderVariableWidth(Base64CellWriter(quoted: quoted, quotesEmpty: style != .display), column, rows: rows)
        case .list: renderList(column, rows: rows)
        case .map(let key, _): renderMap(column, stringKeys: key.type.isText, rows: rows)
        case .structure: renderStruct(column, rows: rows)
        }
    }

    private func storageMismatch(_ column: Column) -> Never {
        preconditionFailure("column of type \(column.type) has storage \(column.storage)")
    }

    // MARK: Scalars

    private func renderFixedWidth<Writer: FixedWidthCellWriter>(_ writer: Writer, _ column: Column, rows: Range<Int>) {
        guard case .fixedWidth(let values) = column.storage, let width = column.type.byteWidth else {
            storageMismatch(column)
        }
        precondition(values.byteCount >= rows.upperBound * width, "fixed-width buffer too short")
        let null = style.nullText
        let nullBytes = null.utf8Start
        let nullCount = null.utf8CodeUnitCount
        cells.reserveBytes(rows.count * max(writer.maxByteCount, nullCount))
        let out = cells.bytes
        let offsets = cells.offsets
        var position = cells.byteCount
        var cell = cells.cellCount
        let source = UnsafeRawPointer(values.baseAddress)
        if let validity = column.validity.map({ UnsafeRawPointer($0.baseAddress) }) {
            for row in rows {
                if Bitmap.isSet(validity, row) {
                    position &+= writer.write(source + row &* width, to: out + position)
                } else {
                    copyBytes(out + position, nullBytes, nullCount)
                    position &+= nullCount
                }
                cell &+= 1
                offsets[cell] = position
            }
        } else {
            for row in rows {
                position &+= writer.write(source + row &* width, to: out + position)
                cell &+= 1
                offsets[cell] = position
            }
        }
        cells.byteCount = position
        cells.cellCount = cell
    }

    private func renderBooleans(_ column: Column, rows: Range<Int>) {
        guard case .bits(let bits) = column.storage else { storageMismatch(column) }
        precondition(bits.byteCount >= Bitmap.byteCount(forBits: rows.upperBound), "boolean bitmap too short")
        let null = style.nullText
        cells.reserveBytes(rows.count * max(5, null.utf8CodeUnitCount))
        let out = cells.bytes
        let offsets = cells.offsets
        var position = cells.byteCount
        var cell = cells.cellCount
        let values = UnsafeRawPointer(bits.baseAddress)
        let validity = column.validity.map { UnsafeRawPointer($0.baseAddress) }
        let trueText: StaticString = "true"
        let falseText: StaticString = "false"
        for row in rows {
            let text = if let validity, !Bitmap.isSet(validity, row) {
                null
            } else {
                Bitmap.isSet(values, row) ? trueText : falseText
            }
            copyBytes(out + position, text.utf8Start, text.utf8CodeUnitCount)
            position &+= text.utf8CodeUnitCount
            cell &+= 1
            offsets[cell] = position
        }
        cells.byteCount = position
        cells.cellCount = cell
    }

    private func renderVariableWidth<Writer: VariableWidthCellWriter>(_ writer: Writer, _ column: Column, rows: Range<Int>) {
        guard case .variableWidth(let offsetBuffer, let data) = column.storage else { storageMismatch(column) }
        precondition(offsetBuffer.byteCount >= (rows.upperBound + 1) * 4, "offsets buffer too short")
        let null = style.nullText
        let nullBytes = null.utf8Start
        let nullCount = null.utf8CodeUnitCount
        let valueOffsets = offsetBuffer.baseAddress.assumingMemoryBound(to: Int32.self)
        let source = UnsafePointer(data.baseAddress.assumingMemoryBound(to: UInt8.self))
        let dataCount = data.byteCount
        let validity = column.validity.map { UnsafeRawPointer($0.baseAddress) }
        let offsets = cells.offsets
        var out = cells.bytes
        var capacity = cells.byteCapacity
        var position = cells.byteCount
        var cell = cells.cellCount
        for row in rows {
            if let validity, !Bitmap.isSet(validity, row) {
                if position &+ nullCount > capacity {
                    cells.byteCount = position
                    cells.reserveBytes(nullCount)
                    (out, capacity) = (cells.bytes, cells.byteCapacity)
                }
                copyBytes(out + position, nullBytes, nullCount)
                position &+= nullCount
            } else {
                let start = Int(valueOffsets[row])
                let end = Int(valueOffsets[row &+ 1])
                precondition(start >= 0 && start <= end && end <= dataCount, "corrupt offsets in \(column.type) column")
                let count = end &- start
                let needed = writer.maxByteCount(count)
                if position &+ needed > capacity {
                    cells.byteCount = position
                    cells.reserveBytes(needed)
                    (out, capacity) = (cells.bytes, cells.byteCapacity)
                }
                position &+= writer.write(source + start, count: count, to: out + position)
            }
            cell &+= 1
            offsets[cell] = position
        }
        cells.byteCount = position
        cells.cellCount = cell
    }

    // MARK: Dictionaries

    private func renderDictionary(_ column: Column, indices: Buffer, dictionary: Column, rows: Range<Int>) {
        precondition(indices.byteCount >= rows.upperBound * 4, "dictionary indices too short")
        precondition(dictionary.type == column.type, "dictionary of type \(dictionary.type) in a \(column.type) column")
        let identity = Self.identityBuffers(dictionary)
        let dictionaryCells: RenderedCells
        if let renderer = dictionaryRenderer, let identity, !identity.isEmpty, identity.count == dictionaryBuffers.count,
           zip(identity, dictionaryBuffers).allSatisfy({ $0 === $1 }), renderer.cells.cellCount == dictionary.count {
            dictionaryCells = renderer.cells
        } else if dictionary.count <= max(4 * rows.count, 1024) {
            let renderer = dictionaryRenderer ?? ColumnRenderer(type: type, style: style)
            dictionaryRenderer = renderer
            renderer.render(dictionary, rows: 0..<dictionary.count)
            dictionaryBuffers = identity ?? []
            dictionaryCells = renderer.cells
        } else {
            // A large dictionary used by few rows: decode just these rows.
            let rowIndices = Buffer(byteCount: rows.count * 4) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(start: indices.baseAddress + rows.lowerBound * 4, count: rows.count * 4))
            }
            let rowValidity = column.validity.map { _ in
                Bitmap.buffer(from: rows.lazy.map { !column.isNull($0) }, count: rows.count)
            }
            let gathered = dictionary.gather(indices: rowIndices, count: rows.count, validity: rowValidity)
            render(gathered, rows: 0..<rows.count)
            return
        }

        let null = style.nullText
        let nullCount = null.utf8CodeUnitCount
        // An estimate; the loop grows the buffer when a row needs more.
        cells.reserveBytes(rows.count * max(nullCount, dictionaryCells.byteCount / max(dictionaryCells.cellCount, 1)))
        let entries = dictionaryCells.view
        let entryCount = dictionaryCells.cellCount
        let validity = column.validity.map { UnsafeRawPointer($0.baseAddress) }
        let indexPointer = UnsafeRawPointer(indices.baseAddress)
        let offsets = cells.offsets
        var out = cells.bytes
        var capacity = cells.byteCapacity
        var position = cells.byteCount
        var cell = cells.cellCount
        for row in rows {
            var text = UnsafePointer(null.utf8Start)
            var count = nullCount
            if validity == nil || Bitmap.isSet(validity!, row) {
                let index = Int(Int32(littleEndian: indexPointer.loadUnaligned(fromByteOffset: row &* 4, as: Int32.self)))
                precondition(index >= 0 && index < entryCount, "dictionary index \(index) out of range 0..<\(entryCount)")
                let start = entries.offsets[index]
                text = entries.bytes + start
                count = entries.offsets[index &+ 1] &- start
            }
            if position &+ count > capacity {
                cells.byteCount = position
                cells.reserveBytes(count)
                (out, capacity) = (cells.bytes, cells.byteCapacity)
            }
            copyBytes(out + position, text, count)
            position &+= count
            cell &+= 1
            offsets[cell] = position
        }
        cells.byteCount = position
        cells.cellCount = cell
    }

    /// The buffers that identify a flat dictionary column (sound while they are kept alive), or nil
    /// for nested dictionaries, which are not reused.
    private static func identityBuffers(_ column: Column) -> [Buffer]? {
        var buffers: [Buffer] = []
        if let validity = column.validity { buffers.append(validity) }
        switch column.storage {
        case .fixedWidth(let values), .bits(let values): buffers.append(values)
        case .variableWidth(let offsets, let data): buffers += [offsets, data]
        default: return nil
        }
        return buffers
    }

    // MARK: Nested values

    /// The child rows that `rows` of a list column cover; checks the offsets on the way.
    private func childRange(offsets: Buffer, rows: Range<Int>, childCount: Int) -> Range<Int> {
        precondition(offsets.byteCount >= (rows.upperBound + 1) * 4, "list offsets too short")
        let start = Int(offsets.load(rows.lowerBound, as: Int32.self))
        let end = Int(offsets.load(rows.upperBound, as: Int32.self))
        precondition(start >= 0 && start <= end && end <= childCount, "corrupt list offsets")
        return start..<end
    }

    private func renderList(_ column: Column, rows: Range<Int>) {
        guard case .list(let offsets, let values) = column.storage else { storageMismatch(column) }
        let elements = childRange(offsets: offsets, rows: rows, childCount: values.count)
        children[0].render(values, rows: elements)
        assembleLists(column, offsets: offsets, rows: rows, elements: children[0].cells,
                      open: UInt8(ascii: "["), close: UInt8(ascii: "]"))
    }

    /// A map with string keys is a JSON object (`"k":v` entries in order, duplicates kept);
    /// otherwise an array of `{"key":k,"value":v}`. Keys should never be null; one that is is
    /// written as the key `""` in an object (an entry that is null as `"":null`), so the output
    /// stays valid JSON.
    private func renderMap(_ column: Column, stringKeys: Bool, rows: Range<Int>) {
        guard case .list(let offsets, let entries) = column.storage,
              case .structure(let keyValue) = entries.storage, keyValue.count == 2 else {
            storageMismatch(column)
        }
        let entryRange = childRange(offsets: offsets, rows: rows, childCount: entries.count)
        children[0].render(keyValue[0], rows: entryRange)
        children[1].render(keyValue[1], rows: entryRange)
        let keys = children[0].cells
        let values = children[1].cells
        let entryCells = scratch
        entryCells.removeAll()
        entryCells.reserveCells(entryRange.count)
        entryCells.reserveBytes(keys.byteCount + values.byteCount + entryRange.count * 20)
        let out = entryCells.bytes
        let entryOffsets = entryCells.offsets
        var position = 0
        let entryValidity = entries.validity.map { UnsafeRawPointer($0.baseAddress) }
        @inline(__always) func text(_ s: StaticString) {
            copyBytes(out + position, s.utf8Start, s.utf8CodeUnitCount)
            position &+= s.utf8CodeUnitCount
        }
        @inline(__always) func cell(_ cells: RenderedCells, _ index: Int) {
            let start = cells.offsets[index]
            let count = cells.offsets[index &+ 1] &- start
            copyBytes(out + position, cells.bytes + start, count)
            position &+= count
        }
        for (index, entry) in entryRange.enumerated() {
            let entryIsNull = entryValidity.map { !Bitmap.isSet($0, entry) } ?? false
            if stringKeys {
                // A JSON string starts with a quote; anything else is a null key.
                if !entryIsNull && keys.bytes[keys.offsets[index]] == UInt8(ascii: "\"") {
                    cell(keys, index)
                } else {
                    text("\"\"")
                }
                text(":")
                if entryIsNull { text("null") } else { cell(values, index) }
            } else if entryIsNull {
                text("null")
            } else {
                text("{\"key\":")
                cell(keys, index)
                text(",\"value\":")
                cell(values, index)
                text("}")
            }
            entryOffsets[index &+ 1] = position
        }
        entryCells.byteCount = position
        entryCells.cellCount = entryRange.count
        assembleLists(column, offsets: offsets, rows: rows, elements: entryCells,
                      open: UInt8(ascii: stringKeys ? "{" : "["), close: UInt8(ascii: stringKeys ? "}" : "]"))
    }

    /// Writes each list of `rows` as `open` element `,` element … `close`, from `elements`, which
    /// holds the cells of the child rows the lists cover.
    private func assembleLists(
        _ column: Column, offsets offsetBuffer: Buffer, rows: Range<Int>, elements: RenderedCells,
        open: UInt8, close: UInt8
    ) {
        let null = style.nullText
        let nullCount = null.utf8CodeUnitCount
        cells.reserveBytes(elements.byteCount + elements.cellCount + rows.count * max(2, nullCount))
        let listOffsets = offsetBuffer.baseAddress.assumingMemoryBound(to: Int32.self)
        let base = Int(listOffsets[rows.lowerBound])
        let validity = column.validity.map { UnsafeRawPointer($0.baseAddress) }
        let elementBytes = elements.bytes
        let elementOffsets = elements.offsets
        let out = cells.bytes
        let offsets = cells.offsets
        var position = cells.byteCount
        var cell = cells.cellCount
        for row in rows {
            let first = Int(listOffsets[row]) &- base
            let end = Int(listOffsets[row &+ 1]) &- base
            precondition(first <= end, "list offsets decrease")
            if let validity, !Bitmap.isSet(validity, row) {
                copyBytes(out + position, null.utf8Start, nullCount)
                position &+= nullCount
            } else {
                out[position] = open
                position &+= 1
                var element = first
                while element < end {
                    if element > first {
                        out[position] = UInt8(ascii: ",")
                        position &+= 1
                    }
                    let start = elementOffsets[element]
                    let count = elementOffsets[element &+ 1] &- start
                    copyBytes(out + position, elementBytes + start, count)
                    position &+= count
                    element &+= 1
                }
                out[position] = close
                position &+= 1
            }
            cell &+= 1
            offsets[cell] = position
        }
        cells.byteCount = position
        cells.cellCount = cell
    }

    private func renderStruct(_ column: Column, rows: Range<Int>) {
        guard case .structure(let fields) = column.storage, fields.count == children.count, let structTemplate else {
            storageMismatch(column)
        }
        for (renderer, field) in zip(children, fields) {
            precondition(field.count == column.count, "struct field of \(field.count) rows in a struct of \(column.count)")
            renderer.render(field, rows: rows)
        }
        let views = children.map { $0.cells.view }
        let fieldBytes = children.reduce(0) { $0 + $1.cells.byteCount }
        cells.reserveBytes(fieldBytes + rows.count * max(structTemplate.fixedByteCount, style.nullText.utf8CodeUnitCount))
        let validity = column.validity.map { UnsafeRawPointer($0.baseAddress) }
        views.withUnsafeBufferPointer { columns in
            cells.byteCount = structTemplate.write(
                columns, cellRange: 0..<rows.count, validity: validity, validityOffset: rows.lowerBound,
                nullText: style.nullText, to: cells.bytes, position: cells.byteCount,
                rowEnds: cells.offsets + cells.cellCount)
        }
        cells.cellCount += rows.count
    }

    // MARK: CSV

    /// Quotes the cells that contain the delimiter, a quote or a line break.
    private func quoteCells(delimiter: UInt8) {
        let source = cells
        let target = scratch
        target.removeAll()
        target.reserveCells(source.cellCount)
        for index in 0..<source.cellCount {
            let start = source.offsets[index]
            let count = source.offsets[index + 1] - start
            let text = source.bytes + start
            target.reserveBytes(CSVText.maxFieldByteCount(count))
            let out = target.bytes + target.byteCount
            if CSVText.needsQuotes(text, count: count, delimiter: delimiter) {
                target.byteCount += CSVText.writeQuoted(text, count: count, to: out)
            } else {
                copyBytes(out, text, count)
                target.byteCount += count
            }
            target.cellCount += 1
            target.offsets[target.cellCount] = target.byteCount
        }
        cells = target
        scratch = source
    }
}
