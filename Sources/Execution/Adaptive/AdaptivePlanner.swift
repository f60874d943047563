import Columnar
import Query

/// Adaptive query execution: re-plans the reads of a stage's shuffles from the sizes the map
/// stages really wrote, before the stage runs (Spark's AdaptiveSparkPlanExec rules, on one
/// machine):
/// - small reduce partitions are read together, toward `advisoryPartitionBytes`;
/// - a shuffled join's skewed partition is read in slices of map outputs, each joined with the
///   whole matching partition of the other side;
/// - a shuffled join whose one side turned out small is run as a broadcast join, and the other
///   side is not shuffled at all (the small side's map stage runs first).
/// Every decision is recorded with the scheduler for `--analyze` and the job report.
struct AdaptivePlanner {
    let config: AdaptiveConfig
    let broadcastThreshold: Int
    let threads: Int
    let scheduler: StageScheduler

    // MARK: Stages

    /// Plans every shuffle read of the stage whose operators start at `root` (not below the
    /// exchanges that end it).
    func planStage(_ root: any ExecutionPlan) {
        var joins: [HashJoinExec] = []
        var reads: [AQEShuffleReadExec] = []
        func walk(_ plan: any ExecutionPlan) {
            if let read = plan as? AQEShuffleReadExec {
                reads.append(read)
                return
            }
            if plan is ShuffleExchangeExec || plan is BroadcastExchangeExec { return }
            if let join = plan as? HashJoinExec, join.distribution == .partitioned,
               join.left is AQEShuffleReadExec, join.right is AQEShuffleReadExec {
                joins.append(join)
            }
            plan.children.forEach(walk)
        }
        walk(root)
        for join in joins {
            let left = join.left as! AQEShuffleReadExec, right = join.right as! AQEShuffleReadExec
            guard !left.isPlanned, !right.isPlanned else { continue }
            chooseBuildSide(join, left, right)
            planJoinReads(join, left, right)
        }
        for read in reads where !read.isPlanned {
            planCoalesced([read])
        }
    }

    /// Coalesces the partitions of shuffles read side by side (same partition count).
    func planCoalesced(_ reads: [AQEShuffleReadExec]) {
        let sizes = reads.map { $0.exchange.mapOutputBytes.map { $0.reduce(0, +) } }
        let count = sizes[0].count
        let combined = (0..<count).map { p in sizes.reduce(0) { $0 + $1[p] } }
        let ranges = config.coalescePartitions
            ? roundedToThreads(coalesce(combined, skewed: Set()), sizes: combined) : (0..<count).map { $0..<($0 + 1) }
        let specs = ranges.map { ShufflePartitionSpec.coalesced($0) }
        let description = ranges.count < count ? "coalesced \(count) → \(ranges.count) partition\(ranges.count == 1 ? "" : "s")" : ""
        for read in reads { read.plan(specs, description: description) }
        if ranges.count < count { record(.coalesce, description, exchange: reads[0].exchange) }
    }

    /// An inner, semi or anti join builds from the side whose shuffle wrote fewer bytes, as
    /// Spark's join selection does when AQE re-plans with runtime statistics: the planner's
    /// estimate came from footers and default column widths. A SHUFFLE_HASH hint keeps the side
    /// it names.
    func chooseBuildSide(_ join: HashJoinExec, _ left: AQEShuffleReadExec, _ right: AQEShuffleReadExec) {
        guard [.inner, .leftSemi, .leftAnti].contains(join.type), !join.shuffleHinted else { return }
        let leftBytes = left.exchange.mapOutputBytes.reduce(0) { $0 + $1.reduce(0, +) }
        let rightBytes = right.exchange.mapOutputBytes.reduce(0) { $0 + $1.reduce(0, +) }
        join.buildFromMeasuredSide(leftBytes < rightBytes ? .left : .right)
    }

