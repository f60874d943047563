import Execution

extension QueryReport {
    /// One stage as the report draws it: a box in the DAG and a section with its tasks.
    ///
    /// The shuffle and spill fields are optional: they are shown when the engine measured them and
    /// left out (not shown as zero) when it did not.
    public struct Stage: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            /// Writes a hash or single-partition shuffle that a later stage reads.
            case shuffleMap
            /// Builds what a broadcast exchange ships to every task of a later stage.
            case broadcast
            /// Returns rows to the driver.
            case result

            /// The kind of a stage that is not the result stage, from the operator at its root.
            init(rootOperator name: String) {
                self = name.hasPrefix("Broadcast") ? .broadcast : name.hasSuffix("ExchangeExec") ? .shuffleMap : .result
            }

            public var title: String {
                switch self {
                case .shuffleMap: "shuffle map"
                case .broadcast: "broadcast"
                case .result: "result"
                }
            }
        }

        public var id: Int
        public var kind: Kind
        /// From the stage's root down to its inputs, as `--analyze` lists them.
        public var operators: [String]
        /// The stages whose output this one reads.
        public var inputStageIDs: [Int]
        /// Per task (= partition), in partition order.
        public var taskSeconds: [Double]
        public var taskRows: [Int]
        public var wallSeconds: Double
        public var outputRows: Int
        public var bytesRead: Int
        public var rowGroupsScanned: Int
        public var rowGroupsTotal: Int
        public var filesScanned: Int
        public var filesTotal: Int
        /// Shuffle stages: bytes written in all, and bytes and rows per reduce partition.
        public var shuffleWriteBytes: Int?
        public var shufflePartitionBytes: [Int]?
        public var shufflePartitionRows: [Int]?
        /// Bytes spilled to disk by the stage's tasks, and the files they went to.
        public var spillBytes: Int?
        public var spillFiles: Int?

        public init(id: Int, kind: Kind, operators: [String], inputStageIDs: [Int], taskSeconds: [Double], taskRows: [Int],
                    wallSeconds: Double, outputRows: Int, bytesRead: Int = 0, rowGroupsScanned: Int = 0, rowGroupsTotal: Int = 0,
                    filesScanned: Int = 0, filesTotal: Int = 0, shuffleWriteBytes: Int? = nil, shufflePartitionBytes: [Int]? = nil,
                    shufflePartitionRows: [Int]? = nil, spillBytes: Int? = nil, spillFiles: Int? = nil) {
            self.id = id
            self.kind = kind
            self.operators = operators
            self.inputStageIDs = inputStageIDs
            self.taskSeconds = taskSeconds
            self.taskRows = taskRows
            self.wallSeconds = wallSeconds
            self.outputRows = outputRows
            self.bytesRead = bytesRead
            self.rowGroupsScanned = rowGroupsScanned
            self.rowGroupsTotal = rowGroupsTotal
            self.filesScanned = filesScanned
            self.filesTotal = filesTotal
            self.shuffleWriteBytes = shuffleWriteBytes
            self.shufflePartitionBytes = shufflePartitionBytes
            self.shufflePartitionRows = shufflePartitionRows
            self.spillBytes = spillBytes
            self.spillFiles = spillFiles
        }

        /// The report of a stage that ran; shuffle and spill figures only where the stage wrote any.
        init(_ report: StageReport, kind: Kind) {
            let wroteShuffle = kind == .shuffleMap && !report.shuffleBytesWrittenByPartition.isEmpty
            self.init(id: report.id, kind: kind, operators: report.operators, inputStageIDs: report.inputStageIDs,
                      taskSeconds: report.taskSeconds, taskRows: report.taskRows, wallSeconds: report.wallSeconds,
                      outputRows: report.outputRows, bytesRead: report.bytesRead, rowGroupsScanned: report.rowGroupsScanned,
                      rowGroupsTotal: report.rowGroupsTotal, filesScanned: report.filesScanned, filesTotal: report.filesTotal,
                      shuffleWriteBytes: wroteShuffle ? report.shuffleBytesWritten : nil,
                      shufflePartitionBytes: wroteShuffle ? report.shuffleBytesWrittenByPartition : nil,
                      spillBytes: report.spillFiles > 0 ? report.spillBytes : nil,
                      spillFiles: report.spillFiles > 0 ? report.spillFiles : nil)
        }

        public var tasks: Int { taskSeconds.count }

        /// Min, 25th percentile, median, 75th percentile and max, as Spark's UI picks them
        /// (the value at index ⌊q·n⌋ of the sorted values); nil without tasks.
        public static func quantiles<T: Comparable>(_ values: [T]) -> [T]? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            return [0, 0.25, 0.5, 0.75, 1].map { sorted[min(Int($0 * Double(sorted.count)), sorted.count - 1)] }
        }

        /// Tasks that took at least twice the median and 10 ms more than it: the ones that hold the
        /// stage up. With one task there is no straggler.
        public var stragglers: Set<Int> {
            guard tasks > 1, let median = Self.quantiles(taskSeconds)?[2] else { return [] }
            return Set(taskSeconds.indices.filter { taskSeconds[$0] >= 2 * median && taskSeconds[$0] - median >= 0.01 })
        }
    }
}
