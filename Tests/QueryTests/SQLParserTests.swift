import Columnar
import Testing
@testable import Query

struct SQLParserTests {
    // MARK: TPC-H

    /// Q1 as qgen prints it from the TPC-H 3.0 templates (queries/1.sql, DELTA = 90).
    static let q1Spec = """
        -- $ID$
        -- TPC-H/TPC-R Pricing Summary Report Query (Q1)
        -- Functional Query Definition
        -- Approved February 1998


        select
        \tl_returnflag,
        \tl_linestatus,
        \tsum(l_quantity) as sum_qty,
        \tsum(l_extendedprice) as sum_base_price,
        \tsum(l_extendedprice * (1 - l_discount)) as sum_disc_price,
        \tsum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge,
        \tavg(l_quantity) as avg_qty,
        \tavg(l_extendedprice) as avg_price,
        \tavg(l_discount) as avg_disc,
        \tcount(*) as count_order
        from
        \tlineitem
        where
        \tl_shipdate <= date '1998-12-01' - interval '90' day (3)
        group by
        \tl_returnflag,
        \tl_linestatus
        order by
        \tl_returnflag,
        \tl_linestatus;
        """

    /// Spark's copy (sql/core/src/test/resources/tpch/q1.sql).
    static let q1Spark = """
        -- using default substitutions

        select
        \tl_returnflag,
        \tl_linestatus,
        \tsum(l_quantity) as sum_qty,
        \tsum(l_extendedprice) as sum_base_price,
        \tsum(l_extendedprice * (1 - l_discount)) as sum_disc_price,
        \tsum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge,
        \tavg(l_quantity) as avg_qty,
        \tavg(l_extendedprice) as avg_price,
        \tavg(l_discount) as avg_disc,
        \tcount(*) as count_order
        from
        \tlineitem
        where
        \tl_shipdate <= date '1998-12-01' - interval '90' day
        group by
        \tl_returnflag,
        \tl_linestatus
        order by
        \tl_returnflag,
        \tl_linestatus

        """

    static let q6Spec = """
        -- $ID$
        -- TPC-H/TPC-R Forecasting Revenue Change Query (Q6)
        -- Functional Query Definition
        -- Approved February 1998


        select
        \tsum(l_extendedprice * l_discount) as revenue
        from
        \tlineitem
        where
        \tl_shipdate >= date '1994-01-01'
        \tand l_shipdate < date '1994-01-01' + interval '1' year
        \tand l_discount between 0.06 - 0.01 and 0.06 + 0.01
        \tand l_quantity < 24;
        """

    static let q6Spark = """
        -- using default substitutions

        select
        \tsum(l_extendedprice * l_discount) as revenue
        from
        \tlineitem
        where
        \tl_shipdate >= date '1994-01-01'
        \tand l_shipdate < date '1994-01-01' + interval '1' year
        \tand l_discount between .06 - 0.01 and .06 + 0.01
        \tand l_quantity < 24

        """

    static var q1Plan: LogicalPlan {
        let price = col("l_extendedprice"), discount = col("l_discount")
        let discounted = bin(price, .multiply, bin(int(1), .subtract, discount))
        let items: [Expr] = [
            col("l_returnflag"), col("l_linestatus"),
            agg(.sum, col("l_quantity")).alias("sum_qty"),
            agg(.sum, price).alias("sum_base_price"),
            agg(.sum, discounted).alias("sum_disc_price"),
            agg(.sum, bin(discounted, .multiply, bin(int(1), .add, col("l_tax")))).alias("sum_charge"),
            agg(.avg, col("l_quantity")).alias("avg_qty"),
            agg(.avg, price).alias("avg_price"),
            agg(.avg, discount).alias("avg_disc"),
            Expr.aggregate(.count, arguments: [], distinct: false).alias("count_order"),
        ]
        // DATE '1998-12-01' is day 10561 after 1970-01-01.
        let predicate = bin(col("l_shipdate"), .lessOrEqual,
                            bin(.literal(.date(10561)), .subtract, .literal(.interval(days: 90))))
        let group = [col("l_returnflag"), col("l_linestatus")]
        return .sort(group.map { SortKey($0) },
                     input: .projection(items, input: .aggregate(groupBy: group, aggregates: [],
                                                                 input: .filter(predicate, input: table("lineitem")))))
    }

    static var q6Plan: LogicalPlan {
        let shipdate = col("l_shipdate"), discount = col("l_discount")
        let day = Expr.literal(.date(8766)) // 1994-01-01
        let rate = dec(6, 2, 2), delta = dec(1, 2, 2)
        // Spark balances AND chains: (c1 AND c2) AND (c3 AND c4).
        let predicate = bin(bin(bin(shipdate, .greaterOrEqual, day),
                                .and, bin(shipdate, .less, bin(day, .add, .literal(.interval(months: 12))))),
                            .and,
                            bin(.between(discount, low: bin(rate, .subtract, delta), high: bin(rate, .add, delta), negated: false),
                                .and, bin(col("l_quantity"), .less, int(24))))
        return .projection([agg(.sum, bin(col("l_extendedprice"), .multiply, discount)).alias("revenue")],
                           input: .aggregate(groupBy: [], aggregates: [], input: .filter(predicate, input: table("lineitem"))))
    }

    @Test(arguments: [q1Spec, q1Spark])
    func tpchQ1(text: String) {
        expectQuery(text, Self.q1Plan)
    }

    @Test(arguments: [q6Spec, q6Spark])
    func tpchQ6(text: String) {
        expectQuery(text, Self.q6Plan)
    }

    // MARK: Literals

    /// Types as Spark 3.5 gives them (`SELECT typeof(0.06)` is decimal(2,2), …).
    @Test(arguments: [
        ("123", ScalarValue.int32(123)),
        ("3000000000", .int64(3_000_000_000)),
        ("2147483647", .int32(.max)),
        ("2147483648", .int64(2_147_483_648)),
        ("-2147483648", .int32(.min)),
        ("-9223372036854775808", .int64(.min)),
        ("99999999999999999999", .decimal(99_999_999_999_999_999_999, precision: 20, scale: 0)),
        ("0.06", .decimal(6, precision: 2, scale: 2)),
        (".06", .decimal(6, precision: 2, scale: 2)),
        ("-0.06", .decimal(-6, precision: 2, scale: 2)),
        (".5", .decimal(5, precision: 1, scale: 1)),
        ("1.", .decimal(1, precision: 1, scale: 0)),
        ("100.0", .decimal(1000, precision: 4, scale: 1)),
        ("001.5", .decimal(15, precision: 2, scale: 1)),
        ("0.0", .decimal(0, precision: 1, scale: 1)),
        ("12345678901234567890.123456789012345678", .decimal(12_345_678_901_234_567_890_123_456_789_012_345_678, precision: 38, scale: 18)),
        ("1e3", .double(1000)),
        ("1.5e3", .double(1500)),
        ("1.5E-3", .double(0.0015)),
        ("-1e3", .double(-1000)),
        ("1L", .int64(1)),
        ("-9223372036854775808L", .int64(.min)),
        ("1D", .double(1)),
        ("1.5d", .double(1.5)),
        ("1BD", .decimal(1, precision: 1, scale: 0)),
        ("1.5BD", .decimal(15, precision: 2, scale: 1)),
        ("1e3BD", .decimal(1000, precision: 4, scale: 0)),
        ("1.25e1BD", .decimal(125, precision: 3, scale: 1)),
        ("1Y", ScalarValue(.int(1), type: .int8)),
        ("-128Y", ScalarValue(.int(-128), type: .int8)),
        ("1S", ScalarValue(.int(1), type: .int16)),
        ("1F", ScalarValue(.double(1), type: .float32)),
        ("1.5f", ScalarValue(.double(1.5), type: .float32)),
        ("'it''s'", .string("it's")),
        ("'a' 'b' \"c\"", .string("abc")),
        ("TRUE", .boolean(true)),
        ("false", .boolean(false)),
        ("X'CAFE'", ScalarValue(.bytes([0xCA, 0xFE]), type: .binary)),
    ])
    func literalTyping(text: String, value: ScalarValue) {
        expectExpr(text, .literal(value))
    }

