import Testing
import Columnar
@testable import Parquet

@Test func scratchReadAll() throws {
    let dir = "/work/shared/parquet-testing/data/"
    let names = ["alltypes_dictionary.parquet","alltypes_plain.parquet","alltypes_plain.snappy.parquet","alltypes_tiny_pages.parquet","binary.parquet","byte_array_decimal.parquet","byte_stream_split.zstd.parquet","concatenated_gzip_members.parquet","data_index_bloom_encoding_stats.parquet","datapage_v1-corrupt-checksum.parquet","datapage_v1-snappy-compressed-checksum.parquet","datapage_v2.snappy.parquet","datapage_v2_empty_datapage.snappy.parquet","delta_binary_packed.parquet","delta_encoding_optional_column.parquet","delta_length_byte_array.parquet","dict-page-offset-zero.parquet","fixed_length_decimal.parquet","hadoop_lz4_compressed.parquet","int32_decimal.parquet","int64_decimal.parquet","int96_from_spark.parquet","list_columns.parquet","lz4_raw_compressed.parquet","nan_in_stats.parquet","nested_lists.snappy.parquet","nested_structs.rust.parquet","nullable.impala.parquet","nulls.snappy.parquet","rle_boolean_encoding.parquet"]
    for name in names {
        do {
            let reader = try ParquetFileReader(path: dir + name)
            let batches = try reader.batches()
            var rows = 0
            var first = ""
            while let batch = try batches.next() {
                rows += batch.rowCount
                if first.isEmpty, batch.rowCount > 0 {
                    first = batch.columns.map { c in "\(c.type)" }.joined(separator: ",")
                }
            }
            print("OK", name, rows, reader.rowCount, first.prefix(150))
        } catch {
            print("FAIL", name, error)
        }
    }
}
