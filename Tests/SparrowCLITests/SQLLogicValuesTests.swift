import Foundation
import Testing

@Suite struct SQLLogicValuesTests {
    typealias Value = SQLLogicValues.JSONValue

    @Test func readsValuesInColumnOrderEvenWithRepeatedKeys() throws {
        let values = try SQLLogicValues.objectValues(#"{"b":1,"a":"x","b":null,"(1 + 1)":true}"#)
        #expect(values == [.number("1"), .string("x"), .null, .bool(true)])
        #expect(try SQLLogicValues.objectValues("{}") == [])
        #expect(try SQLLogicValues.objectValues(#" { "a" : false , "b" : -1.5e+20 } "#) == [.bool(false), .number("-1.5e+20")])
    }

    @Test func keepsEveryDigitOfNumbers() throws {
        let values = try SQLLogicValues.objectValues(#"{"d":12345678901234567890123456.1234,"i":-9223372036854775808,"z":0.00}"#)
        #expect(values == [.number("12345678901234567890123456.1234"), .number("-9223372036854775808"), .number("0.00")])
    }

    @Test func resolvesStringEscapes() throws {
        let line = #"{"s":"a\"b\\c\/d\te\nf","u":"\u00e9\u65e5","p":"\ud83d\ude00","raw":"héllo 日本語"}"#
        #expect(try SQLLogicValues.objectValues(line)
            == [.string("a\"b\\c/d\te\nf"), .string("é日"), .string("😀"), .string("héllo 日本語")])
    }

    @Test func keepsNestedValuesAsText() throws {
        let values = try SQLLogicValues.objectValues(#"{"l":[1,[2,"]"]],"m":{"k":"}"},"n":3}"#)
        #expect(values == [.nested(#"[1,[2,"]"]]"#), .nested(#"{"k":"}"}"#), .number("3")])
    }

    @Test(arguments: [#"{"a":1"#, #"{"a":tru}"#, #"{"a":"x}"#, #"{"a":1}x"#, #"["a"]"#, #"{"a":"\ud83d"}"#, #"{"a":}"#])
    func rejectsMalformedJSON(line: String) {
        #expect(throws: SQLLogicValues.JSONError.self) { try SQLLogicValues.objectValues(line) }
    }

    @Test(arguments: [
        (Value.null, SQLLogicFile.ColumnType.integer, "NULL"),
        (.null, .text, "NULL"),
        (.number("42"), .integer, "42"),
        (.number("3.0"), .integer, "3.0"),
        (.number("12.30"), .real, "12.30"),
        (.string("NaN"), .real, "NaN"),
        (.string("-Infinity"), .real, "-Infinity"),
        (.string(""), .text, "(empty)"),
        (.string(" padded "), .text, " padded "),
        (.bool(true), .text, "true"),
        (.bool(false), .text, "false"),
        (.string("2024-02-29"), .text, "2024-02-29"),
        (.string("2024-01-31T12:00:00.000000"), .text, "2024-01-31 12:00:00"),
        (.string("2024-01-31T12:00:00.500000"), .text, "2024-01-31 12:00:00.5"),
        (.string("2000-03-01T00:00:00.000001Z"), .text, "2000-03-01 00:00:00.000001"),
        (.string("1999-12-31T23:59:59.999"), .text, "1999-12-31 23:59:59.999"),
        (.string("2024-01-31T12:00:00"), .text, "2024-01-31 12:00:00"),
        (.string("2024-01-31 12:00:00"), .text, "2024-01-31 12:00:00"),
        (.string("2024-01-31T12:00"), .text, "2024-01-31T12:00"),
        (.string("T-shirt"), .text, "T-shirt"),
        (.nested("[1,2]"), .text, "[1,2]"),
    ])
    func canonicalText(value: Value, type: SQLLogicFile.ColumnType, text: String) {
        #expect(SQLLogicValues.canonical(value, as: type) == text)
    }

    @Test func rowsFromJSONLines() throws {
        let output = #"{"id":1,"s":"","t":"2024-01-31T12:00:00.000000","x":1.50}"# + "\n"
            + #"{"id":2,"s":null,"t":null,"x":"NaN"}"# + "\n"
        #expect(try SQLLogicValues.rows(jsonLines: output, types: [.integer, .text, .text, .real])
            == [["1", "(empty)", "2024-01-31 12:00:00", "1.50"], ["2", "NULL", "NULL", "NaN"]])
        #expect(try SQLLogicValues.rows(jsonLines: "", types: [.integer]) == [])
        #expect(throws: SQLLogicValues.JSONError.self) {
            try SQLLogicValues.rows(jsonLines: #"{"a":1,"b":2}"#, types: [.integer])
        }
    }

    @Test(arguments: [
        ("0.30000000000000004", "0.3", SQLLogicFile.ColumnType.real, true),
        ("12.3", "12.30", .real, true),
        ("25.522006", "25.52200600", .real, true),
        ("1e+20", "100000000000000000000", .real, true),
        ("-0.0", "0.0", .real, true),
        ("NaN", "NaN", .real, true),
        ("Infinity", "Infinity", .real, true),
        ("Infinity", "-Infinity", .real, false),
        ("NaN", "0", .real, false),
        ("1.0000001", "1.0", .real, false),
        ("35821.468713", "35821.468712", .real, false),
        ("720811849.54", "720811849.53", .real, false),
        ("0.00", "-0.00", .real, true),
        ("25.388653981677237", "25.388653981677234", .real, true),
        ("25.38865398167723700", "25.388653981677237", .real, true),
        ("9223372036954775806.99", "9223372036954775806.98", .real, true),
        ("1234.5600000000002", "1234.56", .real, true),
        ("NULL", "0", .real, false),
        ("0", "NULL", .real, false),
        ("NULL", "NULL", .real, true),
        ("3", "3.0", .integer, false),
        ("3", "3", .integer, true),
        ("12.3", "12.30", .text, false),
        ("inf", "Infinity", .real, false),
    ])
    func comparesValues(actual: String, expected: String, type: SQLLogicFile.ColumnType, same: Bool) {
        #expect(SQLLogicValues.matches(actual, expected, as: type) == same)
    }

    @Test func comparesRowsInOrder() {
        let types: [SQLLogicFile.ColumnType] = [.integer, .real]
        #expect(SQLLogicValues.matches([["1", "0.1"], ["2", "NULL"]], [["1", "0.10"], ["2", "NULL"]], types: types))
        #expect(!SQLLogicValues.matches([["2", "NULL"], ["1", "0.1"]], [["1", "0.10"], ["2", "NULL"]], types: types))
        #expect(!SQLLogicValues.matches([["1", "0.1"]], [["1", "0.1"], ["2", "NULL"]], types: types))
        #expect(SQLLogicValues.matches([], [], types: types))
    }

    @Test func rowsortOrdersNullsFirstNumbersByValueAndNaNLast() {
        let rows = [["10", "b", "NaN"], ["9", "a", "1e+300"], ["NULL", "z", "2.5"], ["9", "NULL", "-1"], ["9", "é", "Infinity"],
                    ["9", "Z", "0.5"], ["-3", "x", "NULL"]]
        #expect(SQLLogicValues.sorted(rows, types: [.integer, .text, .real]) == [
            ["NULL", "z", "2.5"], ["-3", "x", "NULL"], ["9", "NULL", "-1"], ["9", "Z", "0.5"], ["9", "a", "1e+300"],
            ["9", "é", "Infinity"], ["10", "b", "NaN"],
        ])
        let reals = [["NaN"], ["Infinity"], ["NULL"], ["-Infinity"], ["0.25"], ["12.30"], ["12.3"]]
        #expect(SQLLogicValues.sorted(reals, types: [.real])
            == [["NULL"], ["-Infinity"], ["0.25"], ["12.3"], ["12.30"], ["Infinity"], ["NaN"]])
    }

    @Test func sortingIsTheOrderOfTheExpectedFiles() throws {
        // make_sql_expected.py stores rowsort results in the runner's order; check it on the corpus.
        for name in SQLLogicTests.allFileNames {
            let file = try SQLLogicFile.load(SQLLogicTests.directory.appendingPathComponent(name))
            for record in file.records {
                guard case .query(let types, .rows, let expected) = record.kind else { continue }
                #expect(SQLLogicValues.sorted(expected, types: types) == expected, "\(name):\(record.line)")
            }
        }
    }
}
