import Columnar
import Testing
@testable import Execution

struct HashPartitionerTests {
    static func batch(_ columns: [Column]) -> RecordBatch {
        RecordBatch(schema: Schema(columns.enumerated().map { Field("c\($0.offset)", $0.element.type) }), columns: columns)
    }

    /// The partition of each input row, read back through an index column.
    static func assignment(_ keys: [Column], into count: Int) -> [Int] {
        let rows = keys[0].count
        let index = Column(.int32, (0..<rows).map { Int32($0) as Int32? })
        let parts = HashPartitioner.partition(batch(keys + [index]), keyColumns: Array(keys.indices), into: count)
        var partitionOf = [Int](repeating: -1, count: rows)
        for (p, part) in parts.enumerated() {
            var previous: Int32 = -1
            for row in 0..<part.rowCount {
                let original = part.columns[keys.count].fixedWidthValue(at: row, as: Int32.self)
                #expect(original > previous, "rows keep their order within a partition")
                previous = original
                partitionOf[Int(original)] = p
            }
        }
        #expect(!partitionOf.contains(-1), "every row lands in a partition")
        return partitionOf
    }

    static let strings = (0..<5000).map { $0 % 97 == 0 ? nil : "value \($0 % 1234)" }

    @Test func dictionaryAndPlainColumnsPartitionAlike() {
        let plain = Column(strings: Self.strings)
        let encoded = dictionaryEncoded(plain)
        #expect(Self.assignment([plain], into: 7) == Self.assignment([encoded], into: 7))
        let numbers = Column(.int64, (0..<5000).map { $0 % 89 == 0 ? nil : Int64($0 % 321) })
        #expect(Self.assignment([numbers, plain], into: 5) == Self.assignment([dictionaryEncoded(numbers), encoded], into: 5))
    }

