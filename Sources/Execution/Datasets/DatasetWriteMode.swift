/// What a dataset write does when its target directory exists, as Spark's `SaveMode` and
/// `spark.sql.sources.partitionOverwriteMode`.
public enum DatasetWriteMode: String, Sendable, CaseIterable {
    /// Fail when the target exists, even as an empty directory (Spark's default, `"error"`).
    case errorIfExists
    /// Replace the whole target.
    case overwrite
    /// Add the new files next to the existing ones.
    case append
    /// Replace only the partition directories the write produces and keep the others (Spark's
    /// `overwrite` with `partitionOverwriteMode=dynamic`). Without partition columns this is
    /// `overwrite`, as in Spark.
    case overwritePartitions
}
