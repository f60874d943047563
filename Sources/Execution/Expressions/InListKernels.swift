import Columnar
import Query

/// `e IN (v1, v2, …)`: true when `e` equals an item; otherwise NULL if an item is NULL, else
/// false; NULL for a NULL `e`.
///
/// Constant lists become a set built once (a short list is a few comparisons in the loop, a
/// long one a hash set), tested once per dictionary entry for dictionary-encoded input. A list
/// with non-constant items is the equivalent chain `e = v1 OR e = v2 …`.
enum InListKernels {
    /// Items up to this many are compared one by one rather than hashed.
    static let linearLimit = 8

    static func compile(_ e: Kernel, _ items: [Kernel]) throws -> Kernel {
        guard items.allSatisfy({ $0.type == e.type || ($0.type.isText && e.type.isText) || $0.isNullConstant }) else {
            throw ExecutionError.unsupported("IN list items of a type other than \(e.type)")
        }
        guard items.allSatisfy(\.isConstant), !items.isEmpty else {
            var result: Kernel? = nil
            for item in items {
                let equal = try ComparisonKernels.compile(.equal, e, item)
                result = result.map { LogicalKernels.or($0, equal) } ?? equal
            }
            return result ?? Kernel(constant: Datum(scalar: Column(booleans: [false])))
        }
        let present = items.filter { !$0.isNullConstant }.map { $0.constantColumn! }
        let hasNull = present.count < items.count
        let test: @Sendable (Column) -> Buffer
        if let ordered = try ValueTypes.visitOrdered(e.type, OrderedMembership(items: present)) {
            test = ordered
        } else if e.type == .boolean {
            let values = Set(present.map { $0.booleanValue(at: 0) })
            test = { plain in
                let words = BooleanWords(Datum(column: plain), count: plain.count)
                return BitWords.makeWords(count: plain.count) { w in
                    (values.contains(true) ? words[w] : 0) | (values.contains(false) ? ~words[w] : 0)
                }
            }
        } else if e.type.layout == .variableWidth {
            test = bytesMembership(present)
        } else {
            throw ExecutionError.unsupported("IN on \(e.type)")
        }
        return Kernel(type: .boolean) { batch in
            Elementwise.map(try e.run(batch)) { plain in
                let matched = test(plain)
                // No match and a NULL item: NULL.
                let validity = hasNull ? BitWords.and(plain.validity, matched, count: plain.count) : plain.validity
                return .booleans(count: plain.count, bits: matched, validity: validity)
            }
        }.folded(inputs: [e])
    }

    private struct OrderedMembership: OrderedTypeVisitor {
        let items: [Column]

        func visit<T: OrderedValue>(_: T.Type) -> @Sendable (Column) -> Buffer {
            let values = items.map { $0.values(T.self)[0] }
            if values.count <= linearLimit {
                // Pad to a fixed count so the loop is unrolled; repeats do not change the result.
                let v = (0..<linearLimit).map { values.isEmpty ? values.first : values[min($0, values.count - 1)] }
                guard let first = v[0] else { return { plain in BitWords.filled(false, count: plain.count) } }
                let v1 = v[1]!, v2 = v[2]!, v3 = v[3]!, v4 = v[4]!, v5 = v[5]!, v6 = v[6]!, v7 = v[7]!
                return { plain in
                    Loops.unaryBits(plain) { (x: T) in
                        T.isEqual(x, first) || T.isEqual(x, v1) || T.isEqual(x, v2) || T.isEqual(x, v3)
                            || T.isEqual(x, v4) || T.isEqual(x, v5) || T.isEqual(x, v6) || T.isEqual(x, v7)
                    }
                }
            }
            let keys = Set(values.map(\.key))
            return { plain in Loops.unaryBits(plain) { (x: T) in keys.contains(x.key) } }
        }
    }

    private static func bytesMembership(_ items: [Column]) -> @Sendable (Column) -> Buffer {
        let set = ByteStringSet(items.map { item in item.withBytes(at: 0) { Array($0) } })
        return { plain in
            let reader = ByteValues.Reader(plain)
            return set.withMembership { contains in
                BitWords.make(count: plain.count) { i in
                    let (p, n) = reader[i]
                    return contains(p, n)
                }
            }
        }
    }
}
