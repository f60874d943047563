import Columnar

/// Options for reading a Parquet file.
public struct ReadOptions: Sendable {
    /// Rows per batch handed to the caller (a row group is cut into batches of this size).
    public var batchSize: Int = 65_536
    /// Verify the CRC-32 of every page that stores one.
    public var verifyChecksums: Bool = false
    /// Worker threads that decode columns in parallel; 1 decodes on the calling thread.
    public var threads: Int = ProcessInfoCores.count
    /// Keep dictionary-encoded string and binary columns as dictionary columns instead of
    /// expanding every value; consumers that can work on indices save time and memory.
    public var keepDictionaries: Bool = true
    /// Keep dictionary-encoded fixed-width columns (decimals, numbers, dates) as dictionary
    /// columns too; for consumers that evaluate per dictionary entry (the query engine).
    public var keepFixedWidthDictionaries: Bool = false

    public init() {}
}

/// Reads a Parquet file: its footer, its schema, and batches of the selected columns and row groups.
///
/// The reader reads the footer once at open. Batches are produced row group by row group; only the
/// byte ranges of the projected column chunks are read, so memory stays bounded by one row group's
/// projected (compressed) columns plus one decoded batch.
public final class ParquetFileReader: @unchecked Sendable {
    public let file: RandomAccessFile
    public let metadata: FileMetaData
    public let schema: ParquetSchema
    public let options: ReadOptions
    /// Size of the serialized footer, in bytes.
    public let footerLength: Int

    public var path: String { file.path }

    static let magic: [UInt8] = Array("PAR1".utf8)
    static let encryptedMagic: [UInt8] = Array("PARE".utf8)

    public convenience init(path: String, options: ReadOptions = ReadOptions()) throws {
        try self.init(file: RandomAccessFile(path: path), options: options)
    }

    public init(file: RandomAccessFile, options: ReadOptions = ReadOptions()) throws {
        self.file = file
        self.options = options
        let location = ParquetErrorLocation(file: file.path)
        do {
            guard file.size >= 12 else {
                throw ParquetError.corrupt("the file is \(file.size) bytes long, too short to be Parquet (at least 12 bytes)")
            }
            let tail = try file.read(offset: file.size - 8, count: 8)
            let tailMagic = tail.withUnsafeBytes { Array($0[4..<8]) }
            if tailMagic == Self.encryptedMagic {
                throw ParquetError.unsupported("the file uses Parquet modular encryption (footer magic PARE)")
            }
            guard tailMagic == Self.magic else {
                throw ParquetError.corrupt("the file does not end with the Parquet magic bytes PAR1")
            }
            let head = try file.read(offset: 0, count: 4)
            guard head.withUnsafeBytes({ Array($0) }) == Self.magic else {
                throw ParquetError.corrupt("the file does not start with the Parquet magic bytes PAR1")
            }
            let length = Int(UInt32(littleEndian: tail.load(0, as: UInt32.self)))
            guard length > 0, length <= file.size - 12 else {
                throw ParquetError.corrupt("footer length \(length) does not fit in a file of \(file.size) bytes")
            }
            footerLength = length
            let footer = try file.read(offset: file.size - 8 - length, count: length)
            let metadata = try footer.withUnsafeBytes { bytes in
                var reader = ThriftCompactReader(bytes, baseOffset: file.size - 8 - length)
                return try FileMetaData(from: &reader)
            }
            self.metadata = metadata
            self.schema = try ParquetSchema(
                elements: metadata.schema,
                keyValueMetadata: (metadata.keyValueMetadata ?? []).map { ($0.key, $0.value) })
            try Self.validate(metadata, schema: schema, fileSize: file.size, footerLength: length)
        } catch let error as ParquetError {
            throw error.at(location)
        }
    }

