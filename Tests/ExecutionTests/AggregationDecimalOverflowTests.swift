import Columnar
import Query
import Testing
@testable import Execution

/// Sums of wide decimals, which the accumulator adds unchecked per batch and checks after: the
/// result must still become NULL exactly when the sum leaves DECIMAL(38, 0) (Spark, non-ANSI).
struct AggregationDecimalOverflowTests {
    static let nines = Int128(10).raisedTo(32) - 1   // the largest DECIMAL(32,0)

    func sum(rows: Int, groups: Int) throws -> [Int128?] {
        let type = DataType.decimal(precision: 32, scale: 0)
        let spec = try AggregateSpec(function: .sum, argumentType: type)
        let aggregator = try GroupedAggregator(keyTypes: groups > 1 ? [.int32] : [], aggregates: [spec], mode: .complete)
        var done = 0
        while done < rows {
            let n = min(65_536, rows - done)
            let values = Column(type, [Int128?](repeating: Self.nines, count: n))
            let keys = groups > 1 ? [Column(.int32, (0..<n).map { Int32?(Int32(($0 + done) % groups)) })] : []
            try aggregator.update(keys: keys, arguments: [[values]], rowCount: n)
            done += n
        }
        let batch = try #require(aggregator.finish().first)
        let result = batch.columns.last!
        return (0..<batch.rowCount).map { result.isNull($0) ? nil : result.fixedWidthValue(at: $0, as: Int128.self) }
    }

    /// 1,000,000 × (10^32 − 1) = 10^38 − 10^6 fits 38 digits; one more gives
    /// 10^38 + 10^32 − 10^6 − 1, which does not.
    @Test func globalSumBecomesNullPastThirtyEightDigits() throws {
        #expect(try sum(rows: 1_000_000, groups: 1) == [Int128(10).raisedTo(38) - 1_000_000])
        #expect(try sum(rows: 1_000_001, groups: 1) == [nil])
    }

    @Test func groupedSumsOverflowIndependently() throws {
        // Two groups of 1,000,000 and 1,000,001 rows (rows alternate between them).
        let sums = try sum(rows: 2_000_001, groups: 2)
        #expect(sums.count == 2)
        #expect(sums.contains(nil))
        #expect(sums.contains(Int128(10).raisedTo(38) - 1_000_000))
    }
}

extension Int128 {
    func raisedTo(_ exponent: Int) -> Int128 { (0..<exponent).reduce(1) { result, _ in result * self } }
}