    /// A shuffled join's two reads, aligned: non-skewed partitions coalesced, each skewed one
    /// split into slices of its map outputs and paired with every slice of the other side.
    func planJoinReads(_ join: HashJoinExec, _ left: AQEShuffleReadExec, _ right: AQEShuffleReadExec) {
        let leftBytes = left.exchange.mapOutputBytes
        let rightBytes = right.exchange.mapOutputBytes
        let count = leftBytes.count
        guard rightBytes.count == count else {
            left.keepShufflePartitions()
            right.keepShufflePartitions()
            return
        }
        let leftSizes = leftBytes.map { $0.reduce(0, +) }
        let rightSizes = rightBytes.map { $0.reduce(0, +) }
        // A side can be sliced when its rows each meet the whole other side and the other side's
        // unmatched rows need not be known (Spark's rule).
        let canSplitLeft = config.skewJoin && !join.type.preservesRight
        let canSplitRight = config.skewJoin && !join.type.preservesLeft && join.type.outputsRight
        let leftSkewed = canSplitLeft ? skewed(leftSizes) : []
        let rightSkewed = canSplitRight ? skewed(rightSizes) : []
        let combined = zip(leftSizes, rightSizes).map(+)
        // A skewed partition becomes a task per pair of slices.
        let sliceTasks = leftSkewed.union(rightSkewed).reduce(0) { tasks, p in
            let left = leftSkewed.contains(p) ? slices(leftBytes[p], median: median(leftSizes)).count : 1
            let right = rightSkewed.contains(p) ? slices(rightBytes[p], median: median(rightSizes)).count : 1
            return tasks + left * right - 1
        }
        let ranges = config.coalescePartitions
            ? roundedToThreads(coalesce(combined, skewed: leftSkewed.union(rightSkewed)), sizes: combined, extraTasks: sliceTasks)
            : (0..<count).map { $0..<($0 + 1) }

        var leftSpecs: [ShufflePartitionSpec] = []
        var rightSpecs: [ShufflePartitionSpec] = []
        var splits: [String] = []
        for range in ranges {
            guard range.count == 1, let p = range.first, leftSkewed.contains(p) || rightSkewed.contains(p) else {
                leftSpecs.append(.coalesced(range))
                rightSpecs.append(.coalesced(range))
                continue
            }
            let leftSlices = leftSkewed.contains(p) ? slices(leftBytes[p], median: median(leftSizes)) : [0..<leftBytes[p].count]
            let rightSlices = rightSkewed.contains(p) ? slices(rightBytes[p], median: median(rightSizes)) : [0..<rightBytes[p].count]
            for l in leftSlices {
                for r in rightSlices {
                    leftSpecs.append(leftSlices.count > 1 ? .partial(reducer: p, maps: l) : .coalesced(p..<(p + 1)))
                    rightSpecs.append(rightSlices.count > 1 ? .partial(reducer: p, maps: r) : .coalesced(p..<(p + 1)))
                }
            }
            if leftSlices.count > 1 {
                splits.append("split skewed partition \(p) into \(leftSlices.count) (left side, \(ByteCountText.text(leftSizes[p])))")
            }
            if rightSlices.count > 1 {
                splits.append("split skewed partition \(p) into \(rightSlices.count) (right side, \(ByteCountText.text(rightSizes[p])))")
            }
        }
        let coalesced = ranges.count < count ? "coalesced \(count) → \(ranges.count) partition\(ranges.count == 1 ? "" : "s")" : nil
        let description = ([coalesced].compactMap { $0 } + splits).joined(separator: "; ")
        left.plan(leftSpecs, description: description)
        right.plan(rightSpecs, description: description)
        if let coalesced { record(.coalesce, coalesced, exchange: left.exchange) }
        for split in splits { record(.skewSplit, split, exchange: split.contains("left side") ? left.exchange : right.exchange) }
    }

    // MARK: Sizes

    /// Contiguous ranges of partitions whose sizes add up to about the target; skewed partitions
    /// stay alone. The target leaves at least one partition per thread when the data allows.
    func coalesce(_ sizes: [Int], skewed: Set<Int>) -> [Range<Int>] {
        let total = sizes.reduce(0, +)
        let target = max(config.minPartitionBytes, min(config.advisoryPartitionBytes, total / max(1, threads)))
        var ranges: [Range<Int>] = []
        var start = 0
        for p in skewed.sorted() + [sizes.count] {
            ranges += Self.groups(sizes[start..<p], target: target)
            if p < sizes.count { ranges.append(p..<(p + 1)) }
            start = p + 1
        }
        return ranges
    }

