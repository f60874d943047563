import Testing
@testable import Execution

/// Directory names as Spark writes them. Expected values follow Spark's
/// `ExternalCatalogUtils.escapePathName`: the characters `"#%'*/:=?\{[]^`, U+0001…U+001F and
/// U+007F become `%XX` (upper-case hex, `String.format("%%%02X", c)`); everything else, spaces,
/// `<>|+&,` and non-ASCII letters included, stays (Spark escapes ` <>|` only on Windows); and
/// `getPartitionPathString` writes `__HIVE_DEFAULT_PARTITION__` for null and "".
struct HivePartitionPathTests {
    @Test(arguments: [
        ("a/b", "a%2Fb"), ("x:y", "x%3Ay"), ("100%", "100%25"), ("é", "é"), ("日本", "日本"),
        ("tab\there", "tab%09here"), ("line\nbreak", "line%0Abreak"), ("\u{01}", "%01"), ("\u{1F}", "%1F"),
        ("\u{7F}", "%7F"), ("a=b", "a%3Db"), ("q?", "q%3F"), ("#1", "%231"), ("it's", "it%27s"),
        ("a*b", "a%2Ab"), ("back\\slash", "back%5Cslash"), ("{x}", "%7Bx}"), ("[x]", "%5Bx%5D"),
        ("a^b", "a%5Eb"), ("say \"hi\"", "say %22hi%22"),
        ("a b", "a b"), ("<>|", "<>|"), ("a+b&c,d", "a+b&c,d"), ("~!@$()", "~!@$()"), ("\u{00}", "\u{00}"),
        ("2021-01-01 12:00:00", "2021-01-01 12%3A00%3A00"), ("MIDDLE EAST", "MIDDLE EAST"),
    ])
    func escapesAsSpark(text: String, escaped: String) {
        #expect(HivePartitionPath.escape(text) == escaped)
        #expect(HivePartitionPath.unescape(escaped) == text)
    }

    @Test func segmentsNameTheDefaultPartitionForNullAndEmpty() {
        #expect(HivePartitionPath.segment(column: "region", value: "EUROPE") == "region=EUROPE")
        #expect(HivePartitionPath.segment(column: "region", value: nil) == "region=__HIVE_DEFAULT_PARTITION__")
        #expect(HivePartitionPath.segment(column: "region", value: "") == "region=__HIVE_DEFAULT_PARTITION__")
        #expect(HivePartitionPath.segment(column: "a=b", value: "c=d") == "a%3Db=c%3Dd")
    }

    @Test func parsesSegments() throws {
        let parsed = try #require(HivePartitionPath.parseSegment("a%3Db=x%2Fy"))
        #expect(parsed.column == "a=b" && parsed.value == "x/y")
        let null = try #require(HivePartitionPath.parseSegment("region=__HIVE_DEFAULT_PARTITION__"))
        #expect(null.column == "region" && null.value == nil)
        #expect(HivePartitionPath.parseSegment("no-equals") == nil)
        #expect(HivePartitionPath.parseSegment("=value") == nil)
        // A `%` not followed by two hex digits stays (Spark's unescapePathName).
        #expect(HivePartitionPath.unescape("100%") == "100%" && HivePartitionPath.unescape("%zz") == "%zz")
    }
}