    /// Checks what the rest of the reader relies on, once, so that corrupt metadata fails here
    /// with a clear message instead of deep inside decoding.
    private static func validate(_ metadata: FileMetaData, schema: ParquetSchema, fileSize: Int, footerLength: Int) throws {
        guard metadata.numRows >= 0 else {
            throw ParquetError.corrupt("the footer says the file has \(metadata.numRows) rows")
        }
        let dataEnd = fileSize - 8 - footerLength
        for (index, rowGroup) in metadata.rowGroups.enumerated() {
            let location = ParquetErrorLocation(rowGroup: index)
            guard rowGroup.numRows >= 0 else {
                throw ParquetError.corrupt("row group has \(rowGroup.numRows) rows").at(location)
            }
            guard rowGroup.columns.count == schema.columns.count else {
                throw ParquetError.corrupt("row group has \(rowGroup.columns.count) column chunks but the schema has \(schema.columns.count) columns").at(location)
            }
            for (columnIndex, chunk) in rowGroup.columns.enumerated() {
                let descriptor = schema.columns[columnIndex]
                let columnLocation = ParquetErrorLocation(rowGroup: index, column: descriptor.dottedPath)
                if chunk.filePath != nil {
                    throw ParquetError.unsupported("column chunk stored in another file (\(chunk.filePath!))").at(columnLocation)
                }
                guard let meta = chunk.metaData else {
                    throw ParquetError.unsupported("column chunk without metadata (encrypted columns are not supported)").at(columnLocation)
                }
                guard meta.type == descriptor.physicalType else {
                    throw ParquetError.corrupt("column chunk has physical type \(meta.type) but the schema says \(descriptor.physicalType)").at(columnLocation)
                }
                // Empty row groups are never read; some writers leave their offsets at 0.
                if rowGroup.numRows == 0 { continue }
                let range = chunkByteRange(meta)
                guard meta.numValues >= 0, range.start >= 4, range.count >= 0, range.start <= dataEnd,
                      range.count <= dataEnd - range.start else {
                    throw ParquetError.corrupt("column chunk bytes \(range.start)..<\(range.start &+ range.count) lie outside the data region of the file (4..<\(dataEnd))").at(columnLocation)
                }
                if descriptor.maxRepetitionLevel == 0 && meta.numValues < rowGroup.numRows {
                    throw ParquetError.corrupt("column chunk has \(meta.numValues) values for \(rowGroup.numRows) rows").at(columnLocation)
                }
            }
        }
    }

    /// Where a column chunk's pages start and how many bytes they take.
    ///
    /// The chunk starts at the dictionary page when there is one. Some writers store
    /// `dictionary_page_offset` 0 or put the dictionary page at `data_page_offset`; both are
    /// handled by taking the smaller positive offset.
    static func chunkByteRange(_ meta: ColumnMetaData) -> (start: Int, count: Int) {
        var start = Int(meta.dataPageOffset)
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < meta.dataPageOffset {
            start = Int(dictionary)
        }
        return (start, Int(meta.totalCompressedSize))
    }

    public var rowGroupCount: Int { metadata.rowGroups.count }
    public var rowCount: Int { Int(metadata.numRows) }

    /// Resolves top-level column names to field indices; unknown names are an error that lists
    /// the available columns.
    public func fieldIndices(for names: [String]) throws -> [Int] {
        try names.map { name in
            guard let index = schema.fieldIndex(named: name) else {
                let available = schema.schema.fields.map(\.name).joined(separator: ", ")
                throw ParquetError.invalidArgument("\(path): no column named '\(name)' (columns: \(available))")
            }
            return index
        }
    }

    /// A stream of batches for the given top-level fields (all when nil) and row groups (all when
    /// nil); `rows` reads only those rows of a single row group (its batches start at the range).
    public func batches(fields: [Int]? = nil, rowGroups: [Int]? = nil, rows: Range<Int>? = nil) throws -> BatchReader {
        let fields = fields ?? Array(schema.schema.fields.indices)
        let rowGroups = rowGroups ?? Array(metadata.rowGroups.indices)
        for group in rowGroups where group < 0 || group >= metadata.rowGroups.count {
            throw ParquetError.invalidArgument("\(path): row group \(group) does not exist (the file has \(metadata.rowGroups.count))")
        }
        if let rows, rowGroups.count != 1 || rows.lowerBound < 0 || rows.isEmpty {
            throw ParquetError.invalidArgument("\(path): rows \(rows) of \(rowGroups.count) row groups (a row range is of one row group)")
        }
        return BatchReader(reader: self, fields: fields, rowGroups: rowGroups, rows: rows)
    }

    /// Reads the whole projected column chunks of one row group.
    func readChunks(rowGroup: Int, leaves: [Int]) throws -> [Int: ColumnChunkReader] {
        let group = metadata.rowGroups[rowGroup]
        var readers: [Int: ColumnChunkReader] = [:]
        for leaf in leaves {
            let descriptor = schema.columns[leaf]
            let location = ParquetErrorLocation(file: path, rowGroup: rowGroup, column: descriptor.dottedPath)
            do {
                let meta = group.columns[leaf].metaData!
                let range = Self.chunkByteRange(meta)
                let bytes = try file.read(offset: range.start, count: range.count)
                readers[leaf] = try ColumnChunkReader(
                    descriptor: descriptor, chunk: bytes, chunkFileOffset: range.start, metadata: meta,
                    options: options)
            } catch let error as ParquetError {
                throw error.at(location)
            }
        }
        return readers
    }
}
