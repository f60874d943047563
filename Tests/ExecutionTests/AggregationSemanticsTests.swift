import Columnar
import Query
import Testing
@testable import Execution

/// Edge cases of the aggregation kernel: empty input, NULL groups, overflow, decimal rounding,
/// NaN, key types, hash-table growth.
///
/// Values marked "DuckDB" or "Python decimal" come from this script (`python3 gen_edge.py`), pasted:
///
/// ```python
/// import duckdb, pyarrow as pa
/// from decimal import Decimal, Context, ROUND_HALF_UP
/// con = duckdb.connect()
/// # Hash-table growth: 200k rows, ~100k int64 keys and ~50k string keys.
/// print(con.sql("""
///   WITH g AS (SELECT i, (i * 2654435761) % 100003 AS k, 'key' || ((i * 7919) % 50021) AS s, i % 1000 AS v
///              FROM range(200000) t(i))
///   SELECT (SELECT [count(*), sum(c), sum(k * c), sum(sv), max(c), min(c)]
///             FROM (SELECT k, count(*) c, sum(v) sv FROM g GROUP BY k)),
///          (SELECT [count(*), sum(c), sum(sv), max(c), min(c), sum(length(s) * c)]
///             FROM (SELECT s, count(*) c, sum(v) sv FROM g GROUP BY s))""").fetchall())
/// # Keys of other types: count(*) per key, e.g.
/// con.register("k", pa.table({"x": pa.array([1, -1, None, 1, 127, -128, None, -1], pa.int8())}))
/// print(sorted(con.sql("SELECT x, count(*) FROM k GROUP BY x").fetchall()))
/// # min/max with NaN.
/// print(con.sql("SELECT min(x), max(x) FROM (VALUES (1.0::DOUBLE), ('nan'::DOUBLE), (-1.0::DOUBLE), (NULL)) t(x)").fetchall())
/// # avg of decimals with Spark's rounding: Divide(sum, CAST(count AS DECIMAL(20,0))) uses
/// # MathContext(38, HALF_UP), is rounded HALF_UP to the divide's scale (DecimalPrecision, bounded),
/// # then cast HALF_UP to DECIMAL(min(38, p + 4), min(38, s + 4)); a value that does not fit is NULL.
/// def spark_avg(values, p, s):
///     total, count = sum(values), len(values)
///     sum_p = min(38, p + 10)
///     inter_scale = max(6, s + 21)
///     inter_p = sum_p - s + inter_scale
///     if inter_p > 38:
///         inter_scale = max(38 - (inter_p - inter_scale), min(inter_scale, 6))
///     q = Context(prec=38, rounding=ROUND_HALF_UP).divide(total, Decimal(count))
///     wide = Context(prec=100)
///     q = q.quantize(Decimal(1).scaleb(-inter_scale), rounding=ROUND_HALF_UP, context=wide)
///     if abs(q) >= Decimal(10) ** (min(38, inter_p) - inter_scale): return None
///     q = q.quantize(Decimal(1).scaleb(-min(38, s + 4)), rounding=ROUND_HALF_UP, context=wide)
///     if abs(q) >= Decimal(10) ** (min(38, p + 4) - min(38, s + 4)): return None
///     return q
/// ```
struct AggregationSemanticsTests {
    static let count = try! AggregateSpec(function: .count, argumentType: nil)

    func run(_ keys: [Column], _ aggregates: [(AggregateSpec, Column?)], mode: GroupedAggregator.Mode = .complete) throws -> [[String?]] {
        let aggregator = try GroupedAggregator(keyTypes: keys.map(\.type), aggregates: aggregates.map(\.0), mode: mode)
        try aggregator.update(keys: keys, arguments: aggregates.map { $0.1.map { [$0] } ?? [] },
                              rowCount: keys.first?.count ?? aggregates.lazy.compactMap(\.1).first?.count)
        return renderedRows(aggregator.finish())
    }

    // MARK: empty input and NULLs

