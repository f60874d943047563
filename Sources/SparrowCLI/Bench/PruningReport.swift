/// `sparrow bench pruning`'s text report: the data written, then per query and variant what the
/// scan read and how long the query took.
struct PruningReport {
    let dataset: SalesDataset
    let benchmark: PruningBenchmark
    let written: PruningBenchmark.Written
    let results: [PruningBenchmark.QueryResult]
    /// The data is in a temporary directory, removed when the command ends.
    let temporary: Bool

    var dataDescription: String {
        "\(BenchText.grouped(dataset.rows)) rows over \(BenchText.grouped(dataset.days)) days "
            + "(\(SalesDataset.dateText(day: 0)) to \(SalesDataset.dateText(day: dataset.days - 1))) "
            + "and \(dataset.regions.count) region\(dataset.regions.count == 1 ? "" : "s"): "
            + "\(BenchText.grouped(dataset.cells)) order_date × region partitions"
    }

    /// The header of each column of the table, shared with the HTML report.
    static let headers = ["query", "variant", "dirs listed", "files read", "row groups read", "bytes read", "rows read",
                          "time", "speed-up"]

    /// One row per query and variant; the query's name only on its first row. Files read are
    /// out of all the table's files (the write's count), not only those in the directories a
    /// pruned scan listed.
    var tableRows: [[String]] {
        var rows: [[String]] = []
        for result in results {
            for (index, variant) in PruningVariant.allCases.enumerated() {
                guard let metrics = result.last(variant) else { continue }
                rows.append([
                    index == 0 ? result.query.name : "",
                    variant.label,
                    variant == .singleFile ? "-" : BenchText.grouped(metrics.directoriesListed),
                    BenchText.fraction(metrics.filesScanned, of: variant == .singleFile ? 1 : written.datasetFiles),
                    BenchText.grouped(metrics.rowGroupsScanned),
                    BenchText.bytes(metrics.bytesRead),
                    BenchText.grouped(metrics.rowsRead),
                    BenchText.seconds(result.median(variant)),
                    BenchText.ratio(result.speedUp(variant)),
                ])
            }
        }
        return rows
    }

    var variantsLegend: String {
        """
        pruned: the partitioned directory with the default settings; not pruned: the same with \
        sparrow.sql.partitionPruning.enabled=false and spark.sql.parquet.filterPushdown=false; one file: \
        sales.parquet. time: median of \(benchmark.runs) run\(benchmark.runs == 1 ? "" : "s"), each in a new \
        session that reads the table (listing and footers included). speed-up: time not pruned / time.
        """
    }

    /// Each query's condition and answer.
    var queryRows: [[String]] {
        results.map { result in
            [result.query.name, result.query.condition ?? "(none)", Self.answerText(result.answer)]
        }
    }

    /// "orders 623, revenue 33333.33" from the answer's CSV.
    static func answerText(_ csv: String) -> String {
        let lines = csv.split(separator: "\n")
        guard lines.count == 2 else { return csv }
        return zip(lines[0].split(separator: ","), lines[1].split(separator: ",", omittingEmptySubsequences: false))
            .map { "\($0) \($1.isEmpty ? "NULL" : String($1))" }.joined(separator: ", ")
    }

    func text() -> String {
        var out = "sales: " + dataDescription + "\n"
        out += "written to \(benchmark.directory)\(temporary ? " (temporary, removed at the end; --dir keeps the data)" : "")\n"
        out += TextTable(headers: ["", "files", "size", "row groups", "write time"], rows: [
            ["sales.parquet", "1", BenchText.bytes(written.fileBytes), BenchText.grouped(written.fileRowGroups),
             BenchText.seconds(written.fileSeconds)],
            ["sales/", BenchText.grouped(written.datasetFiles), BenchText.bytes(written.datasetBytes), "",
             BenchText.seconds(written.datasetSeconds)],
        ], rightAligned: [1, 2, 3, 4]).render()
        out += "\n"
        out += TextTable(headers: Self.headers, rows: tableRows, rightAligned: Set(2..<Self.headers.count)).render()
        out += "\n" + BenchText.wrapped(variantsLegend) + "\n\n"
        out += "queries: " + PruningQuery.select + " WHERE condition\n"
        out += TextTable(headers: ["query", "condition", "answer"], rows: queryRows).render()
        out += "check: every run of every variant gave the same answer, with the count the generated data implies\n"
        return out
    }
}
