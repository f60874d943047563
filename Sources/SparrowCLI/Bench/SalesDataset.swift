import Columnar
import Foundation

/// The `sales` table of `sparrow bench pruning`: `rows` orders over `days` days from 1992-01-01
/// and `regions.count` regions, the same on every run and machine.
///
/// Layout, which the benchmark's tests count on: row `i` (0-based) has `order_key` i + 1 and lies
/// in cell `c = (i × step) mod cells`, `cells = days × regions`, where `step` is the smallest
/// integer ≥ ⌊0.6180339887 × cells⌋ (at least 1) that is coprime to `cells`. Its `order_date` is
/// 1992-01-01 plus `c / regions` days and its `region` is `regions[c % regions]`. Any `cells`
/// consecutive rows visit every (day, region) cell once, so each cell holds ⌊rows / cells⌋ or one
/// more row, and dates and regions are scattered over the order keys as in TPC-H's orders table:
/// a file in order-key order, as a user's export would be, has row groups that span every day.
///
/// The other columns come from a SplitMix64 stream seeded by the row number: `customer_key` in
/// 1...max(1, rows / 10), `nation` one of the region's five, `quantity` in 1...50, `total_price`
/// (decimal(15,2)) quantity × a unit price of 900.00...2099.99, `status` "P" for 3% of the rows and
/// otherwise "F" in the first half of the days and "O" after, `comment` 3 to 9 words.
struct SalesDataset {
    let rows: Int
    let days: Int
    let regions: [String]
    let step: Int
    /// The strings the generator copies from, each list one block of bytes.
    private let regionNames: StringList
    private let nationNames: StringList
    private let statusNames = StringList(["F", "O", "P"])
    private let commentWords = StringList(SalesDataset.words)

    /// 1992-01-01, TPC-H's first order date, in days since 1970-01-01.
    static let firstDay = 8035
    static let seed: UInt64 = 0x5A1E_5DA7_A5E7_0001

    static let schema = Schema([
        Field("order_key", .int64, isNullable: false),
        Field("customer_key", .int64, isNullable: false),
        Field("order_date", .date32, isNullable: false),
        Field("region", .string, isNullable: false),
        Field("nation", .string, isNullable: false),
        Field("quantity", .int32, isNullable: false),
        Field("total_price", .decimal(precision: 15, scale: 2), isNullable: false),
        Field("status", .string, isNullable: false),
        Field("comment", .string, isNullable: false),
    ])

    /// TPC-H's regions and their nations; regions past these five get synthetic names.
    static let tpchRegions: [(name: String, nations: [String])] = [
        ("AFRICA", ["ALGERIA", "ETHIOPIA", "KENYA", "MOROCCO", "MOZAMBIQUE"]),
        ("AMERICA", ["ARGENTINA", "BRAZIL", "CANADA", "PERU", "UNITED STATES"]),
        ("ASIA", ["INDIA", "INDONESIA", "JAPAN", "CHINA", "VIETNAM"]),
        ("EUROPE", ["FRANCE", "GERMANY", "ROMANIA", "RUSSIA", "UNITED KINGDOM"]),
        ("MIDDLE EAST", ["EGYPT", "IRAN", "IRAQ", "JORDAN", "SAUDI ARABIA"]),
    ]

    static let words = [
        "furiously", "carefully", "quickly", "slyly", "blithely", "final", "pending", "regular", "special",
        "express", "ironic", "even", "bold", "silent", "unusual", "requests", "deposits", "packages",
        "accounts", "instructions", "theodolites", "pinto", "beans", "foxes", "ideas", "dependencies",
        "excuses", "platelets", "asymptotes", "courts", "dolphins", "sleep", "wake", "haggle", "nag",
        "use", "boost", "affix", "detect", "integrate", "cajole", "among", "across", "above", "against",
        "along", "about", "after",
    ]

    init(rows: Int, days: Int, regionCount: Int) {
        precondition(rows >= 0 && days >= 1 && regionCount >= 1, "invalid sales dimensions")
        self.rows = rows
        self.days = days
        regions = (0..<regionCount).map(Self.regionName)
        step = Self.step(cells: days * regionCount)
        regionNames = StringList(regions)
        nationNames = StringList((0..<regionCount).flatMap(Self.nations(ofRegion:)))
    }