    /// `ranges` with the largest ones of several partitions cut in two at their middle byte, until
    /// the stage's tasks (the ranges plus `extraTasks`, a skew split's slices) are a multiple of
    /// the threads, or four rounds of them: 5 tasks of a size on 2 threads take 3 rounds where 6
    /// smaller ones take the time of 2.5. Halves under `minPartitionBytes` are not made.
    func roundedToThreads(_ ranges: [Range<Int>], sizes: [Int], extraTasks: Int = 0) -> [Range<Int>] {
        var ranges = ranges
        func bytes(_ range: Range<Int>) -> Int { sizes[range].reduce(0, +) }
        while threads > 1, (ranges.count + extraTasks) % threads != 0, ranges.count + extraTasks < 4 * threads {
            // The largest range that has a cut leaving both sides at least the minimum.
            var best: (index: Int, cut: Int, bytes: Int)?
            for (index, range) in ranges.enumerated() where range.count > 1 {
                let total = bytes(range)
                var cut = range.lowerBound + 1
                var before = sizes[range.lowerBound]
                while cut < range.upperBound - 1 && before + sizes[cut] <= total / 2 {
                    before += sizes[cut]
                    cut += 1
                }
                guard before >= config.minPartitionBytes, total - before >= config.minPartitionBytes else { continue }
                if best == nil || total > best!.bytes { best = (index, cut, total) }
            }
            guard let best else { break }
            let range = ranges[best.index]
            ranges.replaceSubrange(best.index...best.index, with: [range.lowerBound..<best.cut, best.cut..<range.upperBound])
        }
        return ranges
    }

    /// `sizes` (indexed from their start index) cut into contiguous ranges, each closed before
    /// the element that would take it past `target`.
    static func groups(_ sizes: ArraySlice<Int>, target: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = sizes.startIndex
        var bytes = 0
        for i in sizes.indices {
            if start < i && bytes + sizes[i] > target {
                ranges.append(start..<i)
                start = i
                bytes = 0
            }
            bytes += sizes[i]
        }
        if start < sizes.endIndex { ranges.append(start..<sizes.endIndex) }
        return ranges
    }

    func median(_ sizes: [Int]) -> Int {
        let sorted = sizes.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// The partitions larger than `skewedPartitionFactor` × the median and than the threshold.
    func skewed(_ sizes: [Int]) -> Set<Int> {
        let limit = max(Double(config.skewedPartitionThresholdBytes), config.skewedPartitionFactor * Double(median(sizes)))
        return Set(sizes.indices.filter { Double(sizes[$0]) > limit })
    }

    /// Ranges of map tasks whose outputs for one partition add up to about the advisory size
    /// (or the median partition, if larger).
    func slices(_ mapBytes: [Int], median: Int) -> [Range<Int>] {
        let ranges = Self.groups(mapBytes[...], target: max(config.advisoryPartitionBytes, median))
        return ranges.isEmpty ? [0..<0] : ranges
    }

    // MARK: Joins

    /// Runs the map stage of the join side that may become a broadcast, and converts the join
    /// when its output is small enough. Returns whether it converted.
    func convertToBroadcastIfSmall(_ join: HashJoinExec, prepare: (any ExecutionPlan) throws -> Void) throws -> Bool {
        guard let left = join.left as? AQEShuffleReadExec, let right = join.right as? AQEShuffleReadExec,
              broadcastThreshold >= 0, !join.shuffleHinted else { return false }
        let type = join.type
        let candidates: [(side: HashJoinExec.BuildSide, read: AQEShuffleReadExec, estimate: Int?)] = [
            (.left, left, join.leftEstimate), (.right, right, join.rightEstimate),
        ].filter { candidate in
            candidate.side == .left ? [.inner, .cross, .rightOuter].contains(type) : [.inner, .cross, .leftOuter, .leftSemi, .leftAnti].contains(type)
        }
        // The side expected to be smaller runs first; the other's shuffle may then be skipped.
        guard let first = candidates.min(by: { ($0.estimate ?? Int.max) < ($1.estimate ?? Int.max) }) else { return false }
        try prepare(first.read.exchange)
        let bytes = first.read.exchange.mapOutputBytes.reduce(0) { $0 + $1.reduce(0, +) }
        guard bytes <= broadcastThreshold else { return false }
        let other = first.side == .left ? right : left
        join.convertToBroadcast(buildSide: first.side, probe: other.exchange.input)
        first.read.keepShufflePartitions()
        record(.convertToBroadcast, "converted to broadcast join: \(first.side) side \(ByteCountText.text(bytes))", exchange: first.read.exchange)
        return true
    }

    private func record(_ kind: AdaptiveDecision.Kind, _ message: String, exchange: ShuffleExchangeExec) {
        scheduler.record(AdaptiveDecision(stageID: scheduler.stageID(of: exchange) ?? -1, kind: kind, message: message))
    }
}
