import Columnar
import Query

/// The hash-aggregation kernel: groups rows by key columns and folds aggregates per group, one
/// batch at a time, in Spark's two phases.
///
/// - `.partial` takes raw argument values and outputs each group's partial state
///   (`AggregateSpec.partialStateTypes`); `.final` takes those state columns (after the hash
///   exchange) and outputs results; `.complete` takes raw values and outputs results.
/// - Without key columns there is exactly one group, so even empty input gives one row
///   (count 0, everything else NULL), in every mode. NULL keys form a group of their own.
/// - DISTINCT aggregates run in `.complete` mode only: their state is a set of values, which
///   this kernel does not exchange. For a two-phase `count(DISTINCT x) … GROUP BY k`, plan as
///   Spark does: aggregate by (k, x) first, then count per k.
///
/// Output: key columns (named `key0`, `key1`…) then per aggregate its state columns
/// (`.partial`, named `<name>#<i>`) or its result (named `AggregateSpec.name`), in batches of at
/// most `maxBatchRows` groups, in order of first appearance.
///
/// Keys may be of any flat type (numbers, decimals, strings, binary, booleans, dates, times,
/// timestamps; floating point normalised so that NaN groups with NaN and -0.0 with 0.0); lists,
/// maps and structs are not supported as keys.
///
/// Implementation notes: per batch, the keys are encoded column at a time into fixed-width key
/// rows (strings through a per-column interner, dictionary-encoded columns once per dictionary
/// entry), looked up in an open-addressing table to get one group id per row (a lone string
/// key's interned codes are the ids), and then each accumulator runs one loop over its argument
/// column, specialised for the value type and storage, indexing its state arrays by group id.
public final class GroupedAggregator {
    public enum Mode: Sendable {
        /// Raw values (or, for the aggregates `mergesStates` names, states) in; states out.
        case partial
        /// States in; states out, one row per group: Spark's PartialMerge, between two exchanges.
        case merge
        /// States in; results out.
        case final
        /// Raw values in; results out.
        case complete

        /// Whether `finish()` gives partial states rather than results.
        var outputsStates: Bool { self == .partial || self == .merge }
    }

    public static let maxBatchRows = 65_536

    public let keyTypes: [DataType]
    public let aggregates: [AggregateSpec]
    public let mode: Mode

    /// Per aggregate, whether its arguments are partial states (merged) rather than raw values.
    public let mergesStates: [Bool]
    private let index: GroupIndex?
    private let accumulators: [GroupAccumulator]
    private let distinctFilters: [DistinctFilter?]
    private var ids: [Int32] = []
    private var knownGroups: Int

    /// `keyNullable[i]` false promises that key `i` holds no NULL (the plan's nullability), which
    /// keeps key rows narrow: two BIGINT keys fit 16 bytes without their null bits. A NULL there
    /// anyway is an error, not a wrong group.
    /// `mergesStates` (partial mode only) names the aggregates whose arguments are partial
    /// states already, as after a DISTINCT aggregation's first grouping; by default final and
    /// merge mode take states and the others raw values.
    public init(keyTypes: [DataType], keyNullable: [Bool]? = nil, aggregates: [AggregateSpec], mode: Mode,
                mergesStates: [Bool]? = nil) throws {
        self.keyTypes = keyTypes
        self.aggregates = aggregates
        self.mode = mode
        if let mergesStates {
            guard mode == .partial, mergesStates.count == aggregates.count else {
                throw ExecutionError.unsupported("aggregates merging states in \(mode) mode")
            }
            self.mergesStates = mergesStates
        } else {
            self.mergesStates = Array(repeating: mode == .final || mode == .merge, count: aggregates.count)
        }
        index = keyTypes.isEmpty ? nil : try GroupIndex(types: keyTypes, nullable: keyNullable)
        accumulators = try aggregates.map(Self.makeAccumulator)
        distinctFilters = try aggregates.map { spec in
            guard spec.distinct, let argumentType = spec.argumentType else { return nil }
            guard mode == .complete else {
                throw ExecutionError.unsupported("\(spec.name) in a two-phase aggregation (DISTINCT aggregates run in complete mode)")
            }
            return try DistinctFilter(argumentType: argumentType, grouped: !keyTypes.isEmpty)
        }
        knownGroups = keyTypes.isEmpty ? 1 : 0
        for accumulator in accumulators { accumulator.resize(groupCount: knownGroups) }
    }

    /// The columns of `spec`'s partial state (see `AggregateSpec.partialStateTypes`).
    public func partialStateTypes(of spec: AggregateSpec) -> [DataType] { spec.partialStateTypes }

