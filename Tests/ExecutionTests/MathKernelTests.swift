import Columnar
import Query
import Testing
@testable import Execution

/// abs, round, floor, ceil. Expected values from the Java calls Spark makes (programs run
/// with `java File.java` on OpenJDK 17): round of a double is
/// `new BigDecimal(Double.toString(x)).setScale(d, HALF_UP).doubleValue()`, of a decimal
/// `setScale(d, HALF_UP)`; floor/ceil of a double is `(long) Math.floor(x)` (NaN 0,
/// saturating), of a decimal `setScale(0, FLOOR/CEILING)`.
struct MathKernelTests {
    typealias S = ExpressionTestSupport

    @Test(arguments: [
        (2.675, 2, 2.68), (2.5, 0, 3.0), (-2.5, 0, -3.0), (0.125, 2, 0.13), (1.005, 2, 1.01), (1234.5678, -2, 1200.0),
        (-0.0049, 2, 0.0), (1.0e20, 2, 1.0e20), (5.5e-8, 7, 1.0e-7), (0.285, 2, 0.29), (1.45, 1, 1.5), (123456789.125, 2, 123456789.13),
    ] as [(Double, Int32, Double)])
    func roundDoublesHalfUpOnTheirDecimalForm(value: Double, digits: Int32, expected: Double) throws {
        let columns = [("x", Column(.float64, [value, nil] as [Double?]))]
        let result = S.doubles(try S.evaluate(.call("round", .col("x"), .int32(digits)), columns))
        #expect(result == [expected, nil])
        #expect(result[0]?.sign == expected.sign)
    }

    @Test func roundSpecialValuesAndDefaults() throws {
        let columns = [("x", Column(.float64, [.nan, .infinity, 2.5, -0.5] as [Double?]))]
        let result = S.doubles(try S.evaluate(.call("round", .col("x")), columns))
        #expect(result[0]!.isNaN && result[1] == .infinity && result[2] == 3.0 && result[3] == -1.0)
        #expect(S.fixed(try S.evaluate(.call("round", .col("f"), .int32(1)), [("f", Column(.float32, [0.25, 1.45] as [Float?]))]), as: Float.self) == [0.3, 1.5])
    }

    // java: 1.235 → 1.24, -1.235 → -1.24 (scale 2); 12.345 → 10 (scale -1); 99.5 → 100 (scale 0).
    // Types per Spark's RoundBase: DECIMAL(p - s + 1 + min(s, d), min(s, d)), DECIMAL(max(p - s + 1, 1 - d), 0) for d < 0.
    @Test func roundDecimalsChangesTheType() throws {
        let columns = [("x", S.decimals([1235, -1235, 12345, nil], precision: 5, scale: 3))]
        let two = try S.evaluate(.call("round", .col("x"), .int32(2)), columns)
        #expect(two.type == .decimal(precision: 5, scale: 2))
        #expect(S.decimalTexts(two) == ["1.24", "-1.24", "12.35", nil])
        let tens = try S.evaluate(.call("round", .col("x"), .int32(-1)), columns)
        #expect(tens.type == .decimal(precision: 3, scale: 0))
        #expect(S.decimalTexts(tens) == ["0", "0", "10", nil])
        let wide = try S.evaluate(.call("round", .col("x"), .int32(5)), columns)
        #expect(wide.type == .decimal(precision: 6, scale: 3))
        #expect(S.decimalTexts(wide) == ["1.235", "-1.235", "12.345", nil])
        let nines = try S.evaluate(.call("round", .col("y")), [("y", S.decimals([995], precision: 3, scale: 1))])
        #expect(S.decimalTexts(nines) == ["100"])
    }

    // java: BigDecimal(15 / -15 / 14 / -25).setScale(-1, HALF_UP) → 20, -20, 10, -30
    @Test func roundIntegers() throws {
        let columns = [("x", Column(.int32, [15, -15, 14, -25, nil] as [Int32?]))]
        #expect(S.ints(try S.evaluate(.call("round", .col("x"), .int32(-1)), columns)) == [20, -20, 10, -30, nil])
        #expect(S.ints(try S.evaluate(.call("round", .col("x"), .int32(2)), columns)) == [15, -15, 14, -25, nil])
        #expect(S.ints(try S.evaluate(.call("round", .col("x"), .int32(-12)), columns)) == [0, 0, 0, 0, nil])
        #expect(throws: ExecutionError.self) { try S.evaluate(.call("round", .col("x"), .int32(-1)), [("x", Column(.int32, [Int32.max] as [Int32?]))]) }
    }

    // duckdb: floor/ceil of -1.5, 1.5, 2.0 → -2/-1, 1/2, 2/2; java: (long) Math.floor(NaN) = 0,
    // (long) Math.ceil(1e30) = 9223372036854775807
    @Test func floorAndCeil() throws {
        let columns = [("x", Column(.float64, [-1.5, 1.5, 2.0, .nan, 1e30, -1e30, nil] as [Double?]))]
        let floor = try S.evaluate(.call("floor", .col("x")), columns)
        #expect(floor.type == .int64)
        #expect(S.longs(floor) == [-2, 1, 2, 0, Int64.max, Int64.min, nil])
        #expect(S.longs(try S.evaluate(.call("ceiling", .col("x")), columns)) == [-1, 2, 2, 0, Int64.max, Int64.min, nil])
        // java: -1.25 FLOOR → -2, CEILING → -1
        let decimals = [("d", S.decimals([-125, 125, 300, nil], precision: 5, scale: 2))]
        let decimalFloor = try S.evaluate(.call("floor", .col("d")), decimals)
        #expect(decimalFloor.type == .decimal(precision: 4, scale: 0))
        #expect(S.decimalTexts(decimalFloor) == ["-2", "1", "3", nil])
        #expect(S.decimalTexts(try S.evaluate(.call("ceil", .col("d")), decimals)) == ["-1", "2", "3", nil])
        #expect(S.longs(try S.evaluate(.call("floor", .col("i")), [("i", Column(.int64, [7] as [Int64?]))])) == [7])
    }

    @Test func absolute() throws {
        #expect(S.ints(try S.evaluate(.call("abs", .col("x")), [("x", Column(.int32, [-3, 4, nil] as [Int32?]))])) == [3, 4, nil])
        let doubles = S.doubles(try S.evaluate(.call("abs", .col("x")), [("x", Column(.float64, [-0.0, -2.5] as [Double?]))]))
        #expect(doubles == [0.0, 2.5] && doubles[0]?.sign == .plus)
        #expect(S.decimalTexts(try S.evaluate(.call("abs", .col("x")), [("x", S.decimals([-150, 2], precision: 5, scale: 2))])) == ["1.50", "0.02"])
    }
}