    @Test func nullIsUntyped() throws {
        let expr = try SQLParser.parseExpression("NULL")
        guard case .literal(let value) = expr else {
            Issue.record("not a literal: \(expr)")
            return
        }
        #expect(value.isUntypedNull)
        #expect(value == .untypedNull)
    }

    @Test(arguments: [
        ("1e400", "outside the range of DOUBLE"),
        ("128Y", "outside the range of TINYINT"),
        ("40000S", "outside the range of SMALLINT"),
        ("9223372036854775808L", "outside the range of BIGINT"),
        ("1.00000000000000000000000000000000000000001", "needs 42 digits"),
        ("123456789012345678901234567890123456789", "needs 39 digits"),
    ])
    func literalsOutOfRange(text: String, message: String) {
        expectSyntaxError("SELECT \(text)", line: 1, column: 8, message)
    }

    /// Days since 1970-01-01 (Python: `(date(1998, 12, 1) - date(1970, 1, 1)).days`); Spark reads
    /// '2020', '2020-1' and '2020-01-01T12' as 2020-01-01.
    @Test(arguments: [
        ("1998-12-01", Int32(10561)),
        ("1994-01-01", 8766),
        ("2000-02-29", 11016),
        ("1969-12-31", -1),
        ("1970-01-01", 0),
        ("0001-01-01", -719_162),
        ("9999-12-31", 2_932_896),
        ("2020", 18262),
        ("2020-1", 18262),
        ("2020-01-01T12", 18262),
        (" 2020-01-02 ", 18263),
    ])
    func dateLiterals(text: String, days: Int32) {
        expectExpr("DATE '\(text)'", .literal(.date(days)))
    }

    @Test(arguments: ["1998-13-01", "2024-02-30", "2023-02-29", "1998-00-10", "98-01-01", "x", "", "2020-01-01x"])
    func invalidDates(text: String) {
        expectSyntaxError("SELECT a\nFROM t WHERE d = DATE '\(text)'", line: 2, column: 23, "invalid DATE literal")
    }

    @Test(arguments: [
        ("2024-01-31 12:00:00.000001", Int64(1_706_702_400_000_001)),
        ("2024-01-31T12:00", 1_706_702_400_000_000),
        ("2024-01-31", 1_706_659_200_000_000),
        ("1969-12-31 23:59:59.5", -500_000),
        ("1970-01-01 00:00:00.123456789", 123_456),
    ])
    func timestampLiterals(text: String, microseconds: Int64) {
        expectExpr("TIMESTAMP '\(text)'", .literal(.timestamp(microseconds: microseconds, utc: false)))
        expectExpr("TIMESTAMP_NTZ '\(text)'", .literal(.timestamp(microseconds: microseconds, utc: false)))
    }

    @Test func invalidTimestamps() {
        expectSyntaxError("SELECT TIMESTAMP '2024-01-31 25:00:00'", line: 1, column: 18, "invalid TIMESTAMP literal")
        expectSyntaxError("SELECT TIMESTAMP '2024-01-31 12:00:00Z'", line: 1, column: 18, "has a time zone")
        expectSyntaxError("SELECT TIMESTAMP '2024-01-31 12:00:00 +02:00'", line: 1, column: 18, "has a time zone")
    }

    /// Spark 3.5 gives the same months, days and microseconds (`SELECT interval 1 day 2 hours …`).
    @Test(arguments: [
        ("INTERVAL '90' DAY", ScalarValue.interval(days: 90)),
        ("interval '90' day (3)", .interval(days: 90)),
        ("INTERVAL 90 DAYS", .interval(days: 90)),
        ("INTERVAL '1' YEAR", .interval(months: 12)),
        ("INTERVAL 3 MONTHS", .interval(months: 3)),
        ("INTERVAL 1 YEAR 2 MONTHS", .interval(months: 14)),
        ("INTERVAL '1' YEAR '2' MONTH", .interval(months: 14)),
        ("INTERVAL '1 year 2 months'", .interval(months: 14)),
        ("INTERVAL 1.5 SECOND", .interval(microseconds: 1_500_000)),
        ("INTERVAL -1 DAY", .interval(days: -1)),
        ("INTERVAL '-1' DAY", .interval(days: -1)),
        ("INTERVAL 1 DAY 2 HOURS 3 MINUTES 4.5 SECONDS", .interval(days: 1, microseconds: 7_384_500_000)),
        ("INTERVAL 2 WEEKS", .interval(days: 14)),
        ("INTERVAL 3 MILLISECONDS 4 MICROSECONDS", .interval(microseconds: 3004)),
        ("INTERVAL 1 YEAR 2 DAYS", .interval(months: 12, days: 2)),
    ])
    func intervalLiterals(text: String, value: ScalarValue) {
        expectExpr(text, .literal(value))
    }

    @Test func intervalErrors() {
        expectSyntaxError("SELECT INTERVAL '90'", line: 1, column: 21, "unexpected end of input; expected an interval unit")
        expectSyntaxError("SELECT INTERVAL '90' dya", line: 1, column: 22, "expected an interval unit (YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND or MICROSECOND) but found 'dya'")
        expectSyntaxError("SELECT INTERVAL '1 fortnight'", line: 1, column: 17, "invalid INTERVAL '1 fortnight'")
        expectSyntaxError("SELECT INTERVAL 90 FORTNIGHTS", line: 1, column: 20, "expected an interval unit")
        expectSyntaxError("SELECT INTERVAL 1.5 DAYS", line: 1, column: 17, "invalid interval value")
        expectSyntaxError("SELECT INTERVAL 3000000000 MONTHS", line: 1, column: 8, "too large")
        expectUnsupported("SELECT INTERVAL '1-2' YEAR TO MONTH", "INTERVAL … TO …")
    }

    @Test func typedLiteralKeywordsAreNamesOtherwise() {
        expectQuery("SELECT date, interval, timestamp FROM t",
                    .projection([col("date"), col("interval"), col("timestamp")], input: table("t")))
        expectExpr("interval - 1", bin(col("interval"), .subtract, int(1)))
    }

    // MARK: Expressions

    @Test func precedence() {
        let a = col("a"), b = col("b"), c = col("c")
        expectExpr("a OR b AND c", bin(a, .or, bin(b, .and, c)))
        expectExpr("a AND b OR c", bin(bin(a, .and, b), .or, c))
        expectExpr("NOT a = b", .not(bin(a, .equal, b)))
        expectExpr("NOT a AND b", bin(.not(a), .and, b))
        expectExpr("-a * b", bin(.negate(a), .multiply, b))
        expectExpr("a || b = c", bin(bin(a, .concat, b), .equal, c))
        expectExpr("a + b * c", bin(a, .add, bin(b, .multiply, c)))
        expectExpr("a - b - c", bin(bin(a, .subtract, b), .subtract, c))
        expectExpr("(a - b) % c", bin(bin(a, .subtract, b), .modulo, c))
        expectExpr("a / b * c", bin(bin(a, .divide, b), .multiply, c))
        expectExpr("a = b IS NULL", .isNull(bin(a, .equal, b)))
        expectExpr("a + 1 BETWEEN b AND c + 1", .between(bin(a, .add, int(1)), low: b, high: bin(c, .add, int(1)), negated: false))
        expectExpr("a BETWEEN 1 AND 2 AND b", bin(.between(a, low: int(1), high: int(2), negated: false), .and, b))
        expectExpr("-a::int", .negate(.cast(a, .int32)))
        expectExpr("-1::string", .cast(int(-1), .string))
        expectExpr("- -1", .negate(int(-1)))
        expectExpr("2 -1", bin(int(2), .subtract, int(1)))
        expectExpr("a * -1", bin(a, .multiply, int(-1)))
        expectExpr("+a", a)
        expectExpr("!a", .not(a))
        expectExpr("! a = b", .not(bin(a, .equal, b)))
        expectExpr("NOT NOT a", .not(.not(a)))
    }

