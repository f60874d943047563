import Columnar

/// `s LIKE pattern` on strings: a constant pattern is compiled once (`LikePattern`) and run
/// once per dictionary entry for dictionary-encoded input; a pattern that varies by row is
/// tokenized per row into a reused buffer.
enum LikeKernels {
    static func compile(_ input: Kernel, pattern: Kernel, text: String) throws -> Kernel {
        if input.isNullConstant { return Kernel(constant: Datum(scalar: .nulls(.boolean, count: 1))) }
        guard input.type.layout == .variableWidth, pattern.type.layout == .variableWidth || pattern.isNullConstant else {
            throw ExecutionError.unsupported("LIKE on \(input.type)")
        }
        if let constant = pattern.constantColumn {
            if constant.nullCount == 1 {
                return Kernel(type: .boolean) { batch in
                    let shape = RowShape(try input.run(batch), rowCount: batch.rowCount)
                    return shape.datum(.nulls(.boolean, count: shape.count))
                }.folded(inputs: [input])
            }
            let bytes = constant.withBytes(at: 0) { Array($0) }
            let compiled: LikePattern
            do { compiled = try LikePattern(bytes) } catch { throw invalid(error, bytes, text) }
            return Kernel(type: .boolean) { batch in
                Elementwise.map(try input.run(batch)) { plain in
                    .booleans(count: plain.count, bits: compiled.matchBits(plain), validity: plain.validity)
                }
            }.folded(inputs: [input])
        }
        return Kernel(type: .boolean) { batch in
            let a = try input.run(batch), b = try pattern.run(batch)
            let shape = RowShape(a, b, rowCount: batch.rowCount)
            let count = shape.count
            let values = a.expanded(count), patterns = b.expanded(count)
            let validity = BitWords.and(values.validity, patterns.validity, count: count)
            let textReader = ByteValues.Reader(values), patternReader = ByteValues.Reader(patterns)
            var tokens: [LikePattern.Token] = []
            var failure: Error? = nil
            let bits = BitWords.make(count: count) { i in
                guard failure == nil, validity.map({ Bitmap.isSet($0.baseAddress, i) }) ?? true else { return false }
                let (pp, pn) = patternReader[i]
                tokens.removeAll(keepingCapacity: true)
                do {
                    try LikePattern.tokenize(UnsafeBufferPointer(start: pp, count: pn), into: &tokens)
                } catch {
                    failure = invalid(error, Array(UnsafeBufferPointer(start: pp, count: pn)), text)
                    return false
                }
                let (tp, tn) = textReader[i]
                return tokens.withUnsafeBufferPointer { LikePattern.matchGeneral($0, tp, tn) }
            }
            if let failure { throw failure }
            return shape.datum(.booleans(count: count, bits: bits, validity: validity))
        }.folded(inputs: [input, pattern])
    }

    private static func invalid(_ error: Error, _ pattern: [UInt8], _ text: String) -> ExecutionError {
        let shown = String(decoding: pattern, as: UTF8.self)
        switch error as? LikePattern.PatternError {
        case .escapeBefore(let byte):
            return .arithmetic(expression: text, detail: "invalid LIKE pattern '\(shown)': the escape character is not allowed to precede '\(String(decoding: [byte], as: UTF8.self))'")
        default:
            return .arithmetic(expression: text, detail: "invalid LIKE pattern '\(shown)': it is not allowed to end with the escape character")
        }
    }
}
