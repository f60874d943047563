import Execution
import Foundation
import Parquet
import Query

/// `df.write`: runs the query and writes its rows.
public struct DataFrameWriter: Sendable {
    let frame: DataFrame
    var properties = WriterProperties()
    var overwrite = false

    /// `"error"` (the default: fail when the target exists) or `"overwrite"`.
    public func mode(_ mode: String) throws -> DataFrameWriter {
        var writer = self
        switch mode.lowercased() {
        case "overwrite": writer.overwrite = true
        case "error", "errorifexists": writer.overwrite = false
        default: throw SessionError.invalidArgument("write mode '\(mode)': expected error or overwrite")
        }
        return writer
    }

    /// Writes one Parquet file (zstd). The file appears complete or not at all.
    public func parquet(_ path: String) throws {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw SessionError.invalidArgument("\(path) already exists; use mode(\"overwrite\")")
        }
        let execution = try frame.queryExecution()
        let writer = try ParquetFileWriter(path: path, schema: execution.schema.schema, properties: properties,
                                           threads: frame.session.conf.execution.threads)
        do {
            try execution.stream { batch in
                try writer.write(batch)
                return true
            }
            try writer.close()
        } catch {
            writer.abort()
            throw error
        }
    }
}