    /// The trees Spark 3.5 prints for these filters (`'Filter ((('a = 1) AND ('a = 2)) AND …`).
    @Test func andOrChainsAreBalancedLikeSpark() {
        let a = col("a"), b = col("b"), c = col("c"), d = col("d"), e = col("e")
        expectExpr("a AND b AND c", bin(bin(a, .and, b), .and, c))
        expectExpr("a AND b AND c AND d OR e", bin(bin(bin(a, .and, b), .and, bin(c, .and, d)), .or, e))
        expectExpr("a AND b AND c AND d AND e", bin(bin(bin(a, .and, b), .and, c), .and, bin(d, .and, e)))
        expectExpr("a OR b OR c OR d", bin(bin(a, .or, b), .or, bin(c, .or, d)))
        expectExpr("a + b + c + d", bin(bin(bin(a, .add, b), .add, c), .add, d))
    }

    @Test func comparisons() {
        let a = col("a"), b = col("b")
        expectExpr("a = b", bin(a, .equal, b))
        expectExpr("a == b", bin(a, .equal, b))
        expectExpr("a != b", bin(a, .notEqual, b))
        expectExpr("a <> b", bin(a, .notEqual, b))
        expectExpr("a < b", bin(a, .less, b))
        expectExpr("a <= b", bin(a, .lessOrEqual, b))
        expectExpr("a > b", bin(a, .greater, b))
        expectExpr("a >= b", bin(a, .greaterOrEqual, b))
        expectExpr("a <=> b", bin(a, .nullSafeEqual, b))
    }

