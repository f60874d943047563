import Testing
@testable import Execution

/// The size arithmetic of adaptive execution: which partitions are read together, which are
/// skewed, how a skewed one is sliced. Expected values follow from the rules' definitions.
struct AdaptivePlannerTests {
    func planner(_ configure: (inout AdaptiveConfig) -> Void = { _ in }, threads: Int = 2) -> AdaptivePlanner {
        var config = AdaptiveConfig()
        configure(&config)
        return AdaptivePlanner(config: config, broadcastThreshold: 10 << 20, threads: threads,
                               scheduler: StageScheduler(pool: ExecutorPool(threads: 1)))
    }

    @Test func smallPartitionsAreReadTogetherUpToTheTarget() {
        let mib = 1 << 20
        // 200 partitions of 1 MiB: total 200 MiB over 2 threads caps the target at the advisory 16 MiB.
        let ranges = planner().coalesce(Array(repeating: mib, count: 200), skewed: [])
        #expect(ranges.count == 13)
        #expect(ranges.first == 0..<16)
        #expect(ranges.last == 192..<200)
        #expect(ranges.map(\.count).reduce(0, +) == 200)
    }

    @Test func littleDataStillLeavesAPartitionPerThreadUnlessUnderTheMinimum() {
        let mib = 1 << 20
        // 8 MiB in 8 partitions, 4 threads: target max(1 MiB, min(16 MiB, 2 MiB)) = 2 MiB.
        #expect(planner(threads: 4).coalesce(Array(repeating: mib, count: 8), skewed: []) == [0..<2, 2..<4, 4..<6, 6..<8])
        // 40 KiB in all: one partition (the 1 MiB minimum).
        #expect(planner().coalesce(Array(repeating: 1024, count: 40), skewed: []) == [0..<40])
    }

    /// The skewed join benchmark's join stage: 15 partitions of about 2.4 MiB coalesced into 3
    /// ranges, and the skewed partition 10 in 2 slices, are 5 tasks for 2 threads; the largest
    /// range is cut in two at its middle, for 6.
    @Test func tasksAreRoundedToAMultipleOfTheThreads() {
        let mib = 1 << 20
        var sizes = Array(repeating: 12 * mib / 5, count: 16)
        sizes[10] = 27 * mib
        let p = planner()
        #expect(p.roundedToThreads([0..<6, 6..<10, 10..<11, 11..<16], sizes: sizes, extraTasks: 1)
                == [0..<3, 3..<6, 6..<10, 10..<11, 11..<16])
        // Already a multiple, or four rounds: as they are.
        #expect(p.roundedToThreads([0..<6, 6..<10, 10..<11, 11..<16], sizes: sizes) == [0..<6, 6..<10, 10..<11, 11..<16])
        #expect(p.roundedToThreads((0..<9).map { $0..<($0 + 1) } + [9..<16], sizes: sizes).count == 10)
        #expect(p.roundedToThreads((0..<8).map { $0..<($0 + 1) } + [8..<9], sizes: sizes).count == 9)
        // Halves under the 1 MiB minimum are not made; one thread needs no rounding.
        #expect(p.roundedToThreads([0..<40], sizes: Array(repeating: 1024, count: 40)) == [0..<40])
        #expect(planner(threads: 1).roundedToThreads([0..<6, 6..<16], sizes: sizes, extraTasks: 1) == [0..<6, 6..<16])
    }

    @Test func skewedPartitionsStayAloneAndSplitTheRanges() {
        let ranges = planner().coalesce([10, 10, 100 << 20, 10, 10], skewed: [2])
        #expect(ranges == [0..<2, 2..<3, 3..<5])
    }

    @Test func aPartitionIsSkewedAboveFactorTimesMedianAndTheThreshold() {
        let mib = 1 << 20
        let p = planner()
        // Median 1 MiB: 20 MiB is over 5× and over 16 MiB; 4 MiB is over 5×… no, under; 17 MiB is over both.
        #expect(p.skewed([mib, mib, 20 * mib, mib, 4 * mib, 17 * mib, mib]) == [2, 5])
        // Over the threshold but under 5× the median (10 MiB): not skewed.
        #expect(p.skewed([10 * mib, 10 * mib, 40 * mib]) == [])
        let loose = planner { $0.skewedPartitionThresholdBytes = 1; $0.skewedPartitionFactor = 2 }
        #expect(loose.skewed([1, 1, 3, 1]) == [2])
    }

    @Test func aSkewedPartitionIsSlicedByMapOutputs() {
        let mib = 1 << 20
        // Eight map outputs of 6 MiB, target 16 MiB: slices of two maps (12 MiB), the third would pass it.
        #expect(planner().slices(Array(repeating: 6 * mib, count: 8), median: mib) == [0..<2, 2..<4, 4..<6, 6..<8])
        // The median sets the target when it is larger.
        #expect(planner().slices(Array(repeating: 6 * mib, count: 8), median: 30 * mib) == [0..<5, 5..<8])
        #expect(planner().slices([], median: 0) == [0..<0])
    }
}
