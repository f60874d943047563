import Foundation
import Synchronization

/// The memory one query's operators may hold for buffered data (Spark's execution memory): the
/// exchanges' map output, later aggregation and join tables. One budget is shared by all tasks of
/// a query; an operator reserves before it keeps bytes and spills to disk when a reservation fails.
///
/// Only what operators choose to keep is accounted: batches in flight between operators, scan
/// buffers and the driver's result are not, so a process uses somewhat more than `limit`.
///
/// Holders of memory that can go to disk on request (an exchange's map output between stages)
/// register as `SpillableMemory`; `reserve(_:)` asks them to spill before it gives up, as Spark's
/// task memory manager spills other consumers.
public final class MemoryBudget: Sendable {
    /// The most bytes reservations may hold at once.
    public let limit: Int
    private let used = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)
    private let spillable = Mutex<[ObjectIdentifier: any SpillableMemory]>([:])

    public init(limit: Int) {
        precondition(limit > 0, "a memory budget needs a positive limit")
        self.limit = limit
    }

    /// Reserves `bytes` if they fit under the limit together with what is reserved; false leaves
    /// nothing reserved. Zero always fits.
    public func tryReserve(_ bytes: Int) -> Bool {
        precondition(bytes >= 0, "negative reservation")
        var current = used.load(ordering: .relaxed)
        while true {
            let (wanted, overflow) = current.addingReportingOverflow(bytes)
            if overflow || wanted > limit { return bytes == 0 }
            let (exchanged, original) = used.compareExchange(expected: current, desired: wanted, ordering: .acquiringAndReleasing)
            if exchanged {
                _ = peak.max(wanted, ordering: .relaxed)
                return true
            }
            current = original
        }
    }

    /// Reserves `bytes`, first asking the registered holders to spill when they do not fit; false
    /// when they still do not.
    public func reserve(_ bytes: Int) throws -> Bool {
        if tryReserve(bytes) { return true }
        for holder in spillable.withLock({ Array($0.values) }) {
            guard try holder.spillToDisk() > 0 else { continue }
            if tryReserve(bytes) { return true }
        }
        return false
    }

    /// Lets `reserve` ask `holder` to spill, until `unregister`.
    public func register(_ holder: any SpillableMemory) {
        spillable.withLock { $0[ObjectIdentifier(holder)] = holder }
    }

    public func unregister(_ holder: any SpillableMemory) {
        _ = spillable.withLock { $0.removeValue(forKey: ObjectIdentifier(holder)) }
    }

    /// Gives back bytes an earlier `tryReserve` took.
    public func release(_ bytes: Int) {
        precondition(bytes >= 0, "negative release")
        let remaining = used.subtract(bytes, ordering: .acquiringAndReleasing).newValue
        precondition(remaining >= 0, "released more memory than was reserved")
    }

    /// Bytes reserved now.
    public var usedBytes: Int { used.load(ordering: .relaxed) }
    /// The most bytes reserved at once so far.
    public var peakBytes: Int { peak.load(ordering: .relaxed) }

    /// A quarter of the machine's memory (of the cgroup's limit when one is set and lower): the
    /// default of `sparrow.memory.limit`, leaving room for what the budget does not account.
    public static var defaultLimit: Int {
        var total = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
           let cgroup = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), cgroup > 0 {
            total = min(total, cgroup)
        }
        return max(total / 4, 64 << 20)
    }
}

