/// Where the job report draws each stage of a query: a layered drawing from left to right, each
/// stage one column right of the furthest stage it reads, and a stage that reads none one column
/// left of the first stage that reads it.
///
/// Within a column stages are ordered by the mean height of the stages they read (the barycenter
/// heuristic), which keeps the arrows of joins and unions from crossing in the common cases.
/// Edges to stages that are not in the list (a failed query, a cached input) are left out.
struct StageGraphLayout {
    struct Box {
        let x: Int
        let y: Int
        let width: Int
        let height: Int

        var midY: Int { y + height / 2 }
    }

    struct Edge {
        let from: Int
        let to: Int
    }

    static let columnGap = 64
    static let rowGap = 22
    static let margin = 12

    /// By stage id.
    let boxes: [Int: Box]
    /// Input stage → reading stage, ordered by reading stage then input.
    let edges: [Edge]
    let width: Int
    let height: Int

    init(stages: [QueryReport.Stage], boxWidth: Int, boxHeight: (QueryReport.Stage) -> Int) {
        let byID = Dictionary(stages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var edges: [Edge] = []
        for stage in stages.sorted(by: { $0.id < $1.id }) {
            for input in Set(stage.inputStageIDs).sorted() where byID[input] != nil { edges.append(Edge(from: input, to: stage.id)) }
        }
        self.edges = edges

        // Column = longest path from a stage without inputs; a cycle (never built by the planner)
        // is cut where it is met.
        var column: [Int: Int] = [:]
        var visiting: Set<Int> = []
        func columnOf(_ id: Int) -> Int {
            if let known = column[id] { return known }
            guard visiting.insert(id).inserted, let stage = byID[id] else { return 0 }
            let inputs = stage.inputStageIDs.filter { byID[$0] != nil && !visiting.contains($0) }
            let value = inputs.map { columnOf($0) + 1 }.max() ?? 0
            visiting.remove(id)
            column[id] = value
            return value
        }
        for stage in stages { _ = columnOf(stage.id) }
        // A stage that reads nothing moves right, next to the first stage that reads it, so its
        // arrow does not run under the boxes in between (a join's small side, say).
        var consumers: [Int: [Int]] = [:]
        for edge in edges { consumers[edge.from, default: []].append(edge.to) }
        for stage in stages where edges.allSatisfy({ $0.to != stage.id }) {
            if let first = consumers[stage.id]?.compactMap({ column[$0] }).min() { column[stage.id] = max(0, first - 1) }
        }

        let columnCount = (column.values.max() ?? -1) + 1
        var members = Array(repeating: [QueryReport.Stage](), count: columnCount)
        for stage in stages { members[column[stage.id]!].append(stage) }
        let columnHeights = members.map { stages in
            stages.reduce(0) { $0 + boxHeight($1) } + max(0, stages.count - 1) * Self.rowGap
        }
        let contentHeight = columnHeights.max() ?? 0

        var boxes: [Int: Box] = [:]
        for (index, stages) in members.enumerated() {
            // Mean height of the inputs already placed; stages without inputs go below, by id.
            func barycenter(_ stage: QueryReport.Stage) -> Double {
                let placed = stage.inputStageIDs.compactMap { boxes[$0] }
                guard !placed.isEmpty else { return Double(Int.max) }
                return placed.reduce(0.0) { $0 + Double($1.midY) } / Double(placed.count)
            }
            let ordered = index == 0 ? stages.sorted { $0.id < $1.id }
                : stages.map { ($0, barycenter($0)) }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.id < $1.0.id }.map(\.0)
            var y = Self.margin + (contentHeight - columnHeights[index]) / 2
            let x = Self.margin + index * (boxWidth + Self.columnGap)
            for stage in ordered {
                let height = boxHeight(stage)
                boxes[stage.id] = Box(x: x, y: y, width: boxWidth, height: height)
                y += height + Self.rowGap
            }
        }
        self.boxes = boxes
        width = columnCount == 0 ? 0 : 2 * Self.margin + columnCount * boxWidth + (columnCount - 1) * Self.columnGap
        height = columnCount == 0 ? 0 : 2 * Self.margin + contentHeight
    }
}
