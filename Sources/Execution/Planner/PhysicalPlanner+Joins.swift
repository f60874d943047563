import Columnar
import Query

/// Join planning, as Spark's JoinSelection does it: a broadcast hash join when a side may be
/// built once (hinted, or estimated under `autoBroadcastJoinThreshold`) and the join type lets
/// that side be the build side; otherwise both sides are hash-partitioned on the keys and each
/// partition is joined on its own. A join without equality keys always broadcasts a side (a
/// nested-loop join: every pair is a candidate).
extension PhysicalPlanner {
    func planJoin(_ left: LogicalPlan, _ right: LogicalPlan, _ spec: JoinSpec, outputSchema: PlanSchema) throws -> any ExecutionPlan {
        let type = spec.type
        let conditionSchema = try LogicalPlan.joinConditionSchema(left: left, right: right, spec)
        let (leftKeys, rightKeys) = try Self.equalityKeys(left, right, spec)
        let leftPlan = try plan(left)
        let rightPlan = try plan(right)
        let leftWidth = leftPlan.schema.columns.count
        let rightWidth = rightPlan.schema.columns.count

        let canBroadcastLeft = [.inner, .cross, .rightOuter].contains(type)
        let canBroadcastRight = [.inner, .cross, .leftOuter, .leftSemi, .leftAnti].contains(type)
        let leftBytes = SizeEstimator.estimatedBytes(left)
        let rightBytes = SizeEstimator.estimatedBytes(right)
        let leftHint = Self.hint(of: left)
        let rightHint = Self.hint(of: right)

        var broadcastSide: HashJoinExec.BuildSide?
        if leftHint == .broadcast && canBroadcastLeft && !(rightHint == .broadcast && canBroadcastRight && Self.smaller(rightBytes, than: leftBytes)) {
            broadcastSide = .left
        } else if rightHint == .broadcast && canBroadcastRight {
            broadcastSide = .right
        } else if leftHint == nil && rightHint == nil || leftKeys.isEmpty {
            let threshold = config.autoBroadcastJoinThreshold
            func small(_ bytes: Int?) -> Bool { threshold >= 0 && bytes.map { $0 <= threshold } ?? false }
            let leftSmall = canBroadcastLeft && small(leftBytes)
            let rightSmall = canBroadcastRight && small(rightBytes)
            if leftSmall && rightSmall {
                broadcastSide = Self.smaller(leftBytes, than: rightBytes) ? .left : .right
            } else if rightSmall {
                broadcastSide = .right
            } else if leftSmall {
                broadcastSide = .left
            }
        }
        if leftKeys.isEmpty && broadcastSide == nil {
            // No keys to partition by: build the side the join type allows, all in one table.
            broadcastSide = canBroadcastRight || !canBroadcastLeft ? .right : .left
            if canBroadcastLeft && canBroadcastRight && Self.smaller(leftBytes, than: rightBytes) { broadcastSide = .left }
        }

        if let side = broadcastSide {
            var probe = side == .left ? rightPlan : leftPlan
            let build = BroadcastExchangeExec(input: side == .left ? leftPlan : rightPlan)
            let keepsBuildRows = side == .left ? type.preservesLeft : type.preservesRight
            if keepsBuildRows && probe.partitionCount > 1 {
                // Unmatched build rows are known only after every probe row: one task probes.
                probe = ShuffleExchangeExec(partitioning: .single, input: probe)
            }
            let join = try HashJoinExec(type: type, buildSide: side, distribution: .broadcast,
                                        left: side == .left ? build : probe, right: side == .left ? probe : build,
                                        leftKeys: leftKeys, rightKeys: rightKeys, condition: spec.condition,
                                        leftWidth: leftWidth, rightWidth: rightWidth, conditionSchema: conditionSchema, schema: outputSchema)
            join.filtersProbeScan = config.runtimeKeyFilter
            if config.dynamicPartitionPruning, !keepsBuildRows {
                // A probe key that is a partition column of a dataset scan prunes its files.
                let probeKeys = side == .left ? rightKeys : leftKeys
                join.dynamicPruning = probeKeys.enumerated().lazy.compactMap { index, key -> DynamicPruningTarget? in
                    guard case .column(let reference) = key else { return nil }
                    return DynamicPruningTarget.find(probe, column: reference.name, keyIndex: index)
                }.first
            }
            return join
        }

        // A semi or anti join may build from either side: from the left, probe rows mark the
        // build rows they meet, and each task's marked (or unmarked) rows come out at its end.
        let buildSide: HashJoinExec.BuildSide = switch type {
        case .rightOuter: .left
        case .leftOuter: .right
        default:
            if rightHint == .shuffleHash { .right } else if leftHint == .shuffleHash { .left } else { Self.smaller(leftBytes, than: rightBytes) ? .left : .right }
        }
        let (partitionedLeft, boundLeftKeys) = try partitionedByKeys(leftPlan, leftKeys)
        let (partitionedRight, boundRightKeys) = try partitionedByKeys(rightPlan, rightKeys)
        let join = try HashJoinExec(type: type, buildSide: buildSide, distribution: .partitioned, left: partitionedLeft, right: partitionedRight,
                                    leftKeys: boundLeftKeys, rightKeys: boundRightKeys, condition: spec.condition,
                                    leftWidth: leftWidth, rightWidth: rightWidth, conditionSchema: conditionSchema, schema: outputSchema)
        join.leftEstimate = leftBytes
        join.rightEstimate = rightBytes
        join.shuffleHinted = [leftHint, rightHint].contains { $0 == .shuffleHash || $0 == .shuffleMerge }
        join.filtersProbeScan = config.runtimeKeyFilter
        return join
    }

