/// The job report of `--report FILE.html`: every query a command ran, in the order they ran,
/// rendered as one self-contained HTML page in the spirit of the Spark UI.
public struct JobReport: Sendable, Codable, Equatable {
    /// The command line that ran the queries, shown at the top of the page.
    public var command: String
    public var queries: [QueryReport]

    public init(command: String, queries: [QueryReport] = []) {
        self.command = command
        self.queries = queries
    }

    /// The page: inline CSS, SVG and script, nothing fetched from the network. The report's data is
    /// embedded as JSON (`<script type="application/json" id="sparrow-report-data">`); the page's
    /// script checks the drawing against it and sets `data-rendered="ok"` on `<body>`.
    public func html() -> String { JobReportPage(report: self).render() }
}
