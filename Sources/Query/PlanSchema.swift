import Columnar

/// One output column of a plan node: its name, the table or alias that qualifies it, its type.
public struct PlanColumn: Hashable, Sendable {
    public var qualifier: String?
    public var name: String
    public var type: DataType
    public var isNullable: Bool
    /// The name the query knows the column by, when a join renamed it (`id` for `id#2`): both
    /// sides of a join may have an `id`, but every column above the join needs its own name.
    public var sourceName: String?
    /// A column only a qualified reference finds (and its qualifier's `*`), not `*` or a bare
    /// name, and not part of a query's result: after `a JOIN b USING (k)`, `b.k` (and `a.k` when
    /// the key shown is not `a`'s own, in a RIGHT or FULL OUTER join), as Spark keeps them.
    public var isHidden: Bool

    public init(qualifier: String? = nil, name: String, type: DataType, isNullable: Bool = true, sourceName: String? = nil,
                isHidden: Bool = false) {
        self.qualifier = qualifier
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.sourceName = sourceName
        self.isHidden = isHidden
    }

    /// The name a query's result shows for this column: without the suffixes that tell
    /// same-named join columns apart (`id#1` is `id`, `(id#1 + 1)` is `(id + 1)`).
    public var visibleName: String { sourceName ?? PlanColumn.withoutJoinSuffixes(name) }

    /// `text` without `#` and the digits after it where they follow a name or a call
    /// (`count(*)#1`, the second of two `count(*)` items).
    static func withoutJoinSuffixes(_ text: String) -> String {
        guard text.contains("#") else { return text }
        var result = ""
        var characters = text[...]
        while let c = characters.popFirst() {
            if c == "#", let previous = result.last, previous.isLetter || previous.isNumber || previous == "_" || previous == ")",
               characters.first?.isNumber == true {
                while characters.first?.isNumber == true { characters.removeFirst() }
                continue
            }
            result.append(c)
        }
        return result
    }

    public var field: Field { Field(name, type, isNullable: isNullable) }
}

/// The output columns of a plan node, which column references resolve against.
public struct PlanSchema: Hashable, Sendable {
    public var columns: [PlanColumn]

    public init(_ columns: [PlanColumn]) { self.columns = columns }

    public init(_ schema: Schema, qualifier: String? = nil) {
        columns = schema.fields.map { PlanColumn(qualifier: qualifier, name: $0.name, type: $0.type, isNullable: $0.isNullable) }
    }

    public var schema: Schema { Schema(columns.map(\.field)) }

    /// The index of the column `reference` names; throws when none or several match.
    /// `matchingSourceNames` (for names written in a query) also matches columns by the name a
    /// join renamed them from, so `id` over `a JOIN b` is ambiguous and `b.id` finds `id#2`; such
    /// a name without a qualifier passes over hidden columns, and with one prefers a visible column.
    public func index(of reference: ColumnReference, matchingSourceNames: Bool = false) throws -> Int {
        let name = reference.name.lowercased()
        let matchingSourceNames = matchingSourceNames && !reference.byPlanName
        var matches = columns.indices.filter { i in
            (columns[i].name.lowercased() == name || (matchingSourceNames && columns[i].sourceName?.lowercased() == name))
                && (reference.qualifier == nil || columns[i].qualifier?.lowercased() == reference.qualifier?.lowercased())
                && !(matchingSourceNames && reference.qualifier == nil && columns[i].isHidden)
        }
        if matches.contains(where: { columns[$0].isHidden }), matches.contains(where: { !columns[$0].isHidden }) {
            // `t.k` over `(a JOIN b USING (k)) t`: the key shown, not the sides' own.
            matches.removeAll { columns[$0].isHidden }
        }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw QueryError.invalid("column reference '\(reference)' is ambiguous: it could be \(matches.map { columns[$0].qualifiedName }.joined(separator: " or "))")
        }
        throw QueryError.unresolved(kind: "column", name: reference.description,
                                    candidates: NameSuggestions.closest(to: reference.name, among: columns.map(\.visibleName)))
    }

    public func column(_ reference: ColumnReference) throws -> PlanColumn { columns[try index(of: reference)] }

    /// This schema with every column qualified by `qualifier`.
    public func qualified(by qualifier: String) -> PlanSchema {
        PlanSchema(columns.map {
            PlanColumn(qualifier: qualifier, name: $0.name, type: $0.type, isNullable: $0.isNullable, sourceName: $0.sourceName, isHidden: $0.isHidden)
        })
    }

    /// Whether some column is hidden.
    public var hasHiddenColumns: Bool { columns.contains(where: \.isHidden) }
}

extension PlanColumn {
    var qualifiedName: String { qualifier.map { "\($0).\(visibleName)" } ?? visibleName }
}

/// Suggests names close to a misspelt one, for "did you mean" messages.
public enum NameSuggestions {
    /// Up to three names within an edit distance of about a third of the name's length.
    public static func closest(to name: String, among candidates: [String]) -> [String] {
        let target = Array(name.lowercased())
        let limit = max(2, target.count / 3)
        let scored = Set(candidates).compactMap { candidate -> (String, Int)? in
            let distance = editDistance(target, Array(candidate.lowercased()))
            return distance <= limit ? (candidate, distance) : nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