    /// The schema of the batches `finish` returns.
    public var outputSchema: Schema {
        var fields = keyTypes.enumerated().map { Field("key\($0.offset)", $0.element) }
        for spec in aggregates {
            if mode.outputsStates {
                for (i, (type, nullable)) in zip(spec.partialStateTypes, spec.partialStateNullability).enumerated() {
                    fields.append(Field("\(spec.name)#\(i)", type, isNullable: nullable))
                }
            } else {
                fields.append(Field(spec.name, spec.resultType, isNullable: spec.resultIsNullable))
            }
        }
        return Schema(fields)
    }

    public var groupCount: Int { index?.groupCount ?? 1 }

    /// Memory held by the hash table, keys and aggregate states.
    public var estimatedMemoryBytes: Int {
        (index?.memoryBytes ?? 0) + accumulators.reduce(0) { $0 + $1.memoryBytes }
            + distinctFilters.reduce(0) { $0 + ($1?.memoryBytes ?? 0) } + ids.capacity * 4
    }

    /// Adds one batch: `keys` has one column per key type; `arguments` one list per aggregate,
    /// holding its argument column (none for `count(*)`), or its partial-state columns where
    /// `mergesStates` says so. `rowCount` is needed only when there is no
    /// column at all (a global `count(*)`).
    public func update(keys: [Column], arguments: [[Column]], rowCount: Int? = nil) throws {
        guard let count = rowCount ?? keys.first?.count ?? arguments.lazy.compactMap(\.first).first?.count else {
            throw ExecutionError.unsupported("aggregating a batch without columns needs its row count")
        }
        try validate(keys: keys, arguments: arguments, count: count)
        guard count > 0 else { return }

        if ids.count < count { ids = [Int32](repeating: 0, count: max(count, 1024)) }
        try ids.withUnsafeMutableBufferPointer { idBuffer in
            var groups: UnsafePointer<Int32>?
            if let index {
                try index.groupIDs(keys, count: count, into: idBuffer.baseAddress!)
                groups = UnsafePointer(idBuffer.baseAddress!)
                if index.groupCount != knownGroups {
                    knownGroups = index.groupCount
                    for accumulator in accumulators { accumulator.resize(groupCount: knownGroups) }
                }
            }
            for (i, accumulator) in accumulators.enumerated() {
                if let filter = distinctFilters[i] {
                    try updateDistinct(accumulator, filter, arguments[i][0], groups: groups, count: count)
                } else {
                    try accumulate(i, accumulator, arguments[i], groups: groups, count: count)
                }
            }
        }
    }

    /// Feeds aggregate `i`'s argument columns to `accumulator`: merged when they are states,
    /// added when they are raw values.
    private func accumulate(_ i: Int, _ accumulator: GroupAccumulator, _ arguments: [Column],
                            groups: UnsafePointer<Int32>?, count: Int) throws {
        if mergesStates[i] {
            try accumulator.merge(arguments, groups: groups, count: count)
        } else {
            try accumulator.update(arguments, groups: groups, count: count)
        }
    }

    private func updateDistinct(_ accumulator: GroupAccumulator, _ filter: DistinctFilter, _ argument: Column,
                                groups: UnsafePointer<Int32>?, count: Int) throws {
        let rows = try filter.newRows(argument, groups: groups, count: count)
        guard !rows.isEmpty else { return }
        // count(DISTINCT x) counts the new rows (all non-null); the others need their values.
        let values = accumulator is CountAccumulator ? [] : [argument.gather(indices: Buffer(copying: rows), count: rows.count)]
        if let groups {
            let selected = rows.map { groups[Int($0)] }
            try selected.withUnsafeBufferPointer {
                try accumulator.update(values, groups: $0.baseAddress!, count: rows.count)
            }
        } else {
            try accumulator.update(values, groups: nil, count: rows.count)
        }
    }

    private func validate(keys: [Column], arguments: [[Column]], count: Int) throws {
        guard keys.count == keyTypes.count else {
            throw ExecutionError.unsupported("\(keys.count) key columns for \(keyTypes.count) key types")
        }
        for (column, type) in zip(keys, keyTypes) where column.type != type || column.count != count {
            throw ExecutionError.unsupported("key column of \(column.count) \(column.type) values where \(count) \(type) values were expected")
        }
        guard arguments.count == aggregates.count else {
            throw ExecutionError.unsupported("arguments for \(arguments.count) aggregates, expected \(aggregates.count)")
        }
        for (columns, (spec, merges)) in zip(arguments, zip(aggregates, mergesStates)) {
            let expected = merges ? spec.partialStateTypes : (spec.argumentType.map { [$0] } ?? [])
            guard columns.map(\.type) == expected, columns.allSatisfy({ $0.count == count }) else {
                throw ExecutionError.unsupported("\(spec.name) got \(columns.map(\.type)) columns of \(columns.map(\.count)) rows, expected \(expected) of \(count)")
            }
        }
    }