    static let everyAggregate: [AggregateSpec] = [
        count, try! AggregateSpec(function: .count, argumentType: .int32), try! AggregateSpec(function: .sum, argumentType: .int32),
        try! AggregateSpec(function: .sum, argumentType: .float64), try! AggregateSpec(function: .sum, argumentType: .decimal(precision: 9, scale: 2)),
        try! AggregateSpec(function: .avg, argumentType: .int32), try! AggregateSpec(function: .avg, argumentType: .decimal(precision: 9, scale: 2)),
        try! AggregateSpec(function: .min, argumentType: .string), try! AggregateSpec(function: .max, argumentType: .boolean),
        try! AggregateSpec(function: .min, argumentType: .float64), try! AggregateSpec(function: .count, distinct: true, argumentType: .int32),
    ]

    @Test func emptyInputGivesOneGlobalRowWithCountZeroAndNulls() throws {
        let aggregator = try GroupedAggregator(keyTypes: [], aggregates: Self.everyAggregate, mode: .complete)
        try aggregator.update(keys: [], arguments: Self.everyAggregate.map { $0.argumentType.map { [Column.nulls($0, count: 0)] } ?? [] }, rowCount: 0)
        #expect(renderedRows(aggregator.finish()) == [["0", "0", nil, nil, nil, nil, nil, nil, nil, nil, "0"]])
        let untouched = try GroupedAggregator(keyTypes: [], aggregates: Self.everyAggregate, mode: .complete)
        #expect(renderedRows(untouched.finish()) == [["0", "0", nil, nil, nil, nil, nil, nil, nil, nil, "0"]])
    }

    @Test func allNullInputGivesNullsAndCountsRows() throws {
        let aggregator = try GroupedAggregator(keyTypes: [], aggregates: Self.everyAggregate, mode: .complete)
        try aggregator.update(keys: [], arguments: Self.everyAggregate.map { $0.argumentType.map { [Column.nulls($0, count: 3)] } ?? [] }, rowCount: 3)
        #expect(renderedRows(aggregator.finish()) == [["3", "0", nil, nil, nil, nil, nil, nil, nil, nil, "0"]])
    }

