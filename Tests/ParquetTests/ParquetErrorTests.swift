import Testing
@testable import Parquet
@Test func placeholderRemovedSoon() { #expect(ParquetError.corrupt("x").description.contains("x")) }
