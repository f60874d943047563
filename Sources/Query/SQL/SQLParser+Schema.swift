import Columnar

extension SQLParser {
    /// A schema in Spark's DDL form, `order_date DATE, region STRING` (what `DataFrameReader.schema`
    /// takes); a column may be followed by `NOT NULL`.
    public static func parseSchema(_ text: String) throws(QueryError) -> [Field] {
        var parser = try SQLParser(text)
        var fields: [Field] = []
        repeat {
            let name = try parser.parseIdentifier("a column name")
            let type = try parser.parseDataType()
            var nullable = true
            if parser.accept(.not) {
                try parser.expect(.null)
                nullable = false
            }
            fields.append(Field(name, type, isNullable: nullable))
        } while parser.accept(.comma)
        guard parser.current.isEnd else { throw parser.unexpected("',' or the end of the schema") }
        return fields
    }
}
