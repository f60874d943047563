import Foundation
import Query
import Testing
@testable import Execution
@testable import Sparrow

/// DISTINCT aggregates beside other aggregates or over several arguments, over
/// Fixtures/sql/data/lineitem.parquet (20,060 rows, about 0.9 MB as the planner estimates the
/// columns read): one complete aggregation when the input is estimated at under a quarter of the
/// memory budget, Spark's spillable plan (grouped by the keys and the values, expanded first for
/// several arguments, merged, regrouped) otherwise. Both give DuckDB's answers
/// over the same file, quoted with each query (`l` is a view of the file).
struct DistinctAggregatePlanTests {
    static let cases: [(query: String, expected: [String])] = [
        // [('A', 1816, Decimal('124128.00'), 4876, datetime.date(1995, 6, 12)),
        //  ('N', 1989, Decimal('266030.00'), 10366, datetime.date(1998, 11, 27)),
        //  ('R', 1812, Decimal('123200.00'), 4818, datetime.date(1995, 6, 11))]
        ("SELECT l_returnflag, count(DISTINCT l_partkey) AS p, sum(l_quantity) AS q, count(*) AS n, max(l_shipdate) AS d FROM l GROUP BY 1 ORDER BY 1",
         ["A|1816|124128.00|4876|1995-06-12", "N|1989|266030.00|10366|1998-11-27", "R|1812|123200.00|4818|1995-06-11"]),
        // [(100, 5050, 35932.794094217345, ' Tiresias ')]: avg of DECIMAL(15,2) is Spark's DECIMAL(19,6).
        ("SELECT count(DISTINCT l_suppkey), sum(DISTINCT l_suppkey), avg(l_extendedprice), min(l_comment) FROM l",
         ["100|5050|35932.794094| Tiresias "]),
        // Several distinct arguments beside others, expanded:
        // [('A', 1816, 100, 28, Decimal('124128.00'), 4876, datetime.date(1995, 6, 12)),
        //  ('N', 1989, 100, 28, Decimal('266030.00'), 10366, datetime.date(1998, 11, 27)),
        //  ('R', 1812, 100, 28, Decimal('123200.00'), 4818, datetime.date(1995, 6, 11))]
        ("SELECT l_returnflag, count(DISTINCT l_partkey) AS p, count(DISTINCT l_suppkey) AS s, sum(DISTINCT l_linenumber) AS ln, "
            + "sum(l_quantity) AS q, count(*) AS n, max(l_shipdate) AS d FROM l GROUP BY 1 ORDER BY 1",
         ["A|1816|100|28|124128.00|4876|1995-06-12", "N|1989|100|28|266030.00|10366|1998-11-27",
          "R|1812|100|28|123200.00|4818|1995-06-11"]),
        // Several distinct arguments alone, one of them NULL in all of group 7:
        // [(1, 100, 3, 25.5), (2, 100, 3, 25.5), …, (6, 100, 3, 25.5), (7, 0, 3, 25.5)]
        ("SELECT l_linenumber, count(DISTINCT CASE WHEN l_linenumber = 7 THEN NULL ELSE l_suppkey END) AS s, "
            + "count(DISTINCT l_returnflag) AS f, avg(DISTINCT l_quantity) AS aq FROM l GROUP BY 1 ORDER BY 1",
         (1...6).map { "\($0)|100|3|25.500000" } + ["7|0|3|25.500000"]),
        // [(2000, 5000, 20060, ' Tiresias ')]
        ("SELECT count(DISTINCT l_partkey), count(DISTINCT l_orderkey), count(*), min(l_comment) FROM l",
         ["2000|5000|20060| Tiresias "]),
    ]

    /// count(a, b) counts rows where both are non-NULL, count(DISTINCT a, b) such distinct pairs,
    /// as in Spark; the DISTINCT form has no complete-mode plan and always groups the pairs.
    /// DuckDB (which writes them as subqueries): select count(*) from (select distinct l_partkey,
    /// l_suppkey from l) → 7351; per l_returnflag, the distinct (l_partkey, l_suppkey) pairs, the
    /// rows with l_quantity > 40, the distinct (l_orderkey when l_linenumber < 3, l_linestatus)
    /// pairs without NULLs, and sum(l_quantity):
    /// [('A', 3647, 991, 1756, 124128.00), ('N', 5806, 2086, 2633, 266030.00), ('R', 3637, 957, 1756, 123200.00)]
    @Test(arguments: [nil, "64m", "1m"])
    func countOverSeveralArguments(limit: String?) throws {
        let session = Session(threads: 2)
        try session.read.parquet(JoinTests.data + "/lineitem.parquet").createOrReplaceTempView("l")
        if let limit { try session.setConf("sparrow.memory.limit", limit) }
        let whole = try session.sql("SELECT count(DISTINCT l_partkey, l_suppkey) FROM l")
        #expect(try DataFrameTests().rows(whole) == ["7351"])
        #expect(try whole.columns == ["count(DISTINCT l_partkey, l_suppkey)"])
        let grouped = try session.sql(
            "SELECT l_returnflag, count(DISTINCT l_partkey, l_suppkey) AS ps, count(l_partkey, CASE WHEN l_quantity > 40 THEN 1 END) AS big, "
                + "count(DISTINCT CASE WHEN l_linenumber < 3 THEN l_orderkey END, l_linestatus) AS o, sum(l_quantity) AS q FROM l GROUP BY 1 ORDER BY 1")
        #expect(try DataFrameTests().rows(grouped) == ["A|3647|991|1756|124128.00", "N|5806|2086|2633|266030.00", "R|3637|957|1756|123200.00"])
        for frame in [whole, grouped] {
            let modes = try modes(frame)
            #expect(modes.contains(.merge) && !modes.contains(.complete), "\(modes)")
        }
        #expect(throws: QueryError.self) { try session.sql("SELECT sum(l_partkey, l_suppkey) FROM l").collect() }
    }

    /// The aggregation modes of a query's physical plan, top down.
    func modes(_ frame: DataFrame) throws -> [GroupedAggregator.Mode] {
        try frame.queryExecution().operators(HashAggregateExec.self).map(\.mode)
    }

    @Test(arguments: [(nil, false), ("64m", false), ("1m", true)])
    func planFollowsTheBudgetAndAnswersAlike(limit: String?, spillable: Bool) throws {
        let session = Session(threads: 2)
        try session.read.parquet(JoinTests.data + "/lineitem.parquet").createOrReplaceTempView("l")
        if let limit { try session.setConf("sparrow.memory.limit", limit) }
        for (query, expected) in Self.cases {
            let frame = try session.sql(query)
            #expect(try DataFrameTests().rows(frame) == expected, "\(query)")
            let modes = try modes(frame)
            #expect(modes.contains(.merge) == spillable && modes.contains(.complete) == !spillable, "\(query): \(modes)")
        }
    }
}
