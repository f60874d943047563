extension ParquetError {
    /// Compressed data that decoded cleanly but to a size other than the page header's.
    static func sizeMismatch(_ codec: CompressionCodec, produced: Int, declared: Int) -> ParquetError {
        .corrupt("\(codec) data expands to \(produced) bytes, but the page header declares \(declared)")
    }

    /// Compressed data that would write past the page header's uncompressed size.
    static func tooLarge(_ codec: CompressionCodec, declared: Int) -> ParquetError {
        .corrupt("\(codec) data expands to more than the \(declared) bytes the page header declares")
    }

    /// A compression level outside what the library accepts.
    static func invalidLevel(_ codec: CompressionCodec, _ level: Int, valid: String) -> ParquetError {
        .invalidArgument("\(codec) compression level \(level) is out of range; valid levels are \(valid)")
    }
}
