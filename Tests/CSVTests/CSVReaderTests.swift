import Columnar
import Foundation
import Testing
@testable import CSV

@Suite struct CSVReaderTests {
    @Test(arguments: [(",", ","), (";", ";"), ("\t", "\t"), ("|", "|")])
    func detectsTheDelimiter(delimiter: String, expected: String) throws {
        let text = ["a\(delimiter)b\(delimiter)c", "1\(delimiter)x y\(delimiter)2.5", "2\(delimiter)z\(delimiter)3.5"].joined(separator: "\n")
        let path = try temporaryCSV(text)
        let (reader, batches, _) = try readAll(path)
        #expect(reader.delimiter == UInt8(ascii: Unicode.Scalar(expected)!))
        #expect(reader.names == ["a", "b", "c"])
        #expect(reader.types == [.int32, .string, .double])
        #expect(batches.map(\.rowCount).reduce(0, +) == 2)
    }

    @Test func quotingRulesAndLineEnds() throws {
        // CRLF line ends, a BOM, delimiters, quotes and newlines inside quotes, an empty field
        // (null) and a quoted empty field (the empty string), blank trailing lines.
        let text = "\u{FEFF}id,text,n\r\n1,\"a,b\",5\r\n2,\"say \"\"hi\"\"\",\r\n3,\"two\r\nlines\",7\r\n4,\"\",8\r\n\r\n\n"
        let path = try temporaryCSV(text)
        let (reader, batches, _) = try readAll(path)
        #expect(reader.names == ["id", "text", "n"])
        #expect(jsonLines(batches, schema: reader.schema) == """
            {"id":1,"text":"a,b","n":5}
            {"id":2,"text":"say \\"hi\\"","n":null}
            {"id":3,"text":"two\\r\\nlines","n":7}
            {"id":4,"text":"","n":8}

            """)
    }

    @Test func headerDetection() throws {
        let withHeader = try readAll(try temporaryCSV("x,y\n1,2\n3,4\n"))
        #expect(withHeader.reader.hasHeader)
        #expect(withHeader.reader.types == [.int32, .int32])
        let without = try readAll(try temporaryCSV("5,6\n1,2\n3,4\n"))
        #expect(!without.reader.hasHeader)
        #expect(without.reader.names == ["column0", "column1"])
        #expect(without.batches.map(\.rowCount).reduce(0, +) == 3)
        var options = CSVReadOptions()
        options.hasHeader = false
        let forced = try readAll(try temporaryCSV("x,y\n1,2\n"), options: options)
        #expect(forced.reader.types == [.string, .string])
        let duplicates = try readAll(try temporaryCSV("a,a,,b\n1,2,3,4\n"))
        #expect(duplicates.reader.names == ["a", "a_1", "column2", "b"])
    }

    @Test func aValueAfterTheSampleWidensTheColumn() throws {
        var lines = ["n,label"]
        for i in 0..<30_000 { lines.append("\(i),x") }
        lines.append("1.5,y")
        lines.append("abc,z")
        var options = CSVReadOptions()
        options.sampleRows = 100
        options.blockSize = 1 << 14
        let (reader, batches, _) = try readAll(try temporaryCSV(lines.joined(separator: "\n")), options: options)
        #expect(reader.types == [.string, .string])
        let all = jsonLines(batches, schema: reader.schema).split(separator: "\n")
        #expect(all.count == 30_002)
        #expect(all.last == #"{"n":"abc","label":"z"}"#)
        #expect(all[30_000] == #"{"n":"1.5","label":"y"}"#)
    }

    @Test func widensToDoubleWhenExact() throws {
        var lines = ["v"]
        for i in 0..<5000 { lines.append(String(i)) }
        lines.append("2.25")
        var options = CSVReadOptions()
        options.sampleRows = 10
        options.blockSize = 1 << 12
        let (reader, batches, _) = try readAll(try temporaryCSV(lines.joined(separator: "\n")), options: options)
        #expect(reader.types == [.double])
        #expect(jsonLines(batches, schema: reader.schema).hasSuffix("{\"v\":4999.0}\n{\"v\":2.25}\n"))
    }

    @Test func raggedRowsFailWithTheLine() throws {
        let path = try temporaryCSV("a,b,c\n1,2,3\n4,5\n6,7,8\n")
        let error = #expect(throws: CSVError.self) {
            _ = try readAll(path)
        }
        guard case .malformed(let record)? = error else { Issue.record("expected a malformed record"); return }
        #expect(record.line == 3 && record.reason == "expected 3 fields, found 2" && record.raw == "4,5"
                && String(describing: error!).hasPrefix("\(path):3: expected 3 fields, found 2"))
    }

    @Test func skipAndNullPolicies() throws {
        let text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"
        var options = CSVReadOptions()
        options.onError = .skip
        let skipped = try readAll(try temporaryCSV(text), options: options)
        #expect(jsonLines(skipped.batches, schema: skipped.reader.schema) == "{\"a\":1,\"b\":2,\"c\":3}\n{\"a\":10,\"b\":11,\"c\":12}\n")
        #expect(skipped.rejects.map(\.line) == [3, 4])
        #expect(skipped.rejects.allSatisfy { $0.dropped })

        options.onError = .null
        let nulled = try readAll(try temporaryCSV(text), options: options)
        #expect(jsonLines(nulled.batches, schema: nulled.reader.schema)
                == "{\"a\":1,\"b\":2,\"c\":3}\n{\"a\":4,\"b\":5,\"c\":null}\n{\"a\":10,\"b\":11,\"c\":12}\n")
        #expect(nulled.rejects.map(\.line) == [3, 4])
        #expect(nulled.rejects.map(\.dropped) == [false, true])
    }

    @Test func declaredTypesRejectValues() throws {
        let text = "id,price\n1,2.5\n2,abc\n3,4\n"
        var options = CSVReadOptions()
        options.declaredTypes = ["price": .double]
        let error = #expect(throws: CSVError.self) {
            _ = try readAll(try temporaryCSV(text), options: options)
        }
        guard case .malformed(let record)? = error else { Issue.record("expected a malformed record"); return }
        #expect(record.line == 3 && record.column?.name == "price" && record.column?.position == 2
                && record.reason == "cannot parse \"abc\" as double")
        options.onError = .null
        let nulled = try readAll(try temporaryCSV(text), options: options)
        #expect(jsonLines(nulled.batches, schema: nulled.reader.schema)
                == "{\"id\":1,\"price\":2.5}\n{\"id\":2,\"price\":null}\n{\"id\":3,\"price\":4.0}\n")
        #expect(nulled.rejects.count == 1)
        #expect(nulled.rejects[0].column == "price")
        options.onError = .skip
        let skipped = try readAll(try temporaryCSV(text), options: options)
        #expect(skipped.batches.map(\.rowCount).reduce(0, +) == 2)
    }

    @Test func unterminatedQuoteAtTheEnd() throws {
        let path = try temporaryCSV("a,b\n1,\"ok\"\n2,\"never closed\n3,4\n")
        let error = #expect(throws: CSVError.self) {
            _ = try readAll(path)
        }
        guard case .malformed(let record)? = error else { Issue.record("expected a malformed record"); return }
        #expect(record.line == 3 && record.reason.contains("unterminated"))
        var options = CSVReadOptions()
        options.onError = .skip
        let skipped = try readAll(path, options: options)
        #expect(skipped.batches.map(\.rowCount).reduce(0, +) == 1)
        #expect(skipped.rejects.first?.line == 3)
    }

    @Test func blocksCutInsideQuotedFieldsKeepLineNumbers() throws {
        // Small blocks force records (with newlines inside quotes) across block boundaries.
        var lines = ["id,text"]
        for i in 0..<500 { lines.append("\(i),\"line one\nline two \(i)\"") }
        lines.append("oops")
        var options = CSVReadOptions()
        options.blockSize = 4096
        options.onError = .skip
        let (reader, batches, rejects) = try readAll(try temporaryCSV(lines.joined(separator: "\n")), options: options)
        #expect(batches.count > 1)
        #expect(batches.map(\.rowCount).reduce(0, +) == 500)
        // Each record takes two lines: record i starts on line 2 + 2i; "oops" is on line 1002.
        #expect(rejects.map(\.line) == [1002])
        let text = jsonLines(batches, schema: reader.schema).split(separator: "\n")
        #expect(text[499] == #"{"id":499,"text":"line one\nline two 499"}"#)
    }

    @Test func everyTypeFromText() throws {
        let text = """
            b,i,l,d,day,ts,tsz,s
            true,1,3000000000,1.25,2024-01-31,2024-01-31 12:00:00,2024-01-31T12:00:00+01:00,x
            false,-2,-1,-0.5,1969-12-31,1969-12-31T23:59:59.5,1970-01-01T00:00:00Z,
            ,,,,,,,""

            """
        let (reader, batches, _) = try readAll(try temporaryCSV(text))
        #expect(reader.types == [.boolean, .int32, .int64, .double, .date, .timestamp(nanoseconds: false, utc: false),
                                 .timestamp(nanoseconds: false, utc: true), .string])
        // Timestamps with a zone are stored in UTC.
        #expect(jsonLines(batches, schema: reader.schema) == """
            {"b":true,"i":1,"l":3000000000,"d":1.25,"day":"2024-01-31","ts":"2024-01-31T12:00:00.000000","tsz":"2024-01-31T11:00:00.000000Z","s":"x"}
            {"b":false,"i":-2,"l":-1,"d":-0.5,"day":"1969-12-31","ts":"1969-12-31T23:59:59.500000","tsz":"1970-01-01T00:00:00.000000Z","s":null}
            {"b":null,"i":null,"l":null,"d":null,"day":null,"ts":null,"tsz":null,"s":""}

            """)
    }
}