    var cells: Int { days * regions.count }

    static func regionName(_ index: Int) -> String {
        index < tpchRegions.count ? tpchRegions[index].name : "REGION \(index + 1)"
    }

    static func nations(ofRegion index: Int) -> [String] {
        index < tpchRegions.count ? tpchRegions[index].nations : (1...5).map { "REGION \(index + 1) NATION \($0)" }
    }

    /// The cell stride: near the golden section of the cell count, so consecutive rows land far
    /// apart, and coprime to it, so that `cells` consecutive rows visit every cell.
    static func step(cells: Int) -> Int {
        var step = max(1, Int(Double(cells) * 0.6180339887))
        while gcd(step, cells) != 1 { step += 1 }
        return step
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// Day (0-based from 1992-01-01) and region index of row `row`.
    func cell(ofRow row: Int) -> (day: Int, region: Int) {
        let cell = Int((UInt64(row) &* UInt64(step)) % UInt64(cells))
        return (cell / regions.count, cell % regions.count)
    }

    /// How many rows the layout puts in each cell (`day × regions + region`).
    func cellRowCounts() -> [Int] {
        var counts = [Int](repeating: rows / cells, count: cells)
        for j in 0..<(rows % cells) { counts[Int((UInt64(j) &* UInt64(step)) % UInt64(cells))] += 1 }
        return counts
    }

    /// `YYYY-MM-DD` of a day counted from 1992-01-01.
    static func dateText(day: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(firstDay + day) * 86_400))
    }

    /// Rows `first..<first + count` as one batch.
    func batch(first: Int, count: Int) -> RecordBatch {
        var orderKeys = [Int64](repeating: 0, count: count)
        var customerKeys = [Int64](repeating: 0, count: count)
        var dates = [Int32](repeating: 0, count: count)
        var quantities = [Int32](repeating: 0, count: count)
        var prices = [Int128](repeating: 0, count: count)
        var region = StringColumnBuilder(count: count, averageLength: 8)
        var nation = StringColumnBuilder(count: count, averageLength: 8)
        var status = StringColumnBuilder(count: count, averageLength: 1)
        var comment = StringColumnBuilder(count: count, averageLength: 48)
        let customers = max(1, rows / 10)
        let halfDays = days / 2
        for k in 0..<count {
            let row = first + k
            let (day, regionIndex) = cell(ofRow: row)
            var random = SplitMix64(seed: Self.seed ^ UInt64(row))
            orderKeys[k] = Int64(row + 1)
            customerKeys[k] = Int64(1 + random.next(below: customers))
            dates[k] = Int32(Self.firstDay + day)
            let quantity = 1 + random.next(below: 50)
            quantities[k] = Int32(quantity)
            prices[k] = Int128(quantity * (90_000 + random.next(below: 120_000)))
            region.append(regionNames, regionIndex)
            nation.append(nationNames, regionIndex * 5 + random.next(below: 5))
            let statusIndex = random.next(below: 100) < 3 ? 2 : (day < halfDays ? 0 : 1)
            status.append(statusNames, statusIndex)
            let wordCount = 3 + random.next(below: 7)
            for w in 0..<wordCount {
                if w > 0 { comment.appendSpace() }
                comment.appendPart(commentWords, random.next(below: commentWords.count))
            }
            comment.endValue()
        }
        let columns = [
            Column(type: .int64, count: count, validity: nil, storage: .fixedWidth(Buffer(copying: orderKeys))),
            Column(type: .int64, count: count, validity: nil, storage: .fixedWidth(Buffer(copying: customerKeys))),
            Column(type: .date32, count: count, validity: nil, storage: .fixedWidth(Buffer(copying: dates))),
            region.finish(),
            nation.finish(),
            Column(type: .int32, count: count, validity: nil, storage: .fixedWidth(Buffer(copying: quantities))),
            Column(type: .decimal(precision: 15, scale: 2), count: count, validity: nil,
                   storage: .fixedWidth(Buffer(copying: prices))),
            status.finish(),
            comment.finish(),
        ]
        return RecordBatch(schema: Self.schema, columns: columns, rowCount: count)
    }
}