    /// `input` hash-partitioned on `keys`; keys that are not plain columns are computed into
    /// extra columns after the input's first. Returns the keys as references to the columns.
    func partitionedByKeys(_ input: any ExecutionPlan, _ keys: [Expr]) throws -> (any ExecutionPlan, [Expr]) {
        var child = input
        var bound = keys
        if keys.contains(where: { if case .column = $0 { false } else { true } }) {
            var exprs = input.schema.columns.map { Expr.column(ColumnReference($0.name)) }
            for (i, key) in keys.enumerated() where !key.isColumn {
                exprs.append(.alias(key, name: "_joinkey\(i)"))
                bound[i] = .column(ColumnReference("_joinkey\(i)"))
            }
            let schema = PlanSchema(try exprs.map { try ExpressionTyping.column(for: $0, in: input.schema) })
            child = try ProjectExec(exprs: exprs, input: input, schema: schema)
        }
        let indices = try bound.map { key -> Int in
            guard case .column(let reference) = key else { preconditionFailure("keys are columns by now") }
            return try child.schema.index(of: reference)
        }
        return (shuffle(.hash(keys: indices, partitions: config.hashShufflePartitions), child), bound)
    }

    /// The `left = right` conjuncts of the condition with one side over each input: the left
    /// expressions over the left input, the right ones over the right input's names.
    static func equalityKeys(_ left: LogicalPlan, _ right: LogicalPlan, _ spec: JoinSpec) throws -> ([Expr], [Expr]) {
        let sides = try JoinSides(left, right, spec)
        var leftKeys: [Expr] = []
        var rightKeys: [Expr] = []
        for conjunct in spec.condition?.conjuncts ?? [] {
            guard case .binary(let a, .equal, let b) = conjunct else { continue }
            switch (sides.side(of: a), sides.side(of: b)) {
            case (.left?, .right?): leftKeys.append(a); rightKeys.append(sides.overRight(b))
            case (.right?, .left?): leftKeys.append(b); rightKeys.append(sides.overRight(a))
            default: continue
            }
        }
        return (leftKeys, rightKeys)
    }

    /// The strategy hint on a join input, looking through the nodes that keep its rows' identity.
    static func hint(of plan: LogicalPlan) -> JoinHint? {
        switch plan {
        case .hint(let hint, _): hint
        case .filter(_, let input), .projection(_, let input), .subqueryAlias(_, let input): Self.hint(of: input)
        default: nil
        }
    }

    /// Whether `a` is known to be smaller than `b` (unknown sizes are large).
    static func smaller(_ a: Int?, than b: Int?) -> Bool {
        guard let a else { return false }
        guard let b else { return true }
        return a < b
    }
}

extension Expr {
    var isColumn: Bool { if case .column = self { true } else { false } }
}
