import ArgumentParser
import Execution
#if canImport(CMalloc)
import CMalloc
#endif

@main
struct SparrowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparrow",
        abstract: "A columnar data engine: Parquet reader and writer, CSV conversion, SQL.",
        version: "sparrow 0.1.0",
        subcommands: [ScanCommand.self, SQLCommand.self, InspectCommand.self, ConvertCommand.self, BenchCommand.self]
    )

    static func main() {
        #if canImport(CMalloc)
        // Serve buffers of 2 MiB and more (input blocks, column chunks) with mmap, returned to the
        // system when freed. Left alone, glibc raises this threshold up to 32 MiB after the first
        // large free, and such buffers then stay in per-thread arenas, where fragmentation about
        // doubled the peak memory of long conversions (a 1.9 GB CSV: 307 MB, with this 164 MB).
        mallopt(M_MMAP_THRESHOLD, 2 << 20)
        // Keep up to 64 MiB of freed heap instead of returning it at every free: queries allocate
        // and free batch-sized buffers (about 1 MiB) all the time, and each one handed back was
        // faulted in again by the next batch (TPC-H Q1: a third fewer page faults, 6% less CPU).
        mallopt(M_TRIM_THRESHOLD, 64 << 20)
        // Grow the heap 64 MiB of address space at a time (pages are still only touched as used):
        // each growth of a worker thread's arena is an mprotect call, and the skewed join's
        // shuffle, keeping about a thousand 32 KiB blocks, grew them 1,100 times (now 21).
        mallopt(M_TOP_PAD, 64 << 20)
        #endif
        // 2 MiB pages for the heaps that hold batches and shuffle output (see HugePageHeap).
        HugePageHeap.enable()
        Self.main(nil)
    }
}
