/// The words the SQL grammar gives a meaning to, matched case-insensitively.
///
/// Spark lets most keywords be identifiers too (a column named `date`, `year`, `value` or `key`);
/// only the `isReserved` ones are refused where a name is expected, because they would make the
/// grammar ambiguous (`SELECT a FROM t` must not read `FROM` as an alias of `a`). Backquote a
/// reserved word to use it as a name.
public enum SQLKeyword: String, Hashable, Sendable, CaseIterable {
    case all = "ALL"
    case and = "AND"
    case anti = "ANTI"
    case any = "ANY"
    case `as` = "AS"
    case asc = "ASC"
    case between = "BETWEEN"
    case both = "BOTH"
    case by = "BY"
    case `case` = "CASE"
    case cluster = "CLUSTER"
    case codegen = "CODEGEN"
    case cost = "COST"
    case create = "CREATE"
    case cross = "CROSS"
    case cube = "CUBE"
    case date = "DATE"
    case desc = "DESC"
    case distinct = "DISTINCT"
    case distribute = "DISTRIBUTE"
    case directory = "DIRECTORY"
    case div = "DIV"
    case drop = "DROP"
    case `else` = "ELSE"
    case end = "END"
    case escape = "ESCAPE"
    case except = "EXCEPT"
    case exists = "EXISTS"
    case explain = "EXPLAIN"
    case extended = "EXTENDED"
    case `false` = "FALSE"
    case filter = "FILTER"
    case first = "FIRST"
    case `for` = "FOR"
    case formatted = "FORMATTED"
    case from = "FROM"
    case full = "FULL"
    case global = "GLOBAL"
    case group = "GROUP"
    case grouping = "GROUPING"
    case having = "HAVING"
    case `if` = "IF"
    case ilike = "ILIKE"
    case `in` = "IN"
    case inner = "INNER"
    case insert = "INSERT"
    case intersect = "INTERSECT"
    case interval = "INTERVAL"
    case into = "INTO"
    case `is` = "IS"
    case join = "JOIN"
    case last = "LAST"
    case lateral = "LATERAL"
    case leading = "LEADING"
    case left = "LEFT"
    case like = "LIKE"
    case limit = "LIMIT"
    case local = "LOCAL"
    case logical = "LOGICAL"
    case minus = "MINUS"
    case natural = "NATURAL"
    case not = "NOT"
    case null = "NULL"
    case nulls = "NULLS"
    case offset = "OFFSET"
    case on = "ON"
    case options = "OPTIONS"
    case or = "OR"
    case order = "ORDER"
    case outer = "OUTER"
    case over = "OVER"
    case overwrite = "OVERWRITE"
    case partitioned = "PARTITIONED"
    case pivot = "PIVOT"
    case qualify = "QUALIFY"
    case recursive = "RECURSIVE"
    case regexp = "REGEXP"
    case replace = "REPLACE"
    case right = "RIGHT"
    case rlike = "RLIKE"
    case rollup = "ROLLUP"
    case select = "SELECT"
    case semi = "SEMI"
    case set = "SET"
    case sets = "SETS"
    case some = "SOME"
    case sort = "SORT"
    case table = "TABLE"
    case tablesample = "TABLESAMPLE"
    case temp = "TEMP"
    case temporary = "TEMPORARY"
    case then = "THEN"
    case timestamp = "TIMESTAMP"
    case timestampLTZ = "TIMESTAMP_LTZ"
    case timestampNTZ = "TIMESTAMP_NTZ"
    case to = "TO"
    case trailing = "TRAILING"
    case `true` = "TRUE"
    case union = "UNION"
    case unknown = "UNKNOWN"
    case unpivot = "UNPIVOT"
    case using = "USING"
    case values = "VALUES"
    case view = "VIEW"
    case when = "WHEN"
    case `where` = "WHERE"
    case window = "WINDOW"
    case with = "WITH"

    /// The keyword `word` spells, if any.
    public init?(word: String) {
        guard let keyword = Self.byName[word.uppercased()] else { return nil }
        self = keyword
    }

    private static let byName: [String: SQLKeyword] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// Words that cannot be a table, column or alias name unless backquoted.
    public var isReserved: Bool {
        switch self {
        case .all, .and, .anti, .as, .between, .by, .case, .cross, .distinct, .else, .end, .except, .exists,
             .false, .from, .full, .group, .having, .in, .inner, .intersect, .is, .join, .lateral, .left, .like,
             .limit, .minus, .natural, .not, .null, .on, .or, .order, .right, .select, .semi, .then, .true,
             .union, .using, .when, .where, .with:
            true
        default:
            false
        }
    }

    /// Words that may name things but not be an alias written without AS: after `SELECT a` or
    /// `FROM t` they start a clause.
    var startsClause: Bool {
        switch self {
        case .offset, .window, .qualify, .sort, .cluster, .distribute, .pivot, .unpivot, .tablesample: true
        default: isReserved
        }
    }

    /// Spark clauses Sparrow does not support; finding one where a clause may start is reported
    /// as unsupported rather than as a syntax error.
    var unsupportedClause: String? {
        switch self {
        case .window: "WINDOW clauses"
        case .qualify: "QUALIFY clauses"
        case .sort: "SORT BY"
        case .cluster: "CLUSTER BY"
        case .distribute: "DISTRIBUTE BY"
        case .pivot: "PIVOT"
        case .unpivot: "UNPIVOT"
        case .tablesample: "TABLESAMPLE"
        case .lateral: "LATERAL views and subqueries"
        case .intersect: "INTERSECT"
        case .except, .minus: "EXCEPT"
        default: nil
        }
    }
}
