#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Asks Linux to back the malloc heap of the threads that run tasks with transparent huge pages
/// (`madvise(MADV_HUGEPAGE)`), when the system leaves that to the program (`enabled` set to
/// `madvise`, Debian's default).
///
/// Why: every fresh 4 KiB page costs a fault, and on a VM a fault with its zeroing costs a few
/// microseconds. A shuffle keeps all its map output at once, all of it fresh memory: the skewed
/// join's 32 MiB took 7,800 faults, and faults were a sixth of the query's CPU time. With 2 MiB
/// pages the whole query takes about 1,300 faults and a tenth less time. glibc does the same for
/// its heaps with `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, which only the environment can set.
///
/// Where: the main thread's arena is the `brk` heap; the part from where the heap stood when
/// this was enabled up to the current break is advised (again at each `adviseThisThreadsArena`,
/// to take in its growth). Another thread's arena is a 64 MiB heap that glibc maps aligned to its
/// size (`HEAP_MAX_SIZE`), so the heap holding a block the thread allocates is advised whole. A
/// wrong guess costs nothing but the huge pages: advice on memory that is not a heap changes
/// no contents.
///
/// The command line enables it; a program using the library decides for itself.
public enum HugePageHeap {
    private static let enabled = Atomic<Bool>(false)
    /// The lowest address of the main arena's advised range.
    private static let breakFloor = Atomic<UInt>(0)
    static let hugePageSize: UInt = 2 << 20
    /// glibc's `HEAP_MAX_SIZE` on 64-bit systems: a thread arena's heaps are mapped at multiples of it.
    static let threadHeapSize: UInt = 64 << 20

    /// Starts advising: the calling thread's (the main thread's) heap now, and every worker's
    /// heap as `ExecutorPool` starts it.
    public static func enable() {
        #if os(Linux)
        guard systemAllowsAdvice() else { return }
        if let probe = malloc(1) {
            breakFloor.store(UInt(bitPattern: probe) & ~(hugePageSize - 1), ordering: .relaxed)
            free(probe)
        }
        enabled.store(true, ordering: .releasing)
        adviseThisThreadsArena()
        #endif
    }

    static var isEnabled: Bool { enabled.load(ordering: .acquiring) }

    /// Advises the heap the calling thread allocates from (see the type's comment).
    static func adviseThisThreadsArena() {
        #if os(Linux)
        guard isEnabled, let probe = malloc(64) else { return }
        let address = UInt(bitPattern: probe)
        free(probe)
        let currentBreak = UInt(bitPattern: sbrk(0))
        let floor = breakFloor.load(ordering: .relaxed)
        if address >= floor && address < currentBreak {
            // The brk heap: whole huge pages from the floor to the break.
            let end = currentBreak & ~(hugePageSize - 1)
            if end > floor { advise(floor, end - floor) }
        } else {
            advise(address & ~(threadHeapSize - 1), threadHeapSize)
        }
        #endif
    }

    #if os(Linux)
    private static func advise(_ start: UInt, _ length: UInt) {
        guard let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        // Failure (no THP in the kernel, a range not all mapped) only means no huge pages.
        _ = madvise(pointer, Int(length), MADV_HUGEPAGE)
    }

    /// Whether transparent huge pages are left to programs' advice (`madvise`); with `always`
    /// the kernel uses them anyway, with `never` advice is ignored.
    private static func systemAllowsAdvice() -> Bool {
        guard let file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 128)
        guard fgets(&line, Int32(line.count), file) != nil else { return false }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.contains("[madvise]")
    }
    #endif
}
