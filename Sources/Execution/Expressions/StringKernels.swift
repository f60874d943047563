import Columnar

/// String functions: `concat`/`||`, `lower`, `upper`, `trim`/`ltrim`/`rtrim`, `substring`,
/// `length`. Positions and lengths count characters (Unicode scalars), as Spark does; ASCII
/// values take a byte-indexed fast path. Functions of one string column and constants run once
/// per dictionary entry on dictionary-encoded input and keep the result encoded.
enum StringKernels {
    static func requireText(_ kernels: [Kernel], _ function: String) throws {
        for kernel in kernels where kernel.type.layout != .variableWidth && !kernel.isNullConstant {
            throw ExecutionError.unsupported("\(function) of \(kernel.type)")
        }
    }

    // MARK: concat

    /// `concat(a, b, …)` and `a || b`: NULL when any argument is NULL.
    static func concat(_ arguments: [Kernel]) throws -> Kernel {
        try requireText(arguments, "concat")
        let varying = arguments.indices.filter { !arguments[$0].isConstant }
        return Kernel(type: .string) { batch in
            let values = try arguments.map { try $0.run(batch) }
            let shape = RowShape(values, rowCount: batch.rowCount)
            if values.contains(where: \.isNullScalar) { return shape.datum(.nulls(.string, count: shape.count)) }
            // One varying argument: a function of it alone, dictionary-friendly.
            if varying.count == 1 {
                let index = varying[0]
                return Elementwise.map(values[index]) { plain in
                    var parts = values
                    parts[index] = Datum(column: plain)
                    return concatenate(parts, count: plain.count)
                }
            }
            let plain = values.map { $0.isScalar ? $0 : Datum(column: $0.column.materialized()) }
            return shape.datum(concatenate(plain, count: shape.count))
        }.folded(inputs: arguments)
    }

    private static func concatenate(_ parts: [Datum], count: Int) -> Column {
        let readers = parts.map { ByteValues.Reader($0.column) }
        let scalar = parts.map(\.isScalar)
        let validity = BitWords.and(parts.map { $0.isScalar ? nil : $0.column.validity }, count: count)
        var estimated = 0
        for (k, part) in parts.enumerated() {
            if case .variableWidth(_, let data) = part.column.storage { estimated += scalar[k] ? data.byteCount * count : data.byteCount }
        }
        var writer = StringColumnWriter(count: count, estimatedBytes: estimated)
        for i in 0..<count {
            for k in readers.indices {
                let (p, n) = readers[k][scalar[k] ? 0 : i]
                writer.appendPart(p, n)
            }
            writer.endValue()
        }
        return writer.finish(.string, count: count, validity: validity)
    }

    // MARK: lower, upper

    static func changeCase(_ input: Kernel, upper: Bool) throws -> Kernel {
        try requireText([input], upper ? "upper" : "lower")
        return Kernel(type: input.type) { batch in
            Elementwise.map(try input.run(batch)) { plain in
                let reader = ByteValues.Reader(plain)
                var writer = StringColumnWriter(count: plain.count, estimatedBytes: dataSize(plain))
                for i in 0..<plain.count {
                    let (p, n) = reader[i]
                    if isASCII(p, n) {
                        writer.append(maxCount: n) { out in
                            for j in 0..<n {
                                let b = p[j]
                                out[j] = upper ? (b &- 97 < 26 ? b &- 32 : b) : (b &- 65 < 26 ? b &+ 32 : b)
                            }
                            return n
                        }
                    } else {
                        // Full Unicode case mapping (the length may change: "ß" uppercases to "SS").
                        var text = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                        text = upper ? text.uppercased() : text.lowercased()
                        text.withUTF8 { writer.append($0.baseAddress!, $0.count) }
                    }
                }
                return writer.finish(plain.type, count: plain.count, validity: plain.validity)
            }
        }.folded(inputs: [input])
    }

