import Columnar

/// Detects a CSV file's delimiter and whether its first record is a header, from a sample.
enum DialectSniffer {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// The delimiter whose records most consistently have the same number (more than one) of
    /// fields; `,` when none splits the records (a one-column file).
    static func delimiter(sample: FieldTableSample) -> UInt8 {
        var best: (delimiter: UInt8, consistency: Double, fields: Int)? = nil
        for candidate in candidates {
            let table = sample.tokenize(delimiter: candidate)
            var counts: [Int: Int] = [:]
            var records = 0
            for record in 0..<table.recordCount {
                let count = table.fieldCount(ofRecord: record)
                let first = Int(table.recordFields[record])
                // Blank lines say nothing about the delimiter.
                if count == 1 && table.fieldStarts[first] == table.fieldEnds[first] { continue }
                counts[count, default: 0] += 1
                records += 1
            }
            guard records > 0, let (mode, frequency) = counts.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }),
                  mode > 1 else { continue }
            let consistency = Double(frequency) / Double(records)
            if best == nil || consistency > best!.consistency + 1e-9
                || (abs(consistency - best!.consistency) <= 1e-9 && mode > best!.fields) {
                best = (candidate, consistency, mode)
            }
        }
        return best?.delimiter ?? UInt8(ascii: ",")
    }

    /// Whether record 0 of `table` is a header: a value in it does not fit the type the other
    /// records give its column, or (when every column is text) its values are all non-empty,
    /// distinct and not numbers, dates or booleans.
    static func hasHeader(_ table: FieldTable) -> Bool {
        guard table.recordCount > 0 else { return false }
        let columns = table.fieldCount(ofRecord: 0)
        let header = Int(table.recordFields[0])
        func bytes(_ field: Int) -> UnsafeRawBufferPointer {
            let start = Int(table.fieldStarts[field])
            return UnsafeRawBufferPointer(start: table.bytes.baseAddress + start, count: Int(table.fieldEnds[field]) - start)
        }
        var inferences = [ColumnTypeInference](repeating: ColumnTypeInference(), count: columns)
        for record in 1..<table.recordCount where table.fieldCount(ofRecord: record) == columns {
            let first = Int(table.recordFields[record])
            for column in 0..<columns where table.fieldStarts[first + column] != table.fieldEnds[first + column] {
                inferences[column].add(bytes(first + column))
            }
        }
        for column in 0..<columns {
            let type = inferences[column].type
            guard type != .string && type != .unknown else { continue }
            let field = header + column
            if table.fieldStarts[field] == table.fieldEnds[field] { continue }
            var withHeader = inferences[column]
            withHeader.add(bytes(field))
            if withHeader.type != type { return true }
        }
        // All text (or too little to tell): a header looks like distinct, non-empty words.
        var seen = Set<String>()
        for column in 0..<columns {
            let field = header + column
            guard table.fieldStarts[field] != table.fieldEnds[field] else { return false }
            var alone = ColumnTypeInference()
            alone.add(bytes(field))
            guard alone.type == .string else { return false }
            guard seen.insert(table.text(ofField: field)).inserted else { return false }
        }
        return true
    }

    /// Column names from a header record: empty names become `columnN`, repeated ones get `_1`,
    /// `_2`… suffixes.
    static func names(header: [String]) -> [String] {
        var used = Set<String>()
        var names: [String] = []
        for (index, raw) in header.enumerated() {
            var name = raw.isEmpty ? "column\(index)" : raw
            if used.contains(name) {
                var suffix = 1
                while used.contains("\(name)_\(suffix)") { suffix += 1 }
                name = "\(name)_\(suffix)"
            }
            used.insert(name)
            names.append(name)
        }
        return names
    }
}

/// The first bytes of an input, kept to be tokenized with each candidate delimiter.
struct FieldTableSample {
    let bytes: [UInt8]
    /// True when the sample is the whole input.
    let isComplete: Bool

    func tokenize(delimiter: UInt8) -> FieldTable {
        let buffer = bytes.withUnsafeBytes { Buffer(copying: $0) }
        var start = 0
        if bytes.starts(with: BlockTokenizer.byteOrderMark) { start = 3 }
        let table = FieldTable(bytes: buffer, firstLine: 1)
        _ = buffer.withUnsafeBytes { raw in
            Tokenizer(delimiter: delimiter).tokenize(raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start,
                                                     count: bytes.count - start, isFinal: isComplete, into: table,
                                                     offsetBase: start)
        }
        return table
    }
}
