import Foundation
import Testing

/// `sparrow bench pruning` on small tables. The expected counts come from the layout the command
/// documents (SalesDataset): row i lies in cell (i × step) mod (days × regions), on day
/// cell / regions from 1992-01-01, in region cell % regions, step being the smallest integer
/// ≥ ⌊0.6180339887 × cells⌋ coprime to the cell count. They are computed here from that rule, not
/// from what Sparrow's queries return.
@Suite struct PruningBenchCommandTests {
    /// One line of the benchmark's table.
    struct Row {
        let query: String
        let variant: String
        let directoriesListed: Int
        let filesRead: Int
        let filesTotal: Int
        let rowsRead: Int
    }

    /// What the documented layout implies for one query.
    struct Expected {
        let query: String
        let days: Range<Int>
        let regions: Range<Int>
    }

    static let regionNames = ["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"]

    static func regionName(_ index: Int) -> String {
        index < regionNames.count ? regionNames[index] : "REGION \(index + 1)"
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Rows per cell (day × regions + region), by walking every row through the layout rule.
    static func cellCounts(rows: Int, days: Int, regions: Int) -> [Int] {
        let cells = days * regions
        var step = max(1, Int(Double(cells) * 0.6180339887))
        while gcd(step, cells) != 1 { step += 1 }
        var counts = [Int](repeating: 0, count: cells)
        for row in 0..<rows { counts[row * step % cells] += 1 }
        return counts
    }

    /// The five queries: the middle day, the week from it (or the last week), region EUROPE (or
    /// the last region), that day there, everything.
    static func queries(days: Int, regions: Int) -> [Expected] {
        let day = days / 2
        let week = min(day, days - 7)
        let region = min(3, regions - 1)
        return [
            Expected(query: "one day", days: day..<day + 1, regions: 0..<regions),
            Expected(query: "one week", days: week..<week + 7, regions: 0..<regions),
            Expected(query: "one region", days: 0..<days, regions: region..<region + 1),
            Expected(query: "one day, one region", days: day..<day + 1, regions: region..<region + 1),
            Expected(query: "full scan", days: 0..<days, regions: 0..<regions),
        ]
    }

    static func date(_ day: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date(timeIntervalSince1970: 694_224_000 + Double(day) * 86_400))  // 1992-01-01
    }