    @Test func equalKeysGoToOnePartition() {
        let keys = Column(strings: Self.strings)
        let partitionOf = Self.assignment([keys], into: 8)
        var seen: [String: Int] = [:]
        for (row, value) in Self.strings.enumerated() {
            let key = value ?? "<NULL>"
            if let p = seen[key] { #expect(p == partitionOf[row], "\(key)") } else { seen[key] = partitionOf[row] }
        }
    }

    @Test func integersOfDifferentWidthsAndFloatZerosHashAlike() {
        let values: [Int32?] = [0, 1, -1, 1000, nil, Int32.max, Int32.min]
        #expect(Self.assignment([Column(.int32, values)], into: 16) == Self.assignment([Column(.int64, values.map { $0.map(Int64.init) })], into: 16))
        let doubles = Column(.float64, [0.0, -0.0, .nan, -.nan, Double(bitPattern: 0x7FF8_0000_0000_0001)] as [Double?])
        let partitionOf = Self.assignment([doubles], into: 64)
        #expect(partitionOf[0] == partitionOf[1])
        #expect(partitionOf[2] == partitionOf[3] && partitionOf[3] == partitionOf[4])
        let floats = Column(.float32, [1.5, -0.0, nil] as [Float?])
        #expect(Self.assignment([floats], into: 64) == Self.assignment([Column(.float64, [1.5, 0.0, nil] as [Double?])], into: 64))
    }

    @Test func rowsSpreadEvenly() {
        let rows = 100_000
        for keys in [[Column(.int64, (0..<rows).map { Int64($0) as Int64? })],
                     [Column(strings: (0..<rows).map { "customer#\($0)" })],
                     [Column(.int32, (0..<rows).map { Int32($0 / 1000) as Int32? }), Column(.int32, (0..<rows).map { Int32($0 % 1000) as Int32? })]] {
            var sizes = [Int](repeating: 0, count: 8)
            for p in Self.assignment(keys, into: 8) { sizes[p] += 1 }
            #expect(sizes.allSatisfy { abs($0 - rows / 8) < rows / 80 }, "\(sizes)")
        }
    }

    @Test func onePartitionIsTheBatchAndDictionariesStayEncoded() {
        let batch = Self.batch([dictionaryEncoded(Column(strings: Self.strings))])
        let one = HashPartitioner.partition(batch, keyColumns: [0], into: 1)
        #expect(one.count == 1 && one[0].rowCount == batch.rowCount)
        for part in HashPartitioner.partition(batch, keyColumns: [0], into: 3) {
            guard case .dictionary = part.columns[0].storage else {
                Issue.record("partition lost the dictionary encoding")
                continue
            }
            #expect(renderedRows([part]).allSatisfy { row in Self.strings.contains(row[0]) })
        }
    }

    /// Each row goes to the partition its hash picks, for few partitions and many.
    @Test(arguments: [2, 8, 9, 200])
    func eachRowGoesToThePartitionOfItsHash(count: Int) {
        let values: [Int64?] = (0..<3000).map { (row: Int) -> Int64? in row % 11 == 0 ? nil : Int64(row * 7919 % 1000) }
        let keys = [Column(.int64, values)]
        let hashes = HashPartitioner.rowHashes(keys, rowCount: 3000)
        #expect(Self.assignment(keys, into: count) == hashes.map { HashPartitioner.partitionIndex($0, count: count) })
    }

    @Test func emptyBatchesGiveEmptyPartitions() {
        let parts = HashPartitioner.partition(Self.batch([Column(strings: [])]), keyColumns: [0], into: 4)
        #expect(parts.map(\.rowCount) == [0, 0, 0, 0])
    }

    /// Every column kind comes out of the split with the rows of the original, in order (plain
    /// fixed-width columns of each width, dictionary indices, NULLs, booleans, strings), in
    /// buffers of their own size, for batches whose row count leaves the counting lanes uneven.
    @Test(arguments: [3, 16, 200])
    func everyColumnKindKeepsItsRows(count: Int) {
        let rows = 10_003  // not a multiple of the four counting lanes
        let int64 = Column(.int64, (0..<rows).map { Int64($0 % 5 < 2 ? 4242 : $0 * 35761 % 100_000) as Int64? })
        let int8 = Column(.int8, (0..<rows).map { Int8(truncatingIfNeeded: $0) as Int8? })
        let int16 = Column(.int16, (0..<rows).map { Int16(truncatingIfNeeded: $0 * 3) as Int16? })
        let int32 = Column(.int32, (0..<rows).map { Int32($0) as Int32? })
        let decimal = Column(.decimal(precision: 30, scale: 2), (0..<rows).map { UInt128($0) * 1_000_000_007 as UInt128? })
        let nullable = Column(.int64, (0..<rows).map { $0 % 7 == 0 ? nil : Int64(-$0) as Int64? })
        let booleans = Column(booleans: (0..<rows).map { $0 % 3 == 0 ? nil : $0 % 2 == 0 })
        let strings = Column(strings: (0..<rows).map { $0 % 13 == 0 ? nil : "s\($0 % 977)" })
        let encoded = dictionaryEncoded(Column(strings: (0..<rows).map { "d\($0 % 50)" }))
        let columns = [int64, int8, int16, int32, decimal, nullable, booleans, strings, encoded]
        let input = Self.batch(columns)
        let hashes = HashPartitioner.rowHashes([int64], rowCount: rows)
        let partitionOf = hashes.map { HashPartitioner.partitionIndex($0, count: count) }
        let parts = HashPartitioner.partition(input, keyColumns: [0], into: count)
        #expect(parts.map(\.rowCount).reduce(0, +) == rows)
        let expected = renderedRows([input])
        for (p, part) in parts.enumerated() {
            let wanted = (0..<rows).filter { partitionOf[$0] == p }.map { expected[$0] }
            #expect(renderedRows([part]) == wanted, "partition \(p)")
            for column in part.columns {
                switch column.storage {
                case .fixedWidth(let values):
                    #expect(values.byteCount == column.count * column.type.byteWidth!)
                case .dictionary(let indices, _):
                    #expect(indices.byteCount == column.count * 4)
                default:
                    break
                }
            }
        }
    }
}
