import Foundation
import Synchronization
import Testing
@testable import Execution

/// Once enabled, the heaps the executor's threads allocate from are advised for transparent
/// huge pages: the kernel's own record of the mapping (`/proc/self/smaps`, flag `hg`) says so.
@Suite struct HugePageHeapTests {
    /// The `VmFlags` of the mapping that holds `address`, from `/proc/self/smaps`.
    static func mappingFlags(of address: UInt) throws -> [Substring]? {
        // Read to the end: /proc files report a size of 0.
        let smaps = try String(decoding: FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps")).readToEnd() ?? Data(),
                               as: UTF8.self)
        var inside = false
        for line in smaps.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let space = line.firstIndex(of: " "), dash < space,
               let start = UInt(line[..<dash], radix: 16), let end = UInt(line[line.index(after: dash)..<space], radix: 16) {
                inside = (start..<end).contains(address)
            } else if inside && line.hasPrefix("VmFlags:") {
                return line.dropFirst("VmFlags:".count).split(separator: " ")
            }
        }
        return nil
    }

    /// Advice is only asked for where the kernel leaves huge pages to it.
    static let kernelTakesAdvice = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/sys/kernel/mm/transparent_hugepage/enabled"))
        .readToEnd()).map { String(decoding: $0 ?? Data(), as: UTF8.self).contains("[madvise]") } ?? false

    @Test(.enabled(if: kernelTakesAdvice)) func everyWorkersHeapIsAdvised() throws {
        HugePageHeap.enable()
        let started = Atomic<Int>(0)
        let advised = Mutex<[Bool]>([])
        try ExecutorPool(threads: 2).run(tasks: 2) { _ in
            // Both tasks wait for each other, so each runs on a thread of its own.
            started.add(1, ordering: .relaxed)
            let deadline = Date().addingTimeInterval(10)
            while started.load(ordering: .relaxed) < 2 && Date() < deadline { sched_yield() }
            // Small enough to come from the thread's arena, not a mapping of its own.
            let block = malloc(64 << 10)!
            defer { free(block) }
            let flags = try Self.mappingFlags(of: UInt(bitPattern: block))
            advised.withLock { $0.append(flags?.contains("hg") ?? false) }
        }
        #expect(started.load(ordering: .relaxed) == 2)
        #expect(advised.withLock { $0 } == [true, true])
    }
}
