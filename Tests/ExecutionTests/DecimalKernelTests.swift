import Columnar
import Query
import Testing
@testable import Execution

/// One decimal operation: operands as unscaled digits with their types, the result type Spark
/// gives, and the result text (nil for NULL).
struct DecimalCase: Sendable, CustomStringConvertible {
    let op: BinaryOperator
    let a: String, p1: Int, s1: Int
    let b: String, p2: Int, s2: Int
    let p: Int, s: Int
    let expected: String?

    init(_ op: BinaryOperator, _ a: String, _ p1: Int, _ s1: Int, _ b: String, _ p2: Int, _ s2: Int, _ p: Int, _ s: Int, _ expected: String?) {
        (self.op, self.a, self.p1, self.s1, self.b, self.p2, self.s2, self.p, self.s, self.expected) = (op, a, p1, s1, b, p2, s2, p, s, expected)
    }

    var description: String { "\(a)e-\(s1) \(op.rawValue) \(b)e-\(s2)" }
}

/// Decimal arithmetic against java.math.BigDecimal doing what Spark 3.5's Decimal does
/// (a program run with `java Dec.java` on OpenJDK 17): `a.add(b)`, `a.multiply(b, MathContext(38, HALF_UP))`,
/// `a.divide(b, 38, HALF_UP)`, `a.remainder(b, MathContext(38, HALF_UP))`, then
/// `setScale(s, HALF_UP)` and NULL when the precision exceeds p; result types by Spark's
/// DecimalPrecision rules (allowPrecisionLoss) computed in the same program.
struct DecimalKernelTests {
    typealias S = ExpressionTestSupport

