/// One query of `sparrow bench pruning`: `SELECT count(*), sum(total_price) FROM sales`, with a
/// condition on the partition columns (or none, for the full scan).
struct PruningQuery {
    let name: String
    /// The WHERE condition, in Spark SQL; nil for the full scan.
    let condition: String?
    /// The (day, region) cells whose rows match: what the count must be and which partitions
    /// pruning keeps.
    let days: Range<Int>
    let regions: Range<Int>

    /// The query without its condition.
    static let select = "SELECT count(*) AS orders, sum(total_price) AS revenue FROM sales"

    var sql: String { Self.select + (condition.map { " WHERE " + $0 } ?? "") }

    /// Partition directories (order_date × region) the condition selects.
    var partitionCount: Int { days.count * regions.count }

    /// One day in the middle of the range, the week from that day (or the last week), the region
    /// EUROPE (or the last one when there are fewer than four), that day in that region, and
    /// everything. The dataset has at least 7 days.
    static func standardSet(for dataset: SalesDataset) -> [PruningQuery] {
        let day = dataset.days / 2
        let weekStart = min(day, dataset.days - 7)
        let week = weekStart..<weekStart + 7
        let region = min(3, dataset.regions.count - 1)
        let date = "order_date = DATE '\(SalesDataset.dateText(day: day))'"
        let weekDates = "order_date BETWEEN DATE '\(SalesDataset.dateText(day: week.lowerBound))' AND DATE '\(SalesDataset.dateText(day: week.upperBound - 1))'"
        let regionName = "region = '\(dataset.regions[region])'"
        let allDays = 0..<dataset.days
        let allRegions = 0..<dataset.regions.count
        return [
            PruningQuery(name: "one day", condition: date, days: day..<day + 1, regions: allRegions),
            PruningQuery(name: "one week", condition: weekDates, days: week, regions: allRegions),
            PruningQuery(name: "one region", condition: regionName, days: allDays, regions: region..<region + 1),
            PruningQuery(name: "one day, one region", condition: date + " AND " + regionName, days: day..<day + 1,
                         regions: region..<region + 1),
            PruningQuery(name: "full scan", condition: nil, days: allDays, regions: allRegions),
        ]
    }
}