    /// The groups so far: keys, then states (`.partial`) or results, in batches of at most
    /// `maxBatchRows` rows. Without keys, one row; with keys and no input, no batch.
    public func finish() -> [RecordBatch] { batches(asStates: mode.outputsStates) }

    /// The groups so far as keys and partial states, in any mode: what a final aggregation that
    /// runs out of memory writes to disk and merges again later. Not for DISTINCT aggregates,
    /// whose state is a set of values.
    public func finishStates() -> [RecordBatch] {
        precondition(distinctFilters.allSatisfy { $0 == nil }, "DISTINCT aggregates have no partial state")
        return batches(asStates: true)
    }

    /// Each row as a group of its own, as keys (as given) and partial states: what a partial
    /// aggregation passes on when nearly every row starts a new group, so that the table would
    /// cost time and memory and merge nothing. The final aggregation groups the rows again.
    public func rowStates(keys: [Column], arguments: [[Column]], count: Int) throws -> RecordBatch {
        precondition(mode == .partial, "row states are partial states")
        try validate(keys: keys, arguments: arguments, count: count)
        var columns = keys
        try [Int32](unsafeUninitializedCapacity: max(count, 1)) { identity, initialized in
            for row in 0..<count { identity[row] = Int32(truncatingIfNeeded: row) }
            initialized = count
        }.withUnsafeBufferPointer { identity in
            for (i, (spec, arguments)) in zip(aggregates, arguments).enumerated() {
                let accumulator = try Self.makeAccumulator(spec)
                accumulator.resize(groupCount: count)
                try accumulate(i, accumulator, arguments, groups: identity.baseAddress!, count: count)
                columns += accumulator.stateColumns(0..<count)
            }
        }
        return RecordBatch(schema: stateSchema, columns: columns, rowCount: count)
    }

    /// The schema of `finishStates()`'s batches (the partial mode's output schema).
    public var stateSchema: Schema {
        var fields = keyTypes.enumerated().map { Field("key\($0.offset)", $0.element) }
        for spec in aggregates {
            for (i, (type, nullable)) in zip(spec.partialStateTypes, spec.partialStateNullability).enumerated() {
                fields.append(Field("\(spec.name)#\(i)", type, isNullable: nullable))
            }
        }
        return Schema(fields)
    }

    private func batches(asStates: Bool) -> [RecordBatch] {
        let schema = asStates ? stateSchema : outputSchema
        var batches: [RecordBatch] = []
        var start = 0
        let total = groupCount
        while start < total {
            let range = start..<min(total, start + Self.maxBatchRows)
            var columns = index?.keyColumns(range) ?? []
            for accumulator in accumulators {
                if asStates {
                    columns += accumulator.stateColumns(range)
                } else {
                    columns.append(accumulator.resultColumn(range))
                }
            }
            batches.append(RecordBatch(schema: schema, columns: columns, rowCount: range.count))
            start = range.upperBound
        }
        return batches
    }

    static func makeAccumulator(_ spec: AggregateSpec) throws -> GroupAccumulator {
        guard let type = spec.argumentType else {
            guard spec.function == .count, spec.resultType == .int64 else {
                throw ExecutionError.unsupported("\(spec.name) without an argument")
            }
            return CountAccumulator(countsRows: true)
        }
        let expected: DataType
        do {
            expected = try ExpressionTyping.aggregateResultType(spec.function, type)
        } catch {
            throw ExecutionError.unsupported("\(spec.name): \(error)")
        }
        guard expected == spec.resultType else {
            throw ExecutionError.unsupported("\(spec.name) returns \(expected), not \(spec.resultType)")
        }
        let kind = NumericKind(type)
        switch spec.function {
        case .count:
            // DISTINCT: fed only the new non-null values' rows, which it counts.
            return CountAccumulator(countsRows: spec.distinct)
        case .sum, .avg:
            let isAverage = spec.function == .avg
            if case .decimal(let precision, let scale) = type, kind != nil {
                return DecimalSumAccumulator(precision: precision, scale: scale, isAverage: isAverage)
            }
            guard let kind, type.isNumeric else { break }
            if kind.isInteger && !isAverage { return IntegerSumAccumulator(argument: kind, name: spec.name) }
            return DoubleSumAccumulator(argument: kind, isAverage: isAverage)
        case .min, .max:
            let isMax = spec.function == .max
            if type == .boolean { return BooleanMinMaxAccumulator(isMax: isMax) }
            if type.layout == .variableWidth { return BytesMinMaxAccumulator(type: type, isMax: isMax) }
            if let kind { return MinMaxAccumulator(type: type, kind: kind, isMax: isMax) }
        }
        throw ExecutionError.unsupported("\(spec.name) of \(type) values")
    }
}
