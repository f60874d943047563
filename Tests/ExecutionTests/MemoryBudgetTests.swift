import Foundation
import Synchronization
import Testing
@testable import Execution

@Suite struct MemoryBudgetTests {
    @Test func reservationsStopAtTheLimit() {
        let budget = MemoryBudget(limit: 1000)
        #expect(budget.tryReserve(600))
        #expect(!budget.tryReserve(401))
        #expect(budget.usedBytes == 600)
        #expect(budget.tryReserve(400))
        #expect(!budget.tryReserve(1))
        #expect(budget.tryReserve(0))
        budget.release(700)
        #expect(budget.usedBytes == 300)
        #expect(budget.peakBytes == 1000)
        #expect(budget.tryReserve(700))
        #expect(!budget.tryReserve(Int.max))
    }

    /// Eight threads race for 100-byte reservations under a 10,000-byte limit: at no moment may
    /// more than 100 be held, and everything given back leaves nothing reserved.
    @Test func concurrentReservationsNeverExceedTheLimit() throws {
        let budget = MemoryBudget(limit: 10_000)
        let granted = Atomic<Int>(0)
        let overLimit = Atomic<Bool>(false)
        try ExecutorPool(threads: 8).run(tasks: 8) { _ in
            var held = 0
            for round in 0..<20_000 {
                if round % 3 == 2 && held > 0 {
                    budget.release(100)
                    held -= 100
                } else if budget.tryReserve(100) {
                    held += 100
                    _ = granted.add(1, ordering: .relaxed)
                }
                if budget.usedBytes > budget.limit { overLimit.store(true, ordering: .relaxed) }
            }
            budget.release(held)
        }
        let exceeded = overLimit.load(ordering: .relaxed)
        let grants = granted.load(ordering: .relaxed)
        #expect(!exceeded)
        #expect(budget.peakBytes <= 10_000)
        #expect(budget.peakBytes == 10_000, "the threads together should have filled the budget")
        #expect(grants > 0)
        #expect(budget.usedBytes == 0)
    }

    /// Without a cgroup limit the default is a quarter of physical memory.
    @Test func defaultLimitIsAQuarterOfMemory() {
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        #expect(MemoryBudget.defaultLimit <= max(physical / 4, 64 << 20))
        #expect(MemoryBudget.defaultLimit >= 64 << 20)
        if !FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory.max") {
            #expect(MemoryBudget.defaultLimit == max(physical / 4, 64 << 20))
        }
    }
}