    @Test func predicates() {
        let a = col("a")
        expectExpr("a IS NULL", .isNull(a))
        expectExpr("a IS NOT NULL", .isNotNull(a))
        expectExpr("a IN (1, 2, 3)", .inList(a, [int(1), int(2), int(3)], negated: false))
        expectExpr("a NOT IN ('x')", .inList(a, [str("x")], negated: true))
        expectExpr("a BETWEEN 1 AND 10", .between(a, low: int(1), high: int(10), negated: false))
        expectExpr("a NOT BETWEEN 1 AND 10", .between(a, low: int(1), high: int(10), negated: true))
        expectExpr("a LIKE 'x%'", .like(a, pattern: str("x%"), negated: false))
        expectExpr("a NOT LIKE 'x%'", .like(a, pattern: str("x%"), negated: true))
        expectExpr(#"a LIKE 'x\%%' ESCAPE '\\'"#, .like(a, pattern: str(#"x\%%"#), negated: false))
        expectExpr("a IS TRUE", bin(a, .nullSafeEqual, .literal(.boolean(true))))
        expectExpr("a IS NOT FALSE", .not(bin(a, .nullSafeEqual, .literal(.boolean(false)))))
        expectExpr("a IS UNKNOWN", .isNull(a))
        expectExpr("a IS DISTINCT FROM 1", .not(bin(a, .nullSafeEqual, int(1))))
        expectExpr("a IS NOT DISTINCT FROM 1", bin(a, .nullSafeEqual, int(1)))
    }

    @Test func columnReferences() {
        expectExpr("a", col("a"))
        expectExpr("t.a", col("a", "t"))
        expectExpr("db.t.a", col("a", "db.t"))
        expectExpr("`weird name`", col("weird name"))
        expectExpr("`my t`.`a``b`", col("a`b", "my t"))
        expectExpr("t.from", col("from", "t"))
        // Non-reserved keywords are names.
        expectExpr("date + year + value + key + first + last", bin(bin(bin(bin(bin(col("date"), .add, col("year")), .add, col("value")), .add, col("key")), .add, col("first")), .add, col("last")))
    }

    @Test func caseExpressions() {
        expectExpr("CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END",
                   .caseWhen(operand: nil, branches: [WhenThen(bin(col("a"), .greater, int(0)), str("pos")),
                                                      WhenThen(bin(col("a"), .less, int(0)), str("neg"))],
                             otherwise: str("zero")))
        expectExpr("case a when 1 then b end",
                   .caseWhen(operand: col("a"), branches: [WhenThen(int(1), col("b"))], otherwise: nil))
    }

    @Test(arguments: [
        ("BOOLEAN", DataType.boolean), ("TINYINT", .int8), ("BYTE", .int8), ("SMALLINT", .int16), ("SHORT", .int16),
        ("INT", .int32), ("integer", .int32), ("BIGINT", .int64), ("LONG", .int64), ("FLOAT", .float32), ("REAL", .float32),
        ("DOUBLE", .float64), ("DECIMAL", .decimal(precision: 10, scale: 0)), ("DEC(5)", .decimal(precision: 5, scale: 0)),
        ("NUMERIC(15, 2)", .decimal(precision: 15, scale: 2)), ("decimal(38,38)", .decimal(precision: 38, scale: 38)),
        ("STRING", .string), ("VARCHAR(25)", .string), ("CHAR(1)", .string), ("TEXT", .string), ("DATE", .date32),
        ("TIMESTAMP", .timestamp(.microseconds, isAdjustedToUTC: false)),
        ("TIMESTAMP_NTZ", .timestamp(.microseconds, isAdjustedToUTC: false)),
        ("TIMESTAMP_LTZ", .timestamp(.microseconds, isAdjustedToUTC: true)),
        ("BINARY", .binary),
    ])
    func castTypes(name: String, type: DataType) {
        expectExpr("CAST(a AS \(name))", .cast(col("a"), type))
        expectExpr("a::\(name)", .cast(col("a"), type))
    }

    @Test func badTypes() {
        expectSyntaxError("SELECT CAST(a AS DECIMAL(39, 2))", line: 1, column: 26, "precision 39")
        expectSyntaxError("SELECT CAST(a AS DECIMAL(0))", line: 1, column: 26, "precision 0")
        expectSyntaxError("SELECT CAST(a AS DECIMAL(5, 6))", line: 1, column: 29, "scale 6")
        expectSyntaxError("SELECT CAST(a AS WIBBLE)", line: 1, column: 18, "unknown type 'WIBBLE'")
        expectSyntaxError("SELECT CAST(a AS INT", line: 1, column: 21, "unexpected end of input; expected ')'")
        expectUnsupported("SELECT CAST(a AS ARRAY<INT>)", "ARRAY type")
    }

    @Test func functionCalls() {
        let a = col("a")
        expectExpr("Upper(a)", .function(name: "upper", arguments: [a]))
        expectExpr("coalesce(a, 0, NULL)", .function(name: "coalesce", arguments: [a, int(0), .literal(.untypedNull)]))
        expectExpr("current_date()", .function(name: "current_date", arguments: []))
        expectExpr("`lower`(a)", .function(name: "lower", arguments: [a]))
        expectExpr("left(a, 2)", .function(name: "left", arguments: [a, int(2)]))
        expectExpr("date_add(date, 1)", .function(name: "date_add", arguments: [col("date"), int(1)]))
    }

    @Test func aggregates() {
        let a = col("a")
        expectExpr("count(*)", .aggregate(.count, arguments: [], distinct: false))
        expectExpr("COUNT(a)", agg(.count, a))
        expectExpr("count(DISTINCT a)", agg(.count, a, distinct: true))
        expectExpr("count(distinct a, b)", .aggregate(.count, arguments: [a, col("b")], distinct: true))
        expectExpr("count(ALL a)", agg(.count, a))
        expectExpr("sum(a)", agg(.sum, a))
        expectExpr("sum(DISTINCT a)", agg(.sum, a, distinct: true))
        expectExpr("avg(a)", agg(.avg, a))
        expectExpr("mean(a)", agg(.avg, a))
        expectExpr("min(a) + max(a)", bin(agg(.min, a), .add, agg(.max, a)))
        expectSyntaxError("SELECT count()", line: 1, column: 8, "count needs an argument or *")
        expectSyntaxError("SELECT sum(a, b)", line: 1, column: 8, "sum takes exactly one argument, not 2")
        expectSyntaxError("SELECT sum(*)", line: 1, column: 12, "'*' is only allowed in count(*)")
        expectSyntaxError("SELECT upper(DISTINCT a)", line: 1, column: 8, "DISTINCT is only allowed in aggregate functions")
    }

    @Test func specialFunctionSyntax() {
        let s = col("s"), d = col("d")
        expectExpr("EXTRACT(YEAR FROM d)", .function(name: "year", arguments: [d]))
        expectExpr("extract(month from d)", .function(name: "month", arguments: [d]))
        expectExpr("extract(DAY FROM d)", .function(name: "day", arguments: [d]))
        expectExpr("extract(quarter FROM d)", .function(name: "quarter", arguments: [d]))
        expectSyntaxError("SELECT extract(fortnight FROM d)", line: 1, column: 16, "unknown EXTRACT field")
        expectExpr("substring(s FROM 2 FOR 3)", .function(name: "substring", arguments: [s, int(2), int(3)]))
        expectExpr("substring(s FROM 2)", .function(name: "substring", arguments: [s, int(2)]))
        expectExpr("substring(s, 2, 3)", .function(name: "substring", arguments: [s, int(2), int(3)]))
        expectExpr("substr(s, 2)", .function(name: "substr", arguments: [s, int(2)]))
        expectExpr("trim(s)", .function(name: "trim", arguments: [s]))
        expectExpr("trim(BOTH FROM s)", .function(name: "trim", arguments: [s]))
        expectExpr("trim(FROM s)", .function(name: "trim", arguments: [s]))
        expectExpr("trim(both 'x' from s)", .function(name: "trim", arguments: [s, str("x")]))
        expectExpr("trim('x' FROM s)", .function(name: "trim", arguments: [s, str("x")]))
        expectExpr("trim(LEADING FROM s)", .function(name: "ltrim", arguments: [s]))
        expectExpr("trim(TRAILING 'x' FROM s)", .function(name: "rtrim", arguments: [s, str("x")]))
        // Spark's two-argument call is trim(trimStr, str): the tree keeps the string first.
        expectExpr("ltrim('x', s)", .function(name: "ltrim", arguments: [s, str("x")]))
        expectExpr("trim(trim(s))", .function(name: "trim", arguments: [.function(name: "trim", arguments: [s])]))
        expectExpr("trim(both)", .function(name: "trim", arguments: [col("both")]))
        expectSyntaxError("SELECT trim(LEADING 'x' s)", line: 1, column: 25, "expected FROM")
    }

    @Test func starOnlyInSelectListsAndCount() {
        expectSyntaxError("SELECT a FROM t WHERE * = 1", line: 1, column: 23, "'*' is only allowed")
        expectSyntaxError("SELECT upper(t.*)", line: 1, column: 16, "'t.*' is only allowed in a select list")
        #expect(throws: QueryError.self) { try SQLParser.parseExpression("*") }
    }

    /// `x [NOT] IN (SELECT …)` and `[NOT] EXISTS (SELECT …)` are subquery predicates, which the
    /// analyzer makes joins; NOT before EXISTS is a NOT around it.
    @Test func subqueryPredicates() throws {
        func condition(_ sql: String) throws -> Expr? {
            guard case .query(.projection(_, .filter(let condition, _))) = try SQLParser.parseStatement(sql) else { return nil }
            return condition
        }
        guard case .subquery(let inQuery) = try condition("SELECT a FROM t WHERE a IN (SELECT b FROM u)") else {
            Issue.record("IN (SELECT …) is not a subquery predicate"); return
        }
        #expect(inQuery.value == col("a") && !inQuery.negated)
        #expect(PlanComparison.same(inQuery.query, .projection([col("b")], input: .unresolvedRelation(TableName("u")))))
        guard case .binary(.subquery(let notIn), .and, _) = try condition("SELECT a FROM t WHERE a NOT IN (SELECT b FROM u) AND a > 1"),
              case .not(.subquery(let exists)) = try condition("SELECT a FROM t WHERE NOT EXISTS (SELECT 1)") else {
            Issue.record("NOT IN or NOT EXISTS did not parse as expected"); return
        }
        #expect(notIn.negated && notIn.value == col("a"))
        #expect(exists.value == nil && !exists.negated)
        expectSyntaxError("SELECT a FROM t WHERE EXISTS (1)", line: 1, column: 31, "a query after EXISTS")

        // A query in parentheses where a value goes is a scalar subquery.
        guard case .query(.projection(let items, _)) = try SQLParser.parseStatement("SELECT (SELECT max(b) FROM u) + 1 FROM t"),
              case .binary(.scalarSubquery(let scalar), .add, _) = items.first else {
            Issue.record("(SELECT …) is not a scalar subquery"); return
        }
        #expect(PlanComparison.same(scalar.query, .projection([.aggregate(.max, arguments: [col("b")], distinct: false)],
                                                              input: .aggregate(groupBy: [], aggregates: [], input: .unresolvedRelation(TableName("u"))))))
    }

    @Test(arguments: [
        ("SELECT a, row_number() OVER (ORDER BY a) FROM t", "window functions"),
        ("SELECT sum(a) OVER w FROM t", "window functions"),
        ("SELECT count(*) FILTER (WHERE a > 1) FROM t", "FILTER"),
        ("SELECT a FROM t WHERE a ILIKE 'x'", "ILIKE"),
        ("SELECT a FROM t WHERE a RLIKE 'x'", "RLIKE"),
        ("SELECT a FROM t WHERE a LIKE ANY ('x', 'y')", "LIKE ANY"),
        ("SELECT a FROM t WHERE a LIKE 'x!%' ESCAPE '!'", "ESCAPE"),
        ("SELECT a DIV 2 FROM t", "DIV"),
        ("SELECT (a, b) FROM t", "row values"),
        ("SELECT TRY_CAST(a AS INT) FROM t", "TRY_CAST"),
    ])
    func unsupportedExpressions(sql: String, message: String) {
        expectUnsupported(sql, message)
    }

    // MARK: Queries

    @Test func selectWithoutFrom() {
        expectQuery("SELECT 1", .projection([int(1)], input: .oneRow))
        expectQuery("SELECT 1 AS one, 'x' two", .projection([int(1).alias("one"), str("x").alias("two")], input: .oneRow))
    }

    @Test func selectStarAndQualifiedStar() {
        expectQuery("SELECT * FROM t", .projection([.star(qualifier: nil)], input: table("t")))
        expectQuery("SELECT t.*, u.a FROM t", .projection([.star(qualifier: "t"), col("a", "u")], input: table("t")))
        expectQuery("SELECT `my t`.* FROM t", .projection([.star(qualifier: "my t")], input: table("t")))
        expectQuery("SELECT db.t.* FROM db.t", .projection([.star(qualifier: "db.t")], input: table("db.t")))
    }

    @Test func aliases() {
        expectQuery("SELECT a AS x, b y, c AS `z z`, d `w`, e AS date, f year FROM t",
                    .projection([col("a").alias("x"), col("b").alias("y"), col("c").alias("z z"), col("d").alias("w"),
                                 col("e").alias("date"), col("f").alias("year")], input: table("t")))
    }

    @Test func whereGroupByHaving() {
        expectQuery("SELECT a, count(*) AS n FROM t WHERE b > 1 GROUP BY a HAVING count(*) > 2",
                    .projection([col("a"), Expr.aggregate(.count, arguments: [], distinct: false).alias("n")],
                                input: .filter(bin(.aggregate(.count, arguments: [], distinct: false), .greater, int(2)),
                                               input: .aggregate(groupBy: [col("a")], aggregates: [],
                                                                 input: .filter(bin(col("b"), .greater, int(1)), input: table("t"))))))
    }

    @Test func groupByKeepsOrdinalsAliasesAndExpressions() {
        expectQuery("SELECT a + 1 AS k, b FROM t GROUP BY 1, b, k, a % 2",
                    .projection([bin(col("a"), .add, int(1)).alias("k"), col("b")],
                                input: .aggregate(groupBy: [int(1), col("b"), col("k"), bin(col("a"), .modulo, int(2))], aggregates: [],
                                                  input: table("t"))))
    }

    @Test func aggregateWithoutGroupByAndHavingAlone() {
        expectQuery("SELECT max(a) FROM t", .projection([agg(.max, col("a"))], input: .aggregate(groupBy: [], aggregates: [], input: table("t"))))
        // Spark reads HAVING without GROUP BY as a global aggregate.
        expectQuery("SELECT 1 HAVING true",
                    .projection([int(1)], input: .filter(.literal(.boolean(true)), input: .aggregate(groupBy: [], aggregates: [], input: .oneRow))))
        expectQuery("SELECT a FROM t", .projection([col("a")], input: table("t")))
    }

    @Test func distinctOrderByLimitOffset() {
        expectQuery("SELECT DISTINCT a FROM t ORDER BY a DESC NULLS FIRST, 2, b ASC NULLS LAST, c LIMIT 10 OFFSET 5",
                    .limit(10, offset: 5, input: .sort([SortKey(col("a"), ascending: false, nullsFirst: true), SortKey(int(2)),
                                                        SortKey(col("b"), ascending: true, nullsFirst: false), SortKey(col("c"))],
                                                       input: .distinct(.projection([col("a")], input: table("t"))))))
        expectQuery("SELECT ALL a FROM t LIMIT 0", .limit(0, offset: 0, input: .projection([col("a")], input: table("t"))))
        expectQuery("SELECT a FROM t OFFSET 3", .limit(Int.max, offset: 3, input: .projection([col("a")], input: table("t"))))
        expectQuery("SELECT a FROM t LIMIT ALL", .projection([col("a")], input: table("t")))
        let desc = SortKey(col("a"), ascending: false)
        #expect(!desc.nullsFirst)
    }

    @Test func limitMustBeANonNegativeInteger() {
        expectSyntaxError("SELECT a FROM t LIMIT -1", line: 1, column: 23, "LIMIT must not be negative")
        expectSyntaxError("SELECT a FROM t LIMIT 1.5", line: 1, column: 23, "expected a non-negative integer after LIMIT but found '1.5'")
        expectSyntaxError("SELECT a FROM t LIMIT x", line: 1, column: 23, "expected a non-negative integer after LIMIT")
        expectSyntaxError("SELECT a FROM t LIMIT 99999999999999999999", line: 1, column: 23, "too large")
    }

    @Test func unions() {
        let one = LogicalPlan.projection([int(1)], input: .oneRow)
        let two = LogicalPlan.projection([int(2)], input: .oneRow)
        let three = LogicalPlan.projection([int(3)], input: .oneRow)
        expectQuery("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3", .unionAll([one, two, three]))
        expectQuery("SELECT 1 UNION SELECT 2", .distinct(.unionAll([one, two])))
        expectQuery("SELECT 1 UNION DISTINCT SELECT 2 UNION SELECT 3", .distinct(.unionAll([one, two, three])))
        expectQuery("SELECT 1 UNION SELECT 2 UNION ALL SELECT 3", .unionAll([.distinct(.unionAll([one, two])), three]))
        expectQuery("SELECT 1 UNION ALL SELECT 2 UNION SELECT 3", .distinct(.unionAll([one, two, three])))
        expectQuery("SELECT 1 UNION ALL SELECT 2 ORDER BY 1 LIMIT 1",
                    .limit(1, offset: 0, input: .sort([SortKey(int(1))], input: .unionAll([one, two]))))
        expectQuery("(SELECT 1 LIMIT 1) UNION ALL (SELECT 2)", .unionAll([.limit(1, offset: 0, input: one), two]))
        expectQuery("((SELECT 1))", one)
    }

    @Test(arguments: [
        ("SELECT 1 INTERSECT SELECT 2", "INTERSECT"),
        ("SELECT 1 EXCEPT SELECT 2", "EXCEPT"),
        ("SELECT 1 MINUS SELECT 2", "EXCEPT"),
        ("SELECT a FROM t INTERSECT SELECT a FROM u", "INTERSECT"),
    ])
    func setOperationsOtherThanUnion(sql: String, message: String) {
        expectUnsupported(sql, message)
    }

    @Test func tableReferences() {
        let star = [Expr.star(qualifier: nil)]
        expectQuery("SELECT * FROM db.lineitem", .projection(star, input: table("db.lineitem")))
        expectQuery("SELECT * FROM parquet.`/data/x.parquet`",
                    .projection(star, input: .unresolvedRelation(TableName("/data/x.parquet", format: "parquet"))))
        expectQuery("SELECT * FROM CSV.`data/x.csv` AS x",
                    .projection(star, input: .subqueryAlias("x", input: .unresolvedRelation(TableName("data/x.csv", format: "csv")))))
        expectQuery("SELECT * FROM json.`x.json` j",
                    .projection(star, input: .subqueryAlias("j", input: .unresolvedRelation(TableName("x.json", format: "json")))))
        // Only a known format before a backquoted name makes a path.
        expectQuery("SELECT * FROM db.`my table`", .projection(star, input: table("db.my table")))
        expectQuery("SELECT * FROM `my table` t", .projection(star, input: .subqueryAlias("t", input: table("my table"))))
        expectQuery("SELECT x.a FROM (SELECT a FROM t) AS x",
                    .projection([col("a", "x")], input: .subqueryAlias("x", input: .projection([col("a")], input: table("t")))))
        expectQuery("SELECT a FROM (SELECT a FROM t)", .projection([col("a")], input: .projection([col("a")], input: table("t"))))
        expectQuery("SELECT a FROM (t) u", .projection([col("a")], input: .subqueryAlias("u", input: table("t"))))
    }

    @Test func joins() {
        let star = [Expr.star(qualifier: nil)]
        let a = table("a"), b = table("b"), c = table("c")
        let onX = Expr.binary(col("x", "a"), .equal, col("x", "b"))
        expectQuery("SELECT * FROM a, b", .projection(star, input: .join(left: a, right: b, JoinSpec(type: .cross))))
        expectQuery("SELECT * FROM a JOIN b ON a.x = b.x", .projection(star, input: .join(left: a, right: b, JoinSpec(type: .inner, condition: onX))))
        expectQuery("SELECT * FROM a INNER JOIN b USING (x, y)",
                    .projection(star, input: .join(left: a, right: b, JoinSpec(type: .inner, using: ["x", "y"]))))
        for (text, type) in [("LEFT", JoinType.leftOuter), ("LEFT OUTER", .leftOuter), ("RIGHT", .rightOuter), ("RIGHT OUTER", .rightOuter),
                             ("FULL", .fullOuter), ("FULL OUTER", .fullOuter), ("LEFT SEMI", .leftSemi), ("SEMI", .leftSemi),
                             ("LEFT ANTI", .leftAnti), ("ANTI", .leftAnti)] {
            expectQuery("SELECT * FROM a \(text) JOIN b ON a.x = b.x",
                        .projection(star, input: .join(left: a, right: b, JoinSpec(type: type, condition: onX))))
        }
        expectQuery("SELECT * FROM a CROSS JOIN b", .projection(star, input: .join(left: a, right: b, JoinSpec(type: .cross))))
        // Left-associative: (a JOIN b) JOIN c; parentheses group.
        expectQuery("SELECT * FROM a JOIN b ON true JOIN c ON false",
                    .projection(star, input: .join(left: .join(left: a, right: b, JoinSpec(type: .inner, condition: .literal(.boolean(true)))),
                                                   right: c, JoinSpec(type: .inner, condition: .literal(.boolean(false))))))
        expectQuery("SELECT * FROM a, (b CROSS JOIN c)",
                    .projection(star, input: .join(left: a, right: .join(left: b, right: c, JoinSpec(type: .cross)), JoinSpec(type: .cross))))
        expectQuery("SELECT * FROM a x LEFT JOIN b y ON true",
                    .projection(star, input: .join(left: .subqueryAlias("x", input: a), right: .subqueryAlias("y", input: b),
                                                   JoinSpec(type: .leftOuter, condition: .literal(.boolean(true))))))
    }

    @Test func joinHintsWrapTheRelationsTheyName() {
        let star = [Expr.star(qualifier: nil)]
        let a = table("a"), b = table("b")
        expectQuery("SELECT /*+ BROADCAST(b) */ * FROM a JOIN b ON true",
                    .projection(star, input: .join(left: a, right: .hint(.broadcast, input: b), JoinSpec(type: .inner, condition: .literal(.boolean(true))))))
        expectQuery("SELECT /*+ MAPJOIN(x), SHUFFLE_HASH(b) */ * FROM a x, b",
                    .projection(star, input: .join(left: .hint(.broadcast, input: .subqueryAlias("x", input: a)), right: .hint(.shuffleHash, input: b),
                                                   JoinSpec(type: .cross))))
        // Unknown hints are ignored, as Spark does.
        expectQuery("SELECT /*+ REPARTITION(3) */ * FROM a", .projection(star, input: a))
    }

    @Test func joinsNeedAConditionUnlessInnerOrCross() {
        expectSyntaxError("SELECT * FROM a LEFT JOIN b", line: 1, column: 28, "ON or USING")
    }

    /// A NATURAL join is inner or outer, and takes no ON or USING, as in Spark.
    @Test func naturalJoins() {
        let star = [Expr.star(qualifier: nil)]
        let a = table("a"), b = table("b")
        expectQuery("SELECT * FROM a NATURAL JOIN b", .projection(star, input: .join(left: a, right: b, JoinSpec(type: .inner, isNatural: true))))
        expectQuery("SELECT * FROM a NATURAL FULL OUTER JOIN b",
                    .projection(star, input: .join(left: a, right: b, JoinSpec(type: .fullOuter, isNatural: true))))
        expectSyntaxError("SELECT * FROM a NATURAL JOIN b USING (k)", line: 1, column: 32, "no ON or USING")
        expectSyntaxError("SELECT * FROM a NATURAL b", line: 1, column: 25, "JOIN after NATURAL")
        expectUnsupported("SELECT * FROM a NATURAL CROSS JOIN b", "NATURAL CROSS JOIN")
        expectUnsupported("SELECT * FROM a NATURAL LEFT ANTI JOIN b", "NATURAL semi and anti joins")
    }

    /// VALUES lists, as Spark reads them: columns col1, col2…, a UNION ALL of one-row projections,
    /// renamed by a column alias list.
    @Test func valuesLists() {
        func row(_ values: [Expr]) -> LogicalPlan {
            .projection(values.enumerated().map { .alias($1, name: "col\($0 + 1)") }, input: .oneRow)
        }
        expectQuery("VALUES (1, 'a'), (2, 'b')", .unionAll([row([.literal(.int32(1)), .lit("a")]), row([.literal(.int32(2)), .lit("b")])]))
        expectQuery("VALUES 7", row([.literal(.int32(7))]))
        expectQuery("SELECT * FROM VALUES (1, 2) AS t(a, b)",
                    .projection([.star(qualifier: nil)], input: .subqueryAlias("t", input: .columnAliases(
                        ["a", "b"], input: row([.literal(.int32(1)), .literal(.int32(2))])))))
        expectSyntaxError("VALUES (1, 2), (3)", line: 1, column: 16, "needs 2 values")
    }

    /// `AS t(a, b)` after a table, a subquery or a VALUES list, and `WITH t(a, b) AS (…)`, name
    /// the relation's columns in order; the analyzer checks the count once it knows the columns.
    @Test func columnAliasLists() {
        let one = LogicalPlan.projection([int(1)], input: .oneRow)
        expectQuery("SELECT * FROM (SELECT 1) AS t(a)",
                    .projection([.star(qualifier: nil)], input: .subqueryAlias("t", input: .columnAliases(["a"], input: one))))
        expectQuery("SELECT a FROM t x(a, b)",
                    .projection([col("a")], input: .subqueryAlias("x", input: .columnAliases(["a", "b"], input: .unresolvedRelation(TableName("t"))))))
        expectQuery("WITH r(x) AS (SELECT 1) SELECT * FROM r",
                    .projection([.star(qualifier: nil)], input: .subqueryAlias("r", input: .columnAliases(["x"], input: one))))
        expectSyntaxError("SELECT * FROM t AS x()", line: 1, column: 22, "column name")
    }

    @Test func otherUnsupportedQueries() {
        expectUnsupported("SELECT * FROM range(10)", "table-valued functions")
        expectUnsupported("SELECT * FROM t LATERAL VIEW explode(a) x", "LATERAL")
        expectUnsupported("SELECT a FROM t GROUP BY ROLLUP(a)", "ROLLUP")
        expectUnsupported("SELECT a FROM t GROUP BY GROUPING SETS ((a))", "GROUPING SETS")
        expectUnsupported("SELECT a FROM t GROUP BY a WITH CUBE", "WITH CUBE")
        expectUnsupported("SELECT a FROM t GROUP BY ALL", "GROUP BY ALL")
        expectUnsupported("SELECT a FROM t SORT BY a", "SORT BY")
        expectUnsupported("SELECT a FROM t CLUSTER BY a", "CLUSTER BY")
        expectUnsupported("SELECT a, sum(b) OVER w FROM t WINDOW w AS (PARTITION BY a)", "window functions")
        expectUnsupported("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", "RECURSIVE")
        expectUnsupported("SHOW TABLES", "SHOW statements")
        expectUnsupported("INSERT INTO t VALUES (1)", "INSERT statements")
    }

    // MARK: WITH

    @Test func withQueriesAreSubstituted() {
        let x = LogicalPlan.projection([int(1).alias("a")], input: .oneRow)
        expectQuery("WITH x AS (SELECT 1 AS a) SELECT a FROM x",
                    .projection([col("a")], input: .subqueryAlias("x", input: x)))
        // A later WITH query sees earlier ones; AS is optional; names match case-insensitively.
        let y = LogicalPlan.projection([bin(col("a"), .add, int(1)).alias("b")], input: .subqueryAlias("x", input: x))
        expectQuery("WITH x AS (SELECT 1 AS a), y (SELECT a + 1 AS b FROM X) SELECT * FROM y z",
                    .projection([.star(qualifier: nil)], input: .subqueryAlias("z", input: .subqueryAlias("y", input: y))))
        // A qualified name or a path is never a WITH query.
        expectQuery("WITH x AS (SELECT 1 AS a) SELECT * FROM db.x",
                    .projection([.star(qualifier: nil)], input: table("db.x")))
        // Inside its own definition a name means the outer table.
        expectQuery("WITH t AS (SELECT a FROM t) SELECT a FROM t",
                    .projection([col("a")], input: .subqueryAlias("t", input: .projection([col("a")], input: table("t")))))
        // Subqueries and union members see the WITH queries.
        expectQuery("WITH x AS (SELECT 1 AS a) SELECT a FROM (SELECT a FROM x) UNION ALL SELECT a FROM x",
                    .unionAll([.projection([col("a")], input: .projection([col("a")], input: .subqueryAlias("x", input: x))),
                               .projection([col("a")], input: .subqueryAlias("x", input: x))]))
    }

    @Test func innerWithShadowsOuterAndEndsWithItsQuery() {
        let outer = LogicalPlan.projection([int(1).alias("a")], input: .oneRow)
        let inner = LogicalPlan.projection([int(2).alias("a")], input: .oneRow)
        expectQuery("WITH x AS (SELECT 1 AS a) SELECT * FROM (WITH x AS (SELECT 2 AS a) SELECT a FROM x) UNION ALL SELECT a FROM x",
                    .unionAll([.projection([.star(qualifier: nil)], input: .projection([col("a")], input: .subqueryAlias("x", input: inner))),
                               .projection([col("a")], input: .subqueryAlias("x", input: outer))]))
        // A WITH inside a subquery is gone after it.
        expectQuery("SELECT * FROM (WITH x AS (SELECT 2 AS a) SELECT a FROM x) UNION ALL SELECT a FROM x",
                    .unionAll([.projection([.star(qualifier: nil)], input: .projection([col("a")], input: .subqueryAlias("x", input: inner))),
                               .projection([col("a")], input: table("x"))]))
    }

    @Test func withNameTwiceIsAnError() {
        expectSyntaxError("WITH x AS (SELECT 1), X AS (SELECT 2) SELECT * FROM x", line: 1, column: 23, "WITH query 'X' is defined twice")
    }

    // MARK: Statements

    @Test func severalStatements() throws {
        let statements = try SQLParser.parseStatements(";; SET a.b = 1 ;\nSELECT 1;;\n -- done\n SELECT 2;")
        #expect(statements.count == 3)
        #expect(PlanComparison.same(statements[0], .set(key: "a.b", value: "1")))
        #expect(PlanComparison.same(statements[1], .query(.projection([int(1)], input: .oneRow))))
        #expect(PlanComparison.same(statements[2], .query(.projection([int(2)], input: .oneRow))))
        #expect(try SQLParser.parseStatements("").isEmpty)
        #expect(try SQLParser.parseStatements(" ; -- nothing\n;").isEmpty)
    }

    @Test func parseStatementWantsExactlyOne() {
        expectStatement("SELECT 1;", .query(.projection([int(1)], input: .oneRow)))
        let cases = [
            ("SELECT 1; SELECT 2", "expected one statement, but another follows @1:11"),
            ("", "unexpected end of input; expected a statement (SELECT, WITH, EXPLAIN, CREATE TEMP VIEW, DROP VIEW or SET) @1:1"),
            (";", "expected a statement (SELECT, WITH, EXPLAIN, CREATE TEMP VIEW, DROP VIEW or SET) but found ';' @1:1"),
        ]
        for (sql, expected) in cases {
            do {
                _ = try SQLParser.parseStatement(sql)
                Issue.record("no error for '\(sql)'")
            } catch {
                guard case .syntax(let message, let line, let column) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect("\(message) @\(line):\(column)" == expected)
            }
        }
    }

    @Test func explain() {
        let query = Statement.query(.projection([col("a")], input: table("t")))
        expectStatement("EXPLAIN SELECT a FROM t", .explain(.simple, query))
        expectStatement("EXPLAIN EXTENDED SELECT a FROM t", .explain(.extended, query))
        expectStatement("explain logical SELECT a FROM t", .explain(.extended, query))
        expectStatement("EXPLAIN FORMATTED SELECT a FROM t", .explain(.formatted, query))
        expectUnsupported("EXPLAIN CODEGEN SELECT 1", "CODEGEN")
    }

    @Test func createAndDropViews() {
        let query = LogicalPlan.projection([col("a")], input: table("t"))
        expectStatement("CREATE TEMP VIEW v AS SELECT a FROM t", .createTempView(name: "v", replace: false, query: query))
        expectStatement("CREATE OR REPLACE TEMPORARY VIEW v AS SELECT a FROM t", .createTempView(name: "v", replace: true, query: query))
        expectStatement("create or replace global temp view `my v` as (select a from t)", .createTempView(name: "my v", replace: true, query: query))
        expectStatement("CREATE TEMP VIEW v AS WITH w AS (SELECT a FROM t) SELECT a FROM w",
                        .createTempView(name: "v", replace: false, query: .projection([col("a")], input: .subqueryAlias("w", input: query))))
        expectStatement("CREATE OR REPLACE TEMP VIEW li USING parquet OPTIONS (path '/data/lineitem.parquet')",
                        .createTempView(name: "li", replace: true,
                                        query: .projection([.star(qualifier: nil)],
                                                           input: .unresolvedRelation(TableName("/data/lineitem.parquet", format: "parquet")))))
        expectStatement("CREATE TEMP VIEW c USING CSV OPTIONS ('path' = 'x.csv')",
                        .createTempView(name: "c", replace: false,
                                        query: .projection([.star(qualifier: nil)], input: .unresolvedRelation(TableName("x.csv", format: "csv")))))
        expectUnsupported("CREATE TEMP VIEW c USING csv OPTIONS (path 'x.csv', header 'true')", "option 'header'")
        expectSyntaxError("CREATE TEMP VIEW c USING parquet", line: 1, column: 26, "needs OPTIONS (path")
        expectUnsupported("CREATE VIEW v AS SELECT 1", "persistent views")
        expectUnsupported("CREATE TABLE v AS SELECT 1", "CREATE TABLE")
        expectStatement("DROP VIEW v", .dropView(name: "v", ifExists: false))
        expectStatement("DROP VIEW IF EXISTS global_temp.v", .dropView(name: "global_temp.v", ifExists: true))
    }

    @Test(arguments: [
        ("SET", nil, nil),
        ("SET  ;", nil, nil),
        ("SET spark.sql.shuffle.partitions", "spark.sql.shuffle.partitions", nil),
        ("SET spark.sql.shuffle.partitions=8", "spark.sql.shuffle.partitions", "8"),
        ("set spark.sql.shuffle.partitions = 8 ;", "spark.sql.shuffle.partitions", "8"),
        ("SET spark.sql.session.timeZone = America/New_York", "spark.sql.session.timeZone", "America/New_York"),
        ("SET x.y = 'a b' ", "x.y", "'a b'"),
        ("SET x.y = 10MB & more", "x.y", "10MB & more"),
        ("SET x=", "x", ""),
        ("SET -v", "-v", nil),
    ] as [(String, String?, String?)])
    func set(sql: String, key: String?, value: String?) {
        expectStatement(sql, .set(key: key, value: value))
    }

    @Test func setStopsAtSemicolon() throws {
        let statements = try SQLParser.parseStatements("SET a=1; SELECT 2")
        #expect(statements.count == 2)
        #expect(PlanComparison.same(statements[0], .set(key: "a", value: "1")))
        expectSyntaxError("SET a b = 1", line: 1, column: 5, "expected a configuration key")
    }

    @Test func parseExpressionIsTheWholeText() {
        expectExpr("l_shipdate <= DATE '1998-09-02' AND l_returnflag = 'R'",
                   bin(bin(col("l_shipdate"), .lessOrEqual, .literal(.date(10471))), .and, bin(col("l_returnflag"), .equal, str("R"))))
        #expect(throws: QueryError.self) { try SQLParser.parseExpression("a = 1 b") }
        #expect(throws: QueryError.self) { try SQLParser.parseExpression("a = 1;") }
        #expect(throws: QueryError.self) { try SQLParser.parseExpression("") }
    }

    // MARK: Errors

    @Test func errorsPointAtTheOffendingToken() {
        expectSyntaxError("SELECT a, b\nFORM t", line: 2, column: 1, "expected FROM but found 'FORM'")
        expectSyntaxError("SELECT *\nFORM t", line: 2, column: 1, "(did you mean FROM?)")
        expectSyntaxError("SELECT a FROM t\n  WHRE a > 1", line: 2, column: 3, "expected WHERE but found 'WHRE'")
        expectSyntaxError("SELECT a FROM t ORDER a", line: 1, column: 23, "expected BY but found 'a'")
        expectSyntaxError("SELECT a +", line: 1, column: 11, "unexpected end of input; expected an expression")
        expectSyntaxError("SELECT a FROM", line: 1, column: 14, "unexpected end of input; expected a table name or a subquery")
        expectSyntaxError("SELECT (a + 1 FROM t", line: 1, column: 15, "expected ')' but found 'FROM'")
        expectSyntaxError("SELECT a, FROM t", line: 1, column: 11, "expected an expression but found 'FROM'")
        expectSyntaxError("SELEC a", line: 1, column: 1, "expected a statement")
        expectSyntaxError("SELECT a FROM t WHERE", line: 1, column: 22, "unexpected end of input; expected an expression")
        expectSyntaxError("SELECT CASE WHEN a THEN 1 FROM t", line: 1, column: 27, "expected END but found 'FROM'")
        expectSyntaxError("SELECT a FROM t WHERE a IN 1", line: 1, column: 28, "expected '(' after IN")
        expectSyntaxError("SELECT a IS 1", line: 1, column: 13, "after IS")
        expectSyntaxError("SELECT 1 2", line: 1, column: 10, "expected ';' or end of input but found '2'")
        expectSyntaxError("SELECT a\n  FROM t\n  WHERE b = 'x", line: 3, column: 13, "unterminated string literal")
        expectSyntaxError("SELECT 1 /* never closed", line: 1, column: 10, "unterminated comment")
        expectSyntaxError("SELECT a & b", line: 1, column: 10, "found '&'")
        expectSyntaxError("SELECT é€ FROM t WHERE x = ?", line: 1, column: 28, "found '?'")
    }

    @Test func reservedWordsNeedBackquotes() {
        expectSyntaxError("SELECT select FROM t", line: 1, column: 8, "reserved word")
        expectSyntaxError("SELECT a FROM order", line: 1, column: 15, "'order', a reserved word")
        expectSyntaxError("SELECT a AS from FROM t", line: 1, column: 13, "reserved word")
        expectQuery("SELECT `select` AS `from` FROM `order`",
                    .projection([col("select").alias("from")], input: table("order")))
    }

    @Test func everyErrorIsAQueryErrorOnFuzzedQ1() {
        var generator = SplitMix64(seed: 0x5EED)
        let text = Array(Self.q1Spec.unicodeScalars)
        let pieces: [String] = ["'", "\"", "`", "(", ")", "-", "--", "/*", "*/", "*", ";", ".", ",", "e", "1", "1.", "\\",
                                "::", "<=>", "NOT", " AND ", " IN ", " SELECT ", " FROM ", "CASE", "END", "interval", "day",
                                "DATE", "0x", "é", "\n", " ", "BD", "L", "!", "|", "||", "=", "X'", "r'"]
        var inputs: [String] = []
        for length in stride(from: 0, through: text.count, by: 3) {
            inputs.append(String(String.UnicodeScalarView(text[..<length])))
        }
        for _ in 0..<400 {
            var mutated = text
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let position = Int(generator.next() % UInt64(mutated.count))
                switch generator.next() % 3 {
                case 0: mutated.remove(at: position)
                case 1: mutated.insert(contentsOf: pieces[Int(generator.next() % UInt64(pieces.count))].unicodeScalars, at: position)
                default: mutated[position] = pieces[Int(generator.next() % UInt64(pieces.count))].unicodeScalars.first!
                }
            }
            inputs.append(String(String.UnicodeScalarView(mutated)))
        }
        var failures = 0
        for input in inputs {
            let lines = input.split(separator: "\n", omittingEmptySubsequences: false)
            do {
                _ = try SQLParser.parseStatements(input)
            } catch {
                // The typed throw already guarantees a QueryError; a syntax error must point into the text.
                if case .syntax(_, let line, let column) = error {
                    let inside = line >= 1 && line <= lines.count && column >= 1 && column <= lines[line - 1].unicodeScalars.count + 1
                    if !inside {
                        failures += 1
                        Issue.record("error \(error) points outside of:\n\(input)")
                    }
                }
            }
        }
        #expect(failures == 0)
        #expect(inputs.count > 500)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let parentheses = "SELECT " + String(repeating: "(", count: 100_000) + "1"
        #expect(throws: QueryError.self) { try SQLParser.parseStatements(parentheses) }
        let minuses = "SELECT " + String(repeating: "- ", count: 100_000) + "a"
        #expect(throws: QueryError.self) { try SQLParser.parseStatements(minuses) }
        let nots = "SELECT " + String(repeating: "NOT ", count: 100_000) + "a"
        #expect(throws: QueryError.self) { try SQLParser.parseStatements(nots) }
        let subqueries = String(repeating: "SELECT * FROM (", count: 10_000) + "SELECT 1"
        #expect(throws: QueryError.self) { try SQLParser.parseStatements(subqueries) }
        let chain = "SELECT " + Array(repeating: "a", count: 100_000).joined(separator: " + ")
        #expect(throws: QueryError.self) { try SQLParser.parseStatements(chain) }
        // Chains within chains: each is short, the tree is deep.
        let chunk = Array(repeating: "a", count: 20).joined(separator: " + ") + ")"
        let nestedChains = "SELECT " + String(repeating: "(", count: 100) + Array(repeating: chunk, count: 100).joined(separator: " + ")
        #expect {
            try SQLParser.parseStatements(nestedChains)
        } throws: { error in
            guard case .syntax(let message, 1, _) = error as? QueryError else { return false }
            return message.contains("nested more than 1000 levels deep")
        }
    }

    @Test func longButReasonableExpressionsParse() throws {
        let ors = "SELECT * FROM t WHERE " + (0..<20_000).map { "a = \($0)" }.joined(separator: " OR ")
        let statements = try SQLParser.parseStatements(ors)
        guard case .query(.projection(_, .filter(let predicate, _))) = statements[0] else {
            Issue.record("not a filter")
            return
        }
        #expect(SQLParser.treeDepth(predicate) == 17) // 15 levels of OR for 20,000 terms, then = and its operands
        let sum = "SELECT " + Array(repeating: "a", count: 900).joined(separator: " + ")
        #expect(try SQLParser.parseStatements(sum).count == 1)
        let nested = "SELECT " + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        expectQuery(nested, .projection([int(1)], input: .oneRow))
    }
}

/// A small deterministic generator for the fuzz test (Vigna's SplitMix64).
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
