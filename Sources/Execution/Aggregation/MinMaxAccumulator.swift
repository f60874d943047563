import Columnar

/// `min` and `max` of numbers, decimals, dates, times and timestamps, in Spark's order
/// (NaN above every other value, -0.0 equal to 0.0; the first of equal values is kept).
///
/// State: one value of the argument type, NULL while the group has seen none. Merging partial
/// states is the same operation as adding values.
final class MinMaxAccumulator: GroupAccumulator {
    private let type: DataType
    private let kind: NumericKind
    private let isMax: Bool
    private let values: StateArray
    private let seen = StateArray(elementWidth: 1)

    init(type: DataType, kind: NumericKind, isMax: Bool) {
        self.type = type
        self.kind = kind
        self.isMax = isMax
        self.values = StateArray(elementWidth: type.byteWidth!)
    }

    func resize(groupCount: Int) {
        values.grow(to: groupCount)
        seen.grow(to: groupCount)
    }

    var memoryBytes: Int { values.memoryBytes + seen.memoryBytes }

    func update(_ arguments: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        let column = arguments[0]
        switch kind {
        case .int8: try fold(column, Int8.self, groups, count)
        case .int16: try fold(column, Int16.self, groups, count)
        case .int32: try fold(column, Int32.self, groups, count)
        case .int64: try fold(column, Int64.self, groups, count)
        case .uint8: try fold(column, UInt8.self, groups, count)
        case .uint16: try fold(column, UInt16.self, groups, count)
        case .uint32: try fold(column, UInt32.self, groups, count)
        case .uint64: try fold(column, UInt64.self, groups, count)
        case .float16: try fold(column, Float16.self, groups, count)
        case .float32: try fold(column, Float.self, groups, count)
        case .float64: try fold(column, Double.self, groups, count)
        case .decimal: try fold(column, Int128.self, groups, count)
        }
    }

    func merge(_ states: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        try update(states, groups: groups, count: count)
    }

    private func fold<T: SparkOrdered>(_ column: Column, _: T.Type, _ groups: UnsafePointer<Int32>?, _ count: Int) throws {
        var kernel = MinMaxKernel<T>(values: values.pointer(as: T.self), seen: seen.pointer(as: UInt8.self),
                                     isMax: isMax, groups: groups, count: count)
        try column.withRowValidity.visitFixedValues(&kernel)
    }

    func stateColumns(_ range: Range<Int>) -> [Column] { [resultColumn(range)] }

    func resultColumn(_ range: Range<Int>) -> Column {
        let width = values.elementWidth
        let seen = seen.pointer(as: UInt8.self) + range.lowerBound
        let (validity, nulls) = StateColumns.validity(count: range.count) { seen[$0] != 0 }
        let data = Buffer(byteCount: range.count * width) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: values.base + range.lowerBound * width, count: range.count * width))
        }
        return Column(type: type, count: range.count, validity: validity, nullCount: nulls, storage: .fixedWidth(data))
    }
}

/// Values with Spark's ordering: `precedes(a, b)` is a < b.
protocol SparkOrdered: BitwiseCopyable {
    static func precedes(_ a: Self, _ b: Self) -> Bool
}

extension Int8: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }
extension Int16: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }
extension Int32: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }
extension Int64: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }
extension Int128: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }
extension UInt8: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }
extension UInt16: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }
extension UInt32: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }
extension UInt64: SparkOrdered { @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b } }

extension Double: SparkOrdered {
    /// NaN is the largest value and equals itself.
    @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b || (b.isNaN && !a.isNaN) }
}

extension Float: SparkOrdered {
    @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b || (b.isNaN && !a.isNaN) }
}

extension Float16: SparkOrdered {
    @inline(__always) static func precedes(_ a: Self, _ b: Self) -> Bool { a < b || (b.isNaN && !a.isNaN) }
}

/// Keeps the smallest or largest value per group.
struct MinMaxKernel<Value: SparkOrdered>: FixedValuesVisitor {
    let values: UnsafeMutablePointer<Value>
    let seen: UnsafeMutablePointer<UInt8>
    let isMax: Bool
    let groups: UnsafePointer<Int32>?
    let count: Int

    mutating func visit<Source: FixedValues>(_ input: Source, validity: UnsafeRawPointer?) where Source.Value == Value {
        if let groups {
            if isMax {
                run(input, validity, GroupIDs(ids: groups)) { Value.precedes($1, $0) }
            } else {
                run(input, validity, GroupIDs(ids: groups)) { Value.precedes($0, $1) }
            }
        } else {
            if isMax {
                run(input, validity, SingleGroup()) { Value.precedes($1, $0) }
            } else {
                run(input, validity, SingleGroup()) { Value.precedes($0, $1) }
            }
        }
    }

    /// `better(new, current)` says whether `new` replaces `current`.
    @inline(__always)
    private func run<Source: FixedValues, Groups: GroupMapping>(
        _ input: Source, _ validity: UnsafeRawPointer?, _ groups: Groups, _ better: (Value, Value) -> Bool
    ) where Source.Value == Value {
        for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
            let group = groups.group(row)
            let value = input.value(at: row)
            if seen[group] == 0 || better(value, values[group]) {
                values[group] = value
                seen[group] = 1
            }
        }
    }
}
