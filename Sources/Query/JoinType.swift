/// How a join combines its two inputs, with Spark's names.
public enum JoinType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case inner = "Inner"
    case leftOuter = "LeftOuter"
    case rightOuter = "RightOuter"
    case fullOuter = "FullOuter"
    /// Left rows with at least one match; outputs the left columns only.
    case leftSemi = "LeftSemi"
    /// Left rows with no match; outputs the left columns only.
    case leftAnti = "LeftAnti"
    case cross = "Cross"

    public var description: String { rawValue }

    /// The join type a DataFrame `how` names, in Spark's spellings (`left_outer`, `leftsemi`…).
    public init?(spark name: String) {
        switch String(name.lowercased().filter { $0 != "_" }) {
        case "inner": self = .inner
        case "left", "leftouter": self = .leftOuter
        case "right", "rightouter": self = .rightOuter
        case "full", "fullouter", "outer": self = .fullOuter
        case "semi", "leftsemi": self = .leftSemi
        case "anti", "leftanti": self = .leftAnti
        case "cross": self = .cross
        default: return nil
        }
    }

    /// Whether the output has the right side's columns (semi and anti joins only filter the left).
    public var outputsRight: Bool { self != .leftSemi && self != .leftAnti }
    /// Whether unmatched left rows are kept (padded with nulls on the right).
    public var preservesLeft: Bool { self == .leftOuter || self == .fullOuter }
    public var preservesRight: Bool { self == .rightOuter || self == .fullOuter }
}

/// A hint on a relation for the join above it (`/*+ BROADCAST(t) */`, `broadcast(df)`).
public enum JoinHint: String, Sendable, Hashable, CustomStringConvertible {
    /// Build this side once and broadcast it to every task of the other side.
    case broadcast = "BROADCAST"
    /// Shuffle both sides and build a hash table from this side.
    case shuffleHash = "SHUFFLE_HASH"
    /// Shuffle both sides (Spark would sort-merge; Sparrow runs a shuffled hash join).
    case shuffleMerge = "SHUFFLE_MERGE"

    public var description: String { rawValue }

    /// The hint a Spark hint name stands for (`BROADCASTJOIN` and `MAPJOIN` are BROADCAST).
    public init?(name: String) {
        switch name.uppercased() {
        case "BROADCAST", "BROADCASTJOIN", "MAPJOIN": self = .broadcast
        case "SHUFFLE_HASH": self = .shuffleHash
        case "SHUFFLE_MERGE", "MERGE", "MERGEJOIN": self = .shuffleMerge
        default: return nil
        }
    }
}

/// What a join node holds besides its inputs.
public struct JoinSpec: Sendable, Hashable {
    public var type: JoinType
    /// The ON condition over the left columns followed by the right ones (as the join's
    /// `combinedSchema` names them); nil for none (a cross join, or USING before analysis).
    public var condition: Expr?
    /// `USING (a, b)` or `df.join(other, on: ["a"])` before analysis turns it into a condition.
    public var using: [String]?
    /// `NATURAL JOIN`: USING the columns both sides have, which the analyzer finds.
    public var isNatural: Bool
    /// Right columns renamed because the left side has a column of the same name, so that every
    /// column above the join has its own name (lower-cased right name → new name). Set by the
    /// analyzer; stable under column pruning, unlike names derived from the current inputs.
    public var rightRenames: [String: String]

    public init(type: JoinType, condition: Expr? = nil, using: [String]? = nil, isNatural: Bool = false, rightRenames: [String: String] = [:]) {
        self.type = type
        self.condition = condition
        self.using = using
        self.isNatural = isNatural
        self.rightRenames = rightRenames
    }

    /// The left columns followed by the right ones, renamed where `rightRenames` says, with
    /// nullability widened on the side an outer join pads with nulls.
    public func combinedSchema(left: PlanSchema, right: PlanSchema) -> PlanSchema {
        var columns = left.columns
        if type.preservesRight { for i in columns.indices { columns[i].isNullable = true } }
        for var column in right.columns {
            if let renamed = rightRenames[column.name.lowercased()] {
                column.sourceName = column.sourceName ?? column.name
                column.name = renamed
            }
            if type.preservesLeft { column.isNullable = true }
            columns.append(column)
        }
        return PlanSchema(columns)
    }

    /// What `combinedSchema` calls a right column (its name in the right input).
    public func outputName(ofRight name: String) -> String { rightRenames[name.lowercased()] ?? name }

    /// The right input's name for a column the join outputs; nil when it is a left column.
    public func rightInputName(of outputName: String, right: PlanSchema) -> String? {
        let lowered = outputName.lowercased()
        for column in right.columns where self.outputName(ofRight: column.name).lowercased() == lowered { return column.name }
        return nil
    }
}
