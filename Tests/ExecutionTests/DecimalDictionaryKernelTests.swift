import Columnar
import Query
import Testing
@testable import Execution

/// Decimal arithmetic on dictionary-encoded operands (how Parquet delivers low-cardinality
/// columns such as TPC-H's l_discount): read through the indices, or computed once per entry
/// against a constant. Results must equal those of the same operands decoded, which take the
/// plain loops (checked against BigDecimal in `DecimalKernelTests`), and NULL rows may hold any
/// index at all.
struct DecimalDictionaryKernelTests {
    typealias S = ExpressionTestSupport

    /// A dictionary-encoded DECIMAL column: `indices` into `entries`, NULL where nil (those rows
    /// get an index far out of range, or negative, as nothing promises what NULL rows hold).
    static func encoded(_ entries: [Int128], _ indices: [Int32?], precision: Int = 15, scale: Int = 2) -> Column {
        let type = DataType.decimal(precision: precision, scale: scale)
        let raw = indices.enumerated().map { i, index in index ?? (i % 2 == 0 ? 1_000_000 : -7) }
        let validity = indices.contains(nil) ? Bitmap.buffer(from: indices.map { $0 != nil }, count: indices.count) : nil
        return Column(type: type, count: indices.count, validity: validity,
                      storage: .dictionary(indices: Buffer(copying: raw), dictionary: Column(type, entries.map { Optional($0) })))
    }

    static func isDictionary(_ column: Column) -> Bool {
        if case .dictionary = column.storage { return true }
        return false
    }

    /// `expr` over the columns as given and over the same columns decoded: the same values.
    static func agreesWithDecoded(_ expr: Expr, _ columns: [(String, Column)]) throws -> Column {
        let result = try S.evaluate(expr, columns)
        let decoded = try S.evaluate(expr, columns.map { ($0.0, $0.1.materialized()) })
        #expect(result.type == decoded.type)
        #expect(S.unscaled(result) == S.unscaled(decoded), "\(expr)")
        return result
    }

    /// Q1's `1 - l_discount` and `1 + l_tax`: computed on the dictionary, and still encoded.
    @Test func constantAgainstDictionaryStaysEncoded() throws {
        let discount = Self.encoded([0, 5, 10, 7], [0, 1, 2, nil, 1, 3, nil, 0])
        let columns = [("d", discount)]
        let oneMinus = try Self.agreesWithDecoded(.decimal(1, 1, 0) - .col("d"), columns)
        #expect(Self.isDictionary(oneMinus))
        #expect(oneMinus.type == .decimal(precision: 16, scale: 2))
        #expect(S.decimalTexts(oneMinus) == ["1.00", "0.95", "0.90", nil, "0.95", "0.93", nil, "1.00"])
        #expect(oneMinus.nullCount == 2)
        let plusOne = try Self.agreesWithDecoded(.col("d") + .decimal(1, 1, 0), columns)
        #expect(Self.isDictionary(plusOne))
        #expect(S.decimalTexts(plusOne) == ["1.00", "1.05", "1.10", nil, "1.05", "1.07", nil, "1.00"])
        let scaled = try Self.agreesWithDecoded(.col("d") * .decimal(-3, 1, 0), columns)
        #expect(S.decimalTexts(scaled) == ["0.00", "-0.15", "-0.30", nil, "-0.15", "-0.21", nil, "0.00"])
    }

    /// An entry whose result is NULL (division by zero, overflow) cannot stay in the
    /// dictionary: the rows are decoded with their validity.
    @Test func entriesThatBecomeNull() throws {
        let columns = [("d", Self.encoded([0, 5, -10], [1, 0, nil, 2, 0, 1]))]
        let quotient = try Self.agreesWithDecoded(.decimal(100, 3, 2) / .col("d"), columns)
        #expect(quotient.type == .decimal(precision: 21, scale: 18))
        #expect(S.decimalTexts(quotient) == ["20.000000000000000000", nil, nil, "-10.000000000000000000", nil, "20.000000000000000000"])
        let big = [("d", Self.encoded([Int128(10).power(37), 1, -Int128(10).power(36)], [0, 1, nil, 2], precision: 38, scale: 0))]
        // DECIMAL(38,0) * DECIMAL(3,0) is DECIMAL(38,0): neither 10^37 * 100 nor -10^36 * 100 fits.
        let product = try Self.agreesWithDecoded(.col("d") * .decimal(100, 3, 0), big)
        #expect(S.unscaled(product) == [nil, 100, nil, nil])
    }