    @inline(__always)
    static func isASCII(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        var bits: UInt64 = 0
        while i &+ 8 <= n {
            bits |= UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            i &+= 8
        }
        while i < n {
            bits |= UInt64(p[i])
            i &+= 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    static func dataSize(_ column: Column) -> Int {
        if case .variableWidth(_, let data) = column.storage { return data.byteCount }
        return 0
    }

    // MARK: trim

    /// Removes spaces (U+0020 only, as Spark does) or the characters of `characters` from the
    /// start and/or end.
    static func trim(_ input: Kernel, characters: Kernel?, leading: Bool, trailing: Bool) throws -> Kernel {
        try requireText([input] + (characters.map { [$0] } ?? []), "trim")
        if let characters, !characters.isConstant {
            throw ExecutionError.unsupported("trim with characters that vary by row")
        }
        if characters?.isNullConstant == true {
            return Kernel(type: input.type) { batch in
                let shape = RowShape(try input.run(batch), rowCount: batch.rowCount)
                return shape.datum(.nulls(input.type, count: shape.count))
            }
        }
        let set = TrimSet(characters.flatMap { FunctionKernels.constantString($0) } ?? " ")
        return Kernel(type: input.type) { batch in
            Elementwise.map(try input.run(batch)) { plain in
                let reader = ByteValues.Reader(plain)
                var writer = StringColumnWriter(count: plain.count, estimatedBytes: dataSize(plain))
                for i in 0..<plain.count {
                    let (p, n) = reader[i]
                    var start = 0, end = n
                    if leading {
                        while start < end, let length = set.match(p + start, end - start) { start += length }
                    }
                    if trailing {
                        while end > start, let length = set.matchBefore(p + start, end - start) { end -= length }
                    }
                    writer.append(p + start, end - start)
                }
                return writer.finish(plain.type, count: plain.count, validity: plain.validity)
            }
        }.folded(inputs: [input])
    }

    /// The characters `trim` removes.
    struct TrimSet: Sendable {
        /// ASCII members as a 128-bit mask; other members as their UTF-8 bytes.
        let ascii: UInt128
        let others: [[UInt8]]

        init(_ characters: String) {
            var ascii: UInt128 = 0
            var others: [[UInt8]] = []
            for scalar in characters.unicodeScalars {
                if scalar.value < 128 { ascii |= 1 << UInt128(scalar.value) } else { others.append(Array(String(scalar).utf8)) }
            }
            self.ascii = ascii
            self.others = others
        }

        /// Length of the member character at the start of the `n` bytes at `p`, if it is one.
        @inline(__always)
        func match(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
            let b = p[0]
            if b < 128 { return (ascii >> UInt128(b)) & 1 != 0 ? 1 : nil }
            for other in others where other.count <= n {
                if other.withUnsafeBufferPointer({ ByteValues.compare($0.baseAddress!, other.count, p, other.count) == 0 }) {
                    return other.count
                }
            }
            return nil
        }

        /// Length of the member character that ends the `n` bytes at `p`, if it is one.
        @inline(__always)
        func matchBefore(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
            let b = p[n - 1]
            if b < 128 { return (ascii >> UInt128(b)) & 1 != 0 ? 1 : nil }
            for other in others where other.count <= n {
                if other.withUnsafeBufferPointer({ ByteValues.compare($0.baseAddress!, other.count, p + (n - other.count), other.count) == 0 }) {
                    return other.count
                }
            }
            return nil
        }
    }

    // MARK: substring

    /// `substring(s, pos[, len])` with Spark's rules (UTF8String.substringSQL): positions are
    /// 1-based, 0 acts as 1, a negative position counts from the end, and the range is clipped
    /// to the string.
    static func substring(_ input: Kernel, position: Kernel, length: Kernel?) throws -> Kernel {
        try requireText([input], "substring")
        let numbers = [position] + (length.map { [$0] } ?? [])
        for number in numbers where number.type != .int32 && !number.isNullConstant {
            throw ExecutionError.unsupported("substring position or length of type \(number.type)")
        }
        let allConstant = numbers.allSatisfy(\.isConstant)
        return Kernel(type: input.type) { batch in
            let s = try input.run(batch)
            let pos = try position.run(batch)
            let len = try length?.run(batch)
            if pos.isNullScalar || len?.isNullScalar == true {
                return RowShape(s, rowCount: batch.rowCount).datum(.nulls(input.type, count: RowShape(s, rowCount: batch.rowCount).count))
            }
            if allConstant {
                let p = pos.column.values(Int32.self)[0]
                let l = len.map { $0.column.values(Int32.self)[0] } ?? Int32.max
                return Elementwise.map(s) { plain in
                    substrings(plain, validity: plain.validity) { _ in (p, l) }
                }
            }
            let inputs = [s, pos] + (len.map { [$0] } ?? [])
            let shape = RowShape(inputs, rowCount: batch.rowCount)
            let plain = s.expanded(shape.count)
            let positions = pos.expanded(shape.count), lengths = len?.expanded(shape.count)
            let validity = BitWords.and([plain.validity, positions.validity, lengths?.validity], count: shape.count)
            let pp = positions.values(Int32.self)
            let pl = lengths?.values(Int32.self)
            let result = withExtendedLifetime((positions, lengths)) {
                substrings(plain, validity: validity) { i in (pp[i], pl?[i] ?? Int32.max) }
            }
            return shape.datum(result)
        }.folded(inputs: [input] + numbers)
    }

    @inline(__always)
    private static func substrings(_ plain: Column, validity: Buffer?, _ arguments: (Int) -> (Int32, Int32)) -> Column {
        let reader = ByteValues.Reader(plain)
        var writer = StringColumnWriter(count: plain.count, estimatedBytes: dataSize(plain))
        for i in 0..<plain.count {
            let (p, n) = reader[i]
            let (pos, len) = arguments(i)
            let range = characterRange(p, n, position: pos, length: len)
            writer.append(p + range.lowerBound, range.count)
        }
        return writer.finish(plain.type, count: plain.count, validity: validity)
    }

    /// The byte range of `substring(value, position, length)` in the `n` bytes at `p`.
    @inline(__always)
    static func characterRange(_ p: UnsafePointer<UInt8>, _ n: Int, position: Int32, length: Int32) -> Range<Int> {
        let ascii = isASCII(p, n)
        let characters = ascii ? n : characterCount(p, n)
        let pos = Int(position), len = Int(length)
        var start = pos > 0 ? pos - 1 : (pos < 0 ? characters + pos : 0)
        let end = min(start + len, Int(Int32.max))
        start = max(start, 0)
        guard start < end, start < characters else { return 0..<0 }
        let last = min(end, characters)
        if ascii { return start..<last }
        return byteOffset(p, n, character: start)..<byteOffset(p, n, character: last)
    }

    /// Number of characters (UTF-8 lead bytes).
    @inline(__always)
    static func characterCount(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var count = 0
        for i in 0..<n where p[i] & 0xC0 != 0x80 { count &+= 1 }
        return count
    }

    /// Byte offset of character `character` (or `n` past the end).
    @inline(__always)
    static func byteOffset(_ p: UnsafePointer<UInt8>, _ n: Int, character: Int) -> Int {
        var seen = -1
        for i in 0..<n where p[i] & 0xC0 != 0x80 {
            seen &+= 1
            if seen == character { return i }
        }
        return n
    }

    // MARK: length

    static func length(_ input: Kernel) throws -> Kernel {
        try requireText([input], "length")
        return Kernel(type: .int32) { batch in
            Elementwise.map(try input.run(batch)) { plain in
                let reader = ByteValues.Reader(plain)
                let (values, out) = OutputBuffer.allocate(plain.count, of: Int32.self)
                for i in 0..<plain.count {
                    let (p, n) = reader[i]
                    out[i] = Int32(truncatingIfNeeded: characterCount(p, n))
                }
                return .fixed(.int32, count: plain.count, values: values, validity: plain.validity)
            }
        }.folded(inputs: [input])
    }
}