    @Test func emptyInputInTwoPhases() throws {
        let specs = Array(Self.everyAggregate.dropLast())
        let partial = try GroupedAggregator(keyTypes: [], aggregates: specs, mode: .partial)
        let states = partial.finish()
        // count; count; sum int; sum double; decimal (sum, count); avg int (sum, count); decimal avg (sum, count); min; max; min
        #expect(renderedRows(states) == [["0", "0", nil, nil, "0.00", "0", "0.0", "0", "0.00", "0", nil, nil, nil]])
        #expect(states[0].schema.fields.map(\.type) == [.int64, .int64, .int64, .float64, .decimal(precision: 19, scale: 2), .int64,
                                                          .float64, .int64, .decimal(precision: 19, scale: 2), .int64, .string, .boolean, .float64])
        let final = try GroupedAggregator(keyTypes: [], aggregates: specs, mode: .final)
        var next = 0
        try final.update(keys: [], arguments: specs.map { spec in
            defer { next += spec.partialStateTypes.count }
            return Array(states[0].columns[next..<(next + spec.partialStateTypes.count)])
        }, rowCount: 1)
        #expect(renderedRows(final.finish()) == [["0", "0", nil, nil, nil, nil, nil, nil, nil, nil]])
    }

    @Test func groupedAggregateOfNothingHasNoRows() throws {
        let aggregator = try GroupedAggregator(keyTypes: [.string], aggregates: [Self.count], mode: .complete)
        try aggregator.update(keys: [Column(strings: [])], arguments: [[]])
        #expect(aggregator.groupCount == 0)
        #expect(aggregator.finish().isEmpty)
    }

    @Test func nullKeysFormTheirOwnGroups() throws {
        let a = Column(.int64, [nil, 1, nil, 1, nil] as [Int64?])
        let b = Column(strings: [nil, nil, "x", nil, nil])
        let value = Column(.int32, [1, 2, 3, 4, 5] as [Int32?])
        let rows = try run([a, b], [(Self.count, nil), (try AggregateSpec(function: .sum, argumentType: .int32), value)])
        expectSameGroups(rows, [[nil, nil, "2", "6"], ["1", nil, "2", "6"], [nil, "x", "1", "3"]], keyCount: 2)
        // A single nullable key keeps its NULL group apart from every value, 0 included.
        let single = try run([Column(.int64, [0, nil, 0, nil] as [Int64?])], [(Self.count, nil)])
        expectSameGroups(single, [["0", "2"], [nil, "2"]], keyCount: 1)
    }

    /// Keys the plan types NOT NULL have no null bits (two BIGINTs make a 16-byte row); they
    /// group as nullable ones do, and a NULL in one is an error rather than a wrong group.
    @Test func keysTypedNotNullGroupAlikeAndRejectNulls() throws {
        let aggregator = try GroupedAggregator(keyTypes: [.int64, .int64], keyNullable: [false, false], aggregates: [Self.count], mode: .complete)
        try aggregator.update(keys: [Column(.int64, [1, 1, 2, -1] as [Int64?]), Column(.int64, [5, 5, 5, 0] as [Int64?])], arguments: [[]])
        expectSameGroups(renderedRows(aggregator.finish()), [["1", "5", "2"], ["2", "5", "1"], ["-1", "0", "1"]], keyCount: 2)
        #expect(throws: ExecutionError.self) {
            try aggregator.update(keys: [Column(.int64, [1, nil] as [Int64?]), Column(.int64, [5, 5] as [Int64?])], arguments: [[]])
        }
    }

    /// Dictionaries often hold values no row of the batch uses (after a filter, say).
    @Test func unusedDictionaryEntriesFormNoGroups() throws {
        let dictionary = Column(strings: ["unused", "b", "a", "also unused"])
        let keys = Column(dictionary: dictionary, indices: [2, 1, nil, 2])
        // Groups come in order of first appearance.
        #expect(try run([keys], [(Self.count, nil)]) == [["a", "2"], ["b", "1"], [nil, "1"]])
        let numbers = Column(dictionary: Column(.int64, [7, 8, 9] as [Int64?]), indices: [1, nil, 1])
        #expect(try run([keys.slice(0..<3), numbers], [(Self.count, nil)]) == [["a", "8", "1"], ["b", nil, "1"], [nil, "8", "1"]])
    }

    @Test func countStarWithoutColumnsNeedsTheRowCount() throws {
        let aggregator = try GroupedAggregator(keyTypes: [], aggregates: [Self.count], mode: .complete)
        try aggregator.update(keys: [], arguments: [[]], rowCount: 5)
        try aggregator.update(keys: [], arguments: [[]], rowCount: 7)
        #expect(throws: ExecutionError.self) { try aggregator.update(keys: [], arguments: [[]]) }
        #expect(renderedRows(aggregator.finish()) == [["12"]])
    }

    @Test func countOfDictionaryColumnsSkipsNullRows() throws {
        let plain = Column(strings: ["a", nil, "b", "a", nil, "c"])
        let rows = try run([], [(try AggregateSpec(function: .count, argumentType: .string), dictionaryEncoded(plain)),
                                (try AggregateSpec(function: .count, distinct: true, argumentType: .string), dictionaryEncoded(plain))])
        #expect(rows == [["4", "3"]])
    }

    // MARK: overflow

    @Test(arguments: [[Int64.max, 1], [Int64.min, -1], [Int64.max - 5, 3, 3]])
    func bigintSumOverflowIsAnError(values: [Int64]) throws {
        let spec = try AggregateSpec(function: .sum, argumentType: .int64, name: "sum(x)")
        let aggregator = try GroupedAggregator(keyTypes: [], aggregates: [spec], mode: .complete)
        #expect {
            try aggregator.update(keys: [], arguments: [[Column(.int64, values.map { $0 as Int64? })]])
        } throws: { error in
            guard case ExecutionError.arithmetic(let expression, _) = error else { return false }
            return expression == "sum(x)"
        }
        let grouped = try GroupedAggregator(keyTypes: [.int32], aggregates: [spec], mode: .complete)
        #expect(throws: ExecutionError.self) {
            try grouped.update(keys: [Column(.int32, values.map { _ in 7 as Int32? })], arguments: [[Column(.int64, values.map { $0 as Int64? })]])
        }
    }

    @Test func sumUpToTheLimitIsExact() throws {
        let spec = try AggregateSpec(function: .sum, argumentType: .int64)
        #expect(try run([], [(spec, Column(.int64, [Int64.max - 1, 1, -3, 3] as [Int64?]))]) == [[String(Int64.max)]])
        let unsigned = try AggregateSpec(function: .sum, argumentType: .uint64)
        #expect(try run([], [(unsigned, Column(.uint64, [UInt64(Int64.max) - 1, 1] as [UInt64?]))]) == [[String(Int64.max)]])
        #expect(throws: ExecutionError.self) { try run([], [(unsigned, Column(.uint64, [UInt64(Int64.max) + 1] as [UInt64?]))]) }
    }

    @Test func overflowWhenMergingPartialSumsIsAnError() throws {
        let spec = try AggregateSpec(function: .sum, argumentType: .int64)
        let final = try GroupedAggregator(keyTypes: [.string], aggregates: [spec], mode: .final)
        try final.update(keys: [Column(strings: ["k", "k"])], arguments: [[Column(.int64, [Int64.max - 1, 1] as [Int64?])]])
        #expect(throws: ExecutionError.self) {
            try final.update(keys: [Column(strings: ["k"])], arguments: [[Column(.int64, [1] as [Int64?])]])
        }
    }

    // MARK: decimals

    /// Spark (non-ANSI): a decimal sum that leaves its precision is NULL (Sum's buffer becomes
    /// NULL and stays so); other groups are unaffected.
    @Test func decimalSumOverflowGivesNull() throws {
        let type = DataType.decimal(precision: 38, scale: 0)
        let big = Int128(6) * DecimalArithmetic.powersOfTen[37]
        let keys = Column(strings: ["over", "over", "over", "fine", "fine"])
        let values = Column(type, [big, big, -big, big, -1] as [Int128?])
        let rows = try run([keys], [(try AggregateSpec(function: .sum, argumentType: type), values),
                                    (try AggregateSpec(function: .avg, argumentType: type), values)])
        expectSameGroups(rows, [["over", nil, nil], ["fine", String(big - 1), nil]], keyCount: 1)
        // avg(fine) is NULL too: 3e37 needs more than the 32 integer digits of DECIMAL(38,6) that
        // Spark's divide returns here (Python decimal, spark_avg above).
    }

    @Test func decimalSumOverflowSurvivesTwoPhases() throws {
        let type = DataType.decimal(precision: 38, scale: 2)
        let spec = try AggregateSpec(function: .sum, argumentType: type)
        let big = Int128(6) * DecimalArithmetic.powersOfTen[37]
        let partials = try [[big, 1], [big], [-big]].map { values in
            let partial = try GroupedAggregator(keyTypes: [], aggregates: [spec], mode: .partial)
            try partial.update(keys: [], arguments: [[Column(type, values.map { $0 as Int128? })]])
            return partial.finish()[0]
        }
        let final = try GroupedAggregator(keyTypes: [], aggregates: [spec], mode: .final)
        for state in partials { try final.update(keys: [], arguments: [state.columns], rowCount: 1) }
        #expect(renderedRows(final.finish()) == [[nil]])
        // A partial that overflowed on its own says so with a NULL sum and a non-zero count.
        let alone = try GroupedAggregator(keyTypes: [], aggregates: [spec], mode: .partial)
        try alone.update(keys: [], arguments: [[Column(type, [big, big] as [Int128?])]])
        #expect(renderedRows(alone.finish()) == [[nil, "2"]])
    }

    @Test func wideDecimalSumsAreExact() throws {
        // DECIMAL(30,0) sums into DECIMAL(38,0): checked per row, exact below 10^38.
        let type = DataType.decimal(precision: 30, scale: 0)
        let nines = DecimalArithmetic.powersOfTen[30] - 1
        let spec = try AggregateSpec(function: .sum, argumentType: type)
        #expect(spec.resultType == .decimal(precision: 38, scale: 0))
        #expect(try run([], [(spec, Column(type, [nines, nines, nil, -1] as [Int128?]))]) == [["1999999999999999999999999999997"]])
    }

    struct AverageCase: Sendable, CustomTestStringConvertible {
        let precision: Int, scale: Int
        let values: [Int128]
        let expected: String?
        var testDescription: String { "avg of \(values.count) DECIMAL(\(precision),\(scale)) = \(expected ?? "NULL")" }
    }

    /// Python decimal, `spark_avg` above.
    static let averageCases: [AverageCase] = [
        AverageCase(precision: 5, scale: 2, values: [100, 200, 200], expected: "1.666667"),
        AverageCase(precision: 5, scale: 2, values: [-100, -200, -200], expected: "-1.666667"),
        // 0.0003125: HALF_UP, not HALF_EVEN.
        AverageCase(precision: 5, scale: 2, values: [1] + Array(repeating: 0, count: 31), expected: "0.000313"),
        AverageCase(precision: 5, scale: 2, values: [-1] + Array(repeating: 0, count: 31), expected: "-0.000313"),
        AverageCase(precision: 10, scale: 5, values: Array(repeating: 9_999_999_999, count: 7) + [1], expected: "87499.999992500"),
        // 20 integer digits do not fit DECIMAL(38,22): NULL.
        AverageCase(precision: 38, scale: 18, values: Array(repeating: Int128("12345678901234567890123456789012345678")!, count: 3)
                        + [DecimalArithmetic.powersOfTen[18]], expected: nil),
        AverageCase(precision: 38, scale: 36, values: [1, 0], expected: "0.00000000000000000000000000000000000100"),
        // Rounded to the divide's 10 fraction digits first, then padded to 14.
        AverageCase(precision: 30, scale: 10, values: [10_000_000_000, 0, 0], expected: "0.33333333330000"),
    ]

    @Test(arguments: averageCases)
    func decimalAverageRoundsAsSpark(_ test: AverageCase) throws {
        let type = DataType.decimal(precision: test.precision, scale: test.scale)
        let spec = try AggregateSpec(function: .avg, argumentType: type)
        #expect(spec.resultType == .decimal(precision: min(38, test.precision + 4), scale: min(38, test.scale + 4)))
        let column = Column(type, test.values.map { $0 as Int128? })
        #expect(try run([], [(spec, column)]) == [[test.expected]])
        // The same through partial and final aggregates.
        let partial = try GroupedAggregator(keyTypes: [], aggregates: [spec], mode: .partial)
        try partial.update(keys: [], arguments: [[column]])
        let final = try GroupedAggregator(keyTypes: [], aggregates: [spec], mode: .final)
        try final.update(keys: [], arguments: [partial.finish()[0].columns])
        #expect(renderedRows(final.finish()) == [[test.expected]])
    }

    // MARK: floating point

    @Test func nanIsTheLargestValue() throws {
        let min = try AggregateSpec(function: .min, argumentType: .float64)
        let max = try AggregateSpec(function: .max, argumentType: .float64)
        // DuckDB: (-1.0, nan) and (nan, nan).
        let mixed = Column(.float64, [1.0, .nan, -1.0, nil] as [Double?])
        #expect(try run([], [(min, mixed), (max, mixed)]) == [["-1.0", "nan"]])
        let nans = Column(.float64, [.nan, .nan] as [Double?])
        #expect(try run([], [(min, nans), (max, nans)]) == [["nan", "nan"]])
        let floats = Column(.float32, [1.5, .nan, -2.5] as [Float?])
        #expect(try run([], [(try AggregateSpec(function: .min, argumentType: .float32), floats),
                             (try AggregateSpec(function: .max, argumentType: .float32), floats)]) == [["-2.5", "nan"]])
    }

    // MARK: key types

    struct KeyCase: Sendable, CustomTestStringConvertible {
        let name: String
        let column: @Sendable () -> Column
        let expected: [[String?]]
        var testDescription: String { name }
    }

    /// DuckDB: `SELECT x, count(*) FROM k GROUP BY x` over the same values.
    static let keyCases: [KeyCase] = [
        KeyCase(name: "int8", column: { Column(.int8, [1, -1, nil, 1, 127, -128, nil, -1] as [Int8?]) },
                expected: [["-1", "2"], ["-128", "1"], ["1", "2"], ["127", "1"], [nil, "2"]]),
        KeyCase(name: "uint64", column: { Column(.uint64, [0, .max, 1 << 63, 0, nil, .max] as [UInt64?]) },
                expected: [["0", "2"], ["18446744073709551615", "2"], ["9223372036854775808", "1"], [nil, "1"]]),
        KeyCase(name: "float32", column: { Column(.float32, [0.0, -0.0, .nan, 1.5, nil, .nan, -0.0] as [Float?]) },
                expected: [["0.0", "3"], ["1.5", "1"], [nil, "1"], ["nan", "2"]]),
        KeyCase(name: "binary", column: { Column(.binary, bytes: [[], [0], [0, 0], nil, [0], [0x61, 0x62, 0x63], []]) },
                expected: [[nil, "1"], ["", "2"], ["0", "2"], ["0 0", "1"], ["61 62 63", "1"]]),
        KeyCase(name: "int64 extremes", column: { Column(.int64, [nil, nil, 0, 0, .min, .max] as [Int64?]) },
                expected: [["-9223372036854775808", "1"], ["0", "2"], ["9223372036854775807", "1"], [nil, "2"]]),
        KeyCase(name: "dictionary int64", column: { dictionaryEncoded(Column(.int64, [nil, nil, 0, 0, .min, .max] as [Int64?])) },
                expected: [["-9223372036854775808", "1"], ["0", "2"], ["9223372036854775807", "1"], [nil, "2"]]),
    ]

    @Test(arguments: keyCases)
    func keyTypesGroupByValue(_ test: KeyCase) throws {
        expectSameGroups(try run([test.column()], [(Self.count, nil)]), test.expected, keyCount: 1)
    }

    /// Keys wider than 16 bytes (three decimals: 48 bytes per key row) use the byte-row table.
    @Test func wideCompositeKeys() throws {
        let type = DataType.decimal(precision: 20, scale: 0)
        let a = Column(type, (0..<1000).map { Int128($0 % 10) as Int128? })
        let b = Column(type, (0..<1000).map { $0 % 7 == 0 ? nil : Int128($0 % 3) })
        let aggregator = try GroupedAggregator(keyTypes: [type, type, type], aggregates: [Self.count], mode: .complete)
        try aggregator.update(keys: [a, b, a], arguments: [[]])
        // 10 × (3 values + NULL) combinations of (i % 10, i % 3 or NULL when i % 7 == 0) occur: all 40.
        #expect(aggregator.groupCount == 40)
        #expect(renderedRows(aggregator.finish()).reduce(0) { $0 + Int($1[3]!)! } == 1000)
    }

    // MARK: hash-table growth

    /// DuckDB: [100003, 200000, 10000178733, 99900000, 2, 1] for the int64 keys and
    /// [50021, 200000, 99900000, 4, 3, 1555577] for the strings (see the script above).
    @Test func manyGroupsGrowTheTables() throws {
        let rows = 200_000
        let sumSpec = try AggregateSpec(function: .sum, argumentType: .int64)
        let byNumber = try GroupedAggregator(keyTypes: [.int64], aggregates: [Self.count, sumSpec], mode: .complete)
        let byString = try GroupedAggregator(keyTypes: [.string], aggregates: [Self.count, sumSpec], mode: .complete)
        // (k, k % 7) groups exactly as k does, through the table of 16-byte keys.
        let byPair = try GroupedAggregator(keyTypes: [.int64, .int32], aggregates: [Self.count, sumSpec], mode: .complete)
        for start in stride(from: 0, to: rows, by: 50_000) {
            let range = start..<(start + 50_000)
            let values = Column(.int64, range.map { Int64($0 % 1000) as Int64? })
            let keys = range.map { Int64(($0 * 2_654_435_761) % 100_003) }
            try byNumber.update(keys: [Column(.int64, keys.map { $0 as Int64? })], arguments: [[], [values]])
            try byString.update(keys: [Column(strings: range.map { "key\(($0 * 7919) % 50021)" })], arguments: [[], [values]])
            try byPair.update(keys: [Column(.int64, keys.map { $0 as Int64? }), Column(.int32, keys.map { Int32($0 % 7) as Int32? })],
                              arguments: [[], [values]])
        }
        let pairs = renderedRows(byPair.finish()).map { $0.map { Int($0!)! } }
        #expect(pairs.count == 100_003)
        #expect(pairs.allSatisfy { $0[1] == $0[0] % 7 })
        #expect(pairs.reduce(0) { $0 + $1[0] * $1[2] } == 10_000_178_733)
        #expect(pairs.reduce(0) { $0 + $1[3] } == 99_900_000)
        let numbers = renderedRows(byNumber.finish()).map { $0.map { Int($0!)! } }
        #expect(numbers.count == 100_003)
        #expect(numbers.reduce(0) { $0 + $1[1] } == 200_000)
        #expect(numbers.reduce(0) { $0 + $1[0] * $1[1] } == 10_000_178_733)
        #expect(numbers.reduce(0) { $0 + $1[2] } == 99_900_000)
        #expect(numbers.map { $0[1] }.max() == 2 && numbers.map { $0[1] }.min() == 1)
        let strings = renderedRows(byString.finish())
        #expect(strings.count == 50_021)
        #expect(strings.reduce(0) { $0 + Int($1[1]!)! } == 200_000)
        #expect(strings.reduce(0) { $0 + Int($1[2]!)! } == 99_900_000)
        #expect(strings.reduce(0) { $0 + $1[0]!.utf8.count * Int($1[1]!)! } == 1_555_577)
        #expect(byString.estimatedMemoryBytes > 50_021 * 8)
    }

    // MARK: misuse

    @Test func invalidPlansAreRejected() throws {
        #expect(throws: ExecutionError.self) {
            try GroupedAggregator(keyTypes: [], aggregates: [try AggregateSpec(function: .count, distinct: true, argumentType: .int32)], mode: .partial)
        }
        #expect(throws: ExecutionError.self) {
            try GroupedAggregator(keyTypes: [], aggregates: [AggregateSpec(function: .sum, argumentType: .string, resultType: .int64)], mode: .complete)
        }
        #expect(throws: ExecutionError.self) {
            try GroupedAggregator(keyTypes: [], aggregates: [AggregateSpec(function: .sum, argumentType: .int32, resultType: .int32)], mode: .complete)
        }
        let aggregator = try GroupedAggregator(keyTypes: [.int32], aggregates: [try AggregateSpec(function: .sum, argumentType: .int32)], mode: .complete)
        #expect(throws: ExecutionError.self) {
            try aggregator.update(keys: [Column(.int64, [1] as [Int64?])], arguments: [[Column(.int32, [1] as [Int32?])]])
        }
        #expect(throws: ExecutionError.self) {
            try aggregator.update(keys: [Column(.int32, [1] as [Int32?])], arguments: [[Column(.int32, [1, 2] as [Int32?])]])
        }
    }
}