    /// Every operation with a dictionary on either side, on both sides, and against plain
    /// columns, constants and NULL rows of all kinds.
    @Test(arguments: [BinaryOperator.add, .subtract, .multiply, .divide, .modulo])
    func dictionaryOperands(_ op: BinaryOperator) throws {
        let n = 300
        let priceValues: [Int128?] = (0..<n).map { i in
            if i % 17 == 3 { return nil }
            let value = Int128(90_100 + i * 137)
            return i % 5 == 0 ? -value : value
        }
        let prices = S.decimals(priceValues, precision: 15, scale: 2)
        let discountIndices: [Int32?] = (0..<n).map { (i: Int) -> Int32? in i % 13 == 4 ? nil : Int32(i % 11) }
        let discount = Self.encoded((0..<11).map { Int128($0) }, discountIndices)
        let taxIndices: [Int32?] = (0..<n).map { (i: Int) -> Int32? in i % 7 == 1 ? nil : Int32(i * 5 % 6) }
        let tax = Self.encoded([0, 2, 4, 6, 8, -3], taxIndices, precision: 3, scale: 2)
        let wideIndices: [Int32?] = (0..<n).map { (i: Int) -> Int32? in i % 11 == 2 ? nil : Int32(i % 4) }
        let wideEntries: [Int128] = [Int128(10).power(30) + 12_345, -Int128(10).power(25), 1, 0]
        let wide = Self.encoded(wideEntries, wideIndices, precision: 38, scale: 6)
        let columns = [("price", prices), ("discount", discount), ("tax", tax), ("wide", wide)]
        let pairs: [(Expr, Expr)] = [
            (.col("price"), .col("discount")), (.col("discount"), .col("price")),
            (.col("discount"), .col("tax")), (.col("tax"), .col("tax")),
            (.col("wide"), .col("discount")), (.col("price"), .col("wide")), (.col("wide"), .col("wide")),
            (.col("discount"), .decimal(-25, 4, 3)), (.decimal(7, 2, 1), .col("tax")),
        ]
        for (l, r) in pairs {
            let result = try Self.agreesWithDecoded(.binary(l, op, r), columns)
            #expect(result.count == n)
        }
    }

    /// TPC-H Q1's charge with l_discount and l_tax dictionary-encoded, as Parquet gives them.
    /// java (OpenJDK 17): sum over i < 1000 of BigDecimal price * (1 - discount) * (1 + tax)
    /// (MathContext(38) products, setScale 4 then 6 HALF_UP) for price 901.00 + i, discount
    /// 0.0(i % 11), tax 0.0(i % 9) = 1383671.494000
    @Test func pricingSummaryWithEncodedColumns() throws {
        let n = 1000
        let columns = [
            ("l_extendedprice", S.decimals((0..<n).map { Int128(90_100 + $0 * 100) }, precision: 15, scale: 2)),
            ("l_discount", Self.encoded((0..<11).map { Int128($0) }, (0..<n).map { Int32($0 % 11) })),
            ("l_tax", Self.encoded((0..<9).map { Int128($0) }, (0..<n).map { Int32($0 % 9) })),
        ]
        let charge = Expr.col("l_extendedprice") * (.decimal(1, 1, 0) - .col("l_discount")) * (.decimal(1, 1, 0) + .col("l_tax"))
        let result = try Self.agreesWithDecoded(charge, columns)
        #expect(result.type == .decimal(precision: 38, scale: 6))
        #expect(S.unscaled(result).reduce(Int128(0)) { $0 + $1! } == Int128(1_383_671_494_000))
    }

    /// A dictionary with no entries (every row NULL), one holding NULL entries, and one larger
    /// than the batch (read through the indices even against a constant).
    @Test func unusualDictionaries() throws {
        let type = DataType.decimal(precision: 15, scale: 2)
        let empty = Column(type: type, count: 3, validity: Bitmap.buffer(from: [false, false, false], count: 3),
                           storage: .dictionary(indices: Buffer(copying: [Int32](arrayLiteral: 5, -1, 0)), dictionary: Column(type, [] as [Int128?])))
        let withNulls = Column(type: type, count: 3, validity: nil,
                               storage: .dictionary(indices: Buffer(copying: [Int32](arrayLiteral: 1, 0, 1)), dictionary: Column(type, [250, nil] as [Int128?])))
        let large = Self.encoded((0..<50).map { Int128($0 * 3) }, [49, nil, 0])
        let columns = [("empty", empty), ("nulls", withNulls), ("large", large), ("plain", S.decimals([100, 200, 300], precision: 15, scale: 2))]
        #expect(S.decimalTexts(try Self.agreesWithDecoded(.col("empty") + .col("plain"), columns)) == [nil, nil, nil])
        #expect(S.decimalTexts(try Self.agreesWithDecoded(.decimal(1, 1, 0) - .col("empty"), columns)) == [nil, nil, nil])
        #expect(S.decimalTexts(try Self.agreesWithDecoded(.col("nulls") * .col("plain"), columns)) == [nil, "5.0000", nil])
        #expect(S.decimalTexts(try Self.agreesWithDecoded(.col("nulls") - .decimal(1, 1, 0), columns)) == [nil, "1.50", nil])
        let shifted = try Self.agreesWithDecoded(.col("large") + .decimal(1, 1, 0), columns)
        #expect(S.decimalTexts(shifted) == ["2.47", nil, "1.00"])
        #expect(S.decimalTexts(try Self.agreesWithDecoded(.col("large") - .col("nulls"), columns)) == [nil, nil, nil])
    }
}

private extension Int128 {
    func power(_ exponent: Int) -> Int128 { (0..<exponent).reduce(1) { r, _ in r * self } }
}
