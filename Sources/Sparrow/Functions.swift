import Columnar
import Query

// The column functions of the DataFrame API, named as in Spark's `functions` object.

public func col(_ name: String) -> Expr { .col(name) }
public func lit(_ value: Int) -> Expr { .literal(Int32(exactly: value).map { .int32($0) } ?? .int64(Int64(value))) }
public func lit(_ value: Double) -> Expr { .literal(.double(value)) }
public func lit(_ value: String) -> Expr { .literal(.string(value)) }
public func lit(_ value: Bool) -> Expr { .literal(.boolean(value)) }
/// A SQL expression parsed: `expr("l_extendedprice * (1 - l_discount)")`.
public func expr(_ sql: String) throws -> Expr { try SQLParser.parseExpression(sql) }

public func count(_ e: Expr) -> Expr { .aggregate(.count, arguments: [e], distinct: false) }
/// `count(*)`.
public func countAll() -> Expr { .aggregate(.count, arguments: [], distinct: false) }
public func countDistinct(_ e: Expr) -> Expr { .aggregate(.count, arguments: [e], distinct: true) }
public func sum(_ e: Expr) -> Expr { .aggregate(.sum, arguments: [e], distinct: false) }
public func avg(_ e: Expr) -> Expr { .aggregate(.avg, arguments: [e], distinct: false) }
public func min(_ e: Expr) -> Expr { .aggregate(.min, arguments: [e], distinct: false) }
public func max(_ e: Expr) -> Expr { .aggregate(.max, arguments: [e], distinct: false) }

public func year(_ e: Expr) -> Expr { .function(name: "year", arguments: [e]) }
public func month(_ e: Expr) -> Expr { .function(name: "month", arguments: [e]) }
public func dayofmonth(_ e: Expr) -> Expr { .function(name: "day", arguments: [e]) }
public func lower(_ e: Expr) -> Expr { .function(name: "lower", arguments: [e]) }
public func upper(_ e: Expr) -> Expr { .function(name: "upper", arguments: [e]) }
public func length(_ e: Expr) -> Expr { .function(name: "length", arguments: [e]) }
public func abs(_ e: Expr) -> Expr { .function(name: "abs", arguments: [e]) }
public func round(_ e: Expr, _ digits: Int = 0) -> Expr { .function(name: "round", arguments: [e, lit(digits)]) }
public func coalesce(_ exprs: Expr...) -> Expr { .function(name: "coalesce", arguments: exprs) }
public func when(_ condition: Expr, _ value: Expr) -> Expr { .caseWhen(operand: nil, branches: [WhenThen(condition, value)], otherwise: nil) }

extension Expr {
    public func asc() -> SortKey { SortKey(self, ascending: true) }
    public func desc() -> SortKey { SortKey(self, ascending: false) }
    public func cast(_ type: DataType) -> Expr { .cast(self, type) }
    public func isNull() -> Expr { .isNull(self) }
    public func isNotNull() -> Expr { .isNotNull(self) }
    public func between(_ low: Expr, _ high: Expr) -> Expr { .between(self, low: low, high: high, negated: false) }
    public func isin(_ values: Expr...) -> Expr { .inList(self, values, negated: false) }
    public func like(_ pattern: String) -> Expr { .like(self, pattern: .literal(.string(pattern)), negated: false) }
    public static func < (lhs: Expr, rhs: Expr) -> Expr { lhs.lessThan(rhs) }
    public static func <= (lhs: Expr, rhs: Expr) -> Expr { lhs.lessThanOrEqual(rhs) }
    public static func > (lhs: Expr, rhs: Expr) -> Expr { lhs.greaterThan(rhs) }
    public static func >= (lhs: Expr, rhs: Expr) -> Expr { lhs.greaterThanOrEqual(rhs) }
    public static func != (lhs: Expr, rhs: Expr) -> Expr { lhs.isNotEqual(to: rhs) }
}