    static let cases: [DecimalCase] = [
        DecimalCase(.add, "1234567", 15, 2, "1", 15, 2, 16, 2, "12345.68"),
        DecimalCase(.add, "-99999", 15, 2, "99999", 15, 2, 16, 2, "0.00"),
        DecimalCase(.add, "999999999999999", 15, 2, "999999999999999", 15, 2, 16, 2, "19999999999999.98"),
        DecimalCase(.subtract, "1", 1, 0, "5", 15, 2, 16, 2, "0.95"),
        DecimalCase(.add, "1", 1, 0, "8", 15, 2, 16, 2, "1.08"),
        DecimalCase(.subtract, "123456", 6, 3, "1", 15, 2, 17, 3, "123.446"),
        DecimalCase(.multiply, "1234567", 15, 2, "6", 15, 2, 31, 4, "740.7402"),
        DecimalCase(.multiply, "-5", 15, 2, "5", 15, 2, 31, 4, "-0.0025"),
        DecimalCase(.multiply, "999999999999999", 15, 2, "999999999999999", 15, 2, 31, 4, "99999999999999800000000000.0001"),
        DecimalCase(.multiply, "12345678", 32, 4, "105", 16, 2, 38, 6, "1296.296190"),
        DecimalCase(.multiply, "99999999999999999999999999999999", 32, 4, "9999999999999999", 16, 2, 38, 6, nil),
        DecimalCase(.multiply, "123456789012345678901234", 24, 4, "-35", 20, 1, 38, 5, "-43209876154320987615.43190"),
        DecimalCase(.multiply, "10000000005", 38, 10, "10000000005", 38, 10, 38, 6, "1.000000"),
        DecimalCase(.multiply, "5000", 38, 10, "10000000000", 38, 10, 38, 6, "0.000001"),
        DecimalCase(.multiply, "-5000", 38, 10, "10000000000", 38, 10, 38, 6, "-0.000001"),
        DecimalCase(.multiply, "12345678901234567890123456789", 38, 10, "12345678901234567891", 38, 10, 38, 6, "1524157875323883675157750366.514251"),
        DecimalCase(.multiply, "1234567890123456789012345678901234567", 38, 10, "987654321098765", 38, 10, 38, 6, "12193263113702174187928717418792.871733"),
        DecimalCase(.divide, "100", 15, 2, "300", 15, 2, 33, 18, "0.333333333333333333"),
        DecimalCase(.divide, "200", 15, 2, "300", 15, 2, 33, 18, "0.666666666666666667"),
        DecimalCase(.divide, "100", 15, 2, "0", 15, 2, 33, 18, nil),
        DecimalCase(.divide, "-700", 15, 2, "200", 15, 2, 33, 18, "-3.500000000000000000"),
        DecimalCase(.divide, "10000000000", 38, 10, "30000000000", 38, 10, 38, 6, "0.333333"),
        DecimalCase(.divide, "-20000000000", 38, 10, "30000000000", 38, 10, 38, 6, "-0.666667"),
        DecimalCase(.divide, "25000000000000000000000000000000", 38, 0, "50000000000000000000000000000000000001", 38, 0, 38, 6, "0.000001"),
        DecimalCase(.divide, "99999999999999999999999999999999999999", 38, 0, "5", 2, 1, 38, 6, nil),
        DecimalCase(.divide, "12345678901234567890123456789012345678", 38, 8, "7", 1, 0, 38, 8, "17636684144620811271604938270.01763668"),
        DecimalCase(.divide, "12345", 10, 3, "7", 38, 37, 38, 6, nil),
        DecimalCase(.divide, "5", 10, 0, "3", 10, 0, 21, 11, "1.66666666667"),
        DecimalCase(.divide, "1", 1, 0, "21000000000000000000000000000000000000", 38, 0, 38, 37, "0.0000000000000000000000000000000000001"),
        DecimalCase(.divide, "-1", 1, 0, "21000000000000000000000000000000000000", 38, 0, 38, 37, "-0.0000000000000000000000000000000000001"),
        DecimalCase(.divide, "1", 1, 0, "23000000000000000000000000000000000000", 38, 0, 38, 37, "0.0000000000000000000000000000000000000"),
        DecimalCase(.modulo, "1050", 15, 2, "3", 10, 0, 12, 2, "1.50"),
        DecimalCase(.modulo, "-1050", 15, 2, "3", 10, 0, 12, 2, "-1.50"),
        DecimalCase(.modulo, "500", 15, 2, "0", 10, 0, 12, 2, nil),
        DecimalCase(.modulo, "12345678901234567890123456789", 29, 3, "7", 25, 25, 25, 25, "0.0000000000000000000000000"),
        DecimalCase(.add, "15000000000", 38, 10, "1", 38, 30, 38, 9, "1.500000000"),
        DecimalCase(.add, "12345678901234567890123456780123456789", 38, 10, "123456789012345678901234567890", 38, 30, 38, 9, "1234567890123456789012345678.135802468"),
        DecimalCase(.subtract, "5", 38, 10, "0", 38, 30, 38, 9, "0.000000001"),
        DecimalCase(.subtract, "-5", 38, 10, "0", 38, 30, 38, 9, "-0.000000001"),
        DecimalCase(.add, "99999999999999999999999999999999999999", 38, 10, "0", 38, 30, 38, 9, "10000000000000000000000000000.000000000"),
        // Products by the 64-bit paths: operands of at most 18 digits; operands of a checked
        // product that fit 64 bits (±2^63 at the edge) or just do not; results at 10^38.
        DecimalCase(.multiply, "999999999999999999", 18, 0, "999999999999999999", 18, 0, 37, 0, "999999999999999998000000000000000001"),
        DecimalCase(.multiply, "-999999999999999999", 18, 2, "999999999999999999", 18, 2, 37, 4, "-99999999999999999800000000000000.0001"),
        DecimalCase(.multiply, "-999999999999999999", 18, 9, "-1", 1, 0, 20, 9, "999999999.999999999"),
        DecimalCase(.multiply, "123456789012345678", 18, 3, "-987654321098765432", 18, 5, 37, 8, "-1219326311370217943225118122.21002896"),
        DecimalCase(.multiply, "0", 18, 3, "-987654321098765432", 18, 5, 37, 8, "0.00000000"),
        DecimalCase(.multiply, "9223372036854775807", 32, 4, "9999999999999999", 16, 2, 38, 6, "92233720368547748846627963145.224193"),
        DecimalCase(.multiply, "-9223372036854775808", 32, 4, "-9999999999999999", 16, 2, 38, 6, "92233720368547748856627963145.224192"),
        DecimalCase(.multiply, "9223372036854775808", 32, 4, "9999999999999999", 16, 2, 38, 6, "92233720368547748856627963145.224192"),
        DecimalCase(.multiply, "-9223372036854775809", 32, 4, "3", 16, 2, 38, 6, "-27670116110564.327427"),
        DecimalCase(.multiply, "99999999999999999999999999999999", 32, 4, "-100", 16, 2, 38, 6, "-9999999999999999999999999999.999900"),
        DecimalCase(.multiply, "-9223372036854775808", 38, 0, "-9223372036854775808", 38, 0, 38, 0, "85070591730234615865843651857942052864"),
        DecimalCase(.multiply, "9223372036854775808", 38, 0, "9223372036854775808", 38, 0, 38, 0, "85070591730234615865843651857942052864"),
        DecimalCase(.multiply, "10000000000000000000", 38, 0, "10000000000000000000", 38, 0, 38, 0, nil),
        DecimalCase(.multiply, "-9999999999999999999", 38, 0, "9999999999999999999", 38, 0, 38, 0, "-99999999999999999980000000000000000001"),
        DecimalCase(.multiply, "9223372036854775807", 38, 10, "-9223372036854775807", 38, 10, 38, 6, "-850705917302346158.473969"),
        DecimalCase(.multiply, "-9223372036854775808", 38, 10, "5000000000", 38, 10, 38, 6, "-461168601.842739"),
    ]