    /// The rows of the main table (the one whose header starts with `query  variant`).
    static func tableRows(_ output: String) -> [Row] {
        var rows: [Row] = []
        var inTable = false
        var query = ""
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let fields = line.trimmingCharacters(in: .whitespaces).split(separator: /\s{2,}/).map(String.init)
            if fields.first == "query" && fields.dropFirst().first == "variant" {
                inTable = true
                continue
            }
            guard inTable else { continue }
            if fields.isEmpty || fields == [""] { break }
            if fields[0].hasPrefix("─") { continue }
            var cells = fields
            if cells.count == 9 { query = cells.removeFirst() }
            guard cells.count == 8 else { Issue.record("unexpected table line: \(line)"); continue }
            func number(_ text: some StringProtocol) -> Int {
                Int(text.trimmingCharacters(in: .whitespaces).replacing(",", with: "")) ?? -1
            }
            let files = cells[2].split(separator: "/").map(number)
            rows.append(Row(query: query, variant: cells[0], directoriesListed: number(cells[1]), filesRead: files[0],
                            filesTotal: files[1], rowsRead: number(cells[5])))
        }
        return rows
    }

    /// `orders N` of each query's answer line.
    static func answers(_ output: String) -> [String: Int] {
        var answers: [String: Int] = [:]
        for line in output.split(separator: "\n") {
            guard let match = line.firstMatch(of: #/^\s+(one day, one region|one day|one week|one region|full scan)\s{2,}.*\s{2,}orders (\d+), revenue /#) else { continue }
            answers[String(match.1)] = Int(match.2)
        }
        return answers
    }

    /// Runs the benchmark keeping its data in a fresh directory; returns the output and the directory.
    func bench(rows: Int, days: Int, regions: Int, extra: [String] = []) throws -> (SparrowProcess.Result, String) {
        let dir = SparrowProcess.temporaryPath("pruning")
        let result = try SparrowProcess.run(["bench", "pruning", "--rows", String(rows), "--days", String(days),
                                             "--regions", String(regions), "--runs", "1", "--dir", dir] + extra,
                                            timeout: 300)
        return (result, dir)
    }

    func check(rows: Int, days: Int, regions: Int) throws {
        let (result, dir) = try bench(rows: rows, days: days, regions: regions)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.crashed)
        let counts = Self.cellCounts(rows: rows, days: days, regions: regions)
        let cellsWithRows = counts.filter { $0 > 0 }.count
        let daysWithRows = (0..<days).filter { day in (0..<regions).contains { counts[day * regions + $0] > 0 } }
        let table = Self.tableRows(result.stdout)
        let answers = Self.answers(result.stdout)
        #expect(table.count == 15, "\(result.stdout)")
        for query in Self.queries(days: days, regions: regions) {
            var matching = 0
            var files = 0
            for day in query.days {
                for region in query.regions where counts[day * regions + region] > 0 {
                    matching += counts[day * regions + region]
                    files += 1
                }
            }
            #expect(answers[query.query] == matching, "\(query.query)")
            // Pruning while listing: the root, the order_date directories of the query's days, and
            // under those the region directories of its regions.
            let listedDays = daysWithRows.filter { query.days.contains($0) }
            let listed = 1 + listedDays.count + files
            // Without pruning: the root, every order_date directory, every region directory.
            let allListed = 1 + daysWithRows.count + cellsWithRows
            let variants = table.filter { $0.query == query.query }
            let pruned = try #require(variants.first { $0.variant == "pruned" }, "\(query.query)")
            #expect(pruned.directoriesListed == listed, "\(query.query)")
            #expect(pruned.filesRead == files, "\(query.query)")
            #expect(pruned.filesTotal == cellsWithRows, "\(query.query)")
            #expect(pruned.rowsRead == matching, "\(query.query)")
            let unpruned = try #require(variants.first { $0.variant == "not pruned" }, "\(query.query)")
            #expect(unpruned.directoriesListed == allListed, "\(query.query)")
            #expect(unpruned.filesRead == cellsWithRows, "\(query.query)")
            #expect(unpruned.filesTotal == cellsWithRows, "\(query.query)")
            #expect(unpruned.rowsRead == rows, "\(query.query)")
            let single = try #require(variants.first { $0.variant == "one file" }, "\(query.query)")
            #expect(single.filesTotal == 1, "\(query.query)")
        }
        // The directory layout: one order_date=…/region=… directory per cell that has rows.
        var expectedDirectories: Set<String> = []
        for day in 0..<days {
            for region in 0..<regions where counts[day * regions + region] > 0 {
                expectedDirectories.insert("order_date=\(Self.date(day))/region=\(Self.regionName(region))")
            }
        }
        let root = dir + "/sales"
        var found: Set<String> = []
        for dateDirectory in try FileManager.default.contentsOfDirectory(atPath: root) where dateDirectory.hasPrefix("order_date=") {
            for regionDirectory in try FileManager.default.contentsOfDirectory(atPath: root + "/" + dateDirectory) {
                let files = try FileManager.default.contentsOfDirectory(atPath: root + "/" + dateDirectory + "/" + regionDirectory)
                #expect(files.contains { $0.hasSuffix(".parquet") }, "\(dateDirectory)/\(regionDirectory)")
                found.insert(dateDirectory + "/" + (regionDirectory.removingPercentEncoding ?? regionDirectory))
            }
        }
        #expect(found == expectedDirectories)
    }

    /// 200 rows in every one of 30 cells: one day is 3 files of 30 and 600 rows.
    @Test func evenCellsGiveExactFileAndRowCounts() throws {
        try check(rows: 6_000, days: 10, regions: 3)
    }

    /// Cells of 23 or 24 rows, a synthetic sixth region (a space in its directory name), and a
    /// week that has to end on the last day.
    @Test func unevenCellsFollowTheLayout() throws {
        try check(rows: 1_001, days: 7, regions: 6)
    }

    /// Fewer rows than cells: the empty cells get no directory and count in no total.
    @Test func emptyCellsHaveNoFiles() throws {
        try check(rows: 50, days: 20, regions: 5)
    }

    @Test func htmlReportHoldsTheChartAndEveryQuery() throws {
        let html = SparrowProcess.temporaryPath("pruning.html")
        defer { try? FileManager.default.removeItem(atPath: html) }
        let (result, dir) = try bench(rows: 3_000, days: 14, regions: 2, extra: ["--html", html])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<svg"))
        #expect(page.contains("</svg>"))
        #expect(page.hasSuffix("</html>\n"))
        // Nothing fetched from the network: no external scripts, styles or images.
        for external in ["src=", "href=", "<link", "@import", "<script", "url("] {
            #expect(!page.contains(external), "\(external)")
        }
        for query in ["one day", "one week", "one region", "one day, one region", "full scan"] {
            #expect(page.contains(">\(query)<"), "\(query)")
        }
        for variant in ["pruned", "not pruned", "one file"] {
            #expect(page.contains(">\(variant)<"), "\(variant)")
        }
        #expect(page.contains("order_date BETWEEN DATE &#39;\(Self.date(7))&#39; AND DATE &#39;\(Self.date(13))&#39;"))
    }

    /// Without --dir the data goes to a temporary directory that is removed afterwards.
    @Test func temporaryDataIsRemoved() throws {
        let tmp = SparrowProcess.temporaryPath("tmpdir")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let result = try SparrowProcess.run(["bench", "pruning", "--rows", "500", "--days", "7", "--regions", "2", "--runs", "1"],
                                            environment: ["TMPDIR": tmp + "/"], timeout: 300)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("one day, one region"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
    }

    @Test(arguments: [(["--days", "6"], "--days"), (["--rows", "0"], "--rows"), (["--regions", "0"], "--regions"),
                      (["--runs", "0"], "--runs")])
    func invalidOptionsAreRejected(arguments: [String], option: String) throws {
        let result = try SparrowProcess.run(["bench", "pruning"] + arguments)
        #expect(result.status != 0)
        #expect(!result.crashed)
        #expect(result.stderr.contains(option))
    }
}