    @Test(arguments: cases)
    func columnOperations(_ c: DecimalCase) throws {
        let columns = [("a", S.decimals([Int128(c.a)!, nil], precision: c.p1, scale: c.s1)),
                       ("b", S.decimals([Int128(c.b)!, Int128(c.b)!], precision: c.p2, scale: c.s2))]
        let result = try S.evaluate(.binary(.col("a"), c.op, .col("b")), columns)
        #expect(result.type == .decimal(precision: c.p, scale: c.s))
        #expect(S.decimalTexts(result) == [c.expected, nil])
    }

    /// The same with the right operand a constant, and with both constant (folded).
    @Test(arguments: cases)
    func constantOperands(_ c: DecimalCase) throws {
        let columns = [("a", S.decimals([Int128(c.a)!], precision: c.p1, scale: c.s1))]
        let withConstant = try S.evaluate(.binary(.col("a"), c.op, .decimal(Int128(c.b)!, c.p2, c.s2)), columns)
        #expect(S.decimalTexts(withConstant) == [c.expected])
        let folded = try S.constant(.binary(.decimal(Int128(c.a)!, c.p1, c.s1), c.op, .decimal(Int128(c.b)!, c.p2, c.s2)))
        #expect(S.decimalTexts(folded) == [c.expected])
    }

    /// The constant on the left (rescaled once, before the loop).
    @Test(arguments: cases)
    func constantLeftOperand(_ c: DecimalCase) throws {
        let columns = [("b", S.decimals([Int128(c.b)!, nil], precision: c.p2, scale: c.s2))]
        let result = try S.evaluate(.binary(.decimal(Int128(c.a)!, c.p1, c.s1), c.op, .col("b")), columns)
        #expect(S.decimalTexts(result) == [c.expected, nil])
    }

    /// TPC-H Q1's expressions over many rows: the exact paths agree with BigDecimal.
    /// java (OpenJDK 17): sum over i < 1000 of BigDecimal price * (1 - discount) * (1 + tax)
    /// (MathContext(38) products, setScale 4 then 6 HALF_UP) for price 901.00 + i, discount
    /// 0.0(i % 11), tax 0.0(i % 9) = 1383671.494000
    @Test func pricingSummaryOverManyRows() throws {
        let n = 1000
        let columns = [
            ("l_extendedprice", S.decimals((0..<n).map { Int128(90_100 + $0 * 100) }, precision: 15, scale: 2)),
            ("l_discount", S.decimals((0..<n).map { Int128($0 % 11) }, precision: 15, scale: 2)),
            ("l_tax", S.decimals((0..<n).map { Int128($0 % 9) }, precision: 15, scale: 2)),
        ]
        let charge = Expr.col("l_extendedprice") * (.decimal(1, 1, 0) - .col("l_discount")) * (.decimal(1, 1, 0) + .col("l_tax"))
        let result = try S.evaluate(charge, columns)
        #expect(result.type == .decimal(precision: 38, scale: 6))
        #expect(S.unscaled(result).reduce(Int128(0)) { $0 + $1! } == Int128(1_383_671_494_000))
    }

    @Test func negationAndNulls() throws {
        let columns = [("a", S.decimals([150, -3, nil], precision: 5, scale: 2))]
        #expect(S.decimalTexts(try S.evaluate(.negate(.col("a")), columns)) == ["-1.50", "0.03", nil])
        #expect(S.decimalTexts(try S.evaluate(.col("a") + .null(.decimal(precision: 5, scale: 2)), columns)) == [nil, nil, nil])
    }
}
