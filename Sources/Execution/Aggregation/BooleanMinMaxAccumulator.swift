import Columnar

/// `min` (logical AND) and `max` (logical OR) of booleans, false < true.
///
/// State: one BOOLEAN, NULL while the group has seen no value.
final class BooleanMinMaxAccumulator: GroupAccumulator {
    private let isMax: Bool
    private let values = StateArray(elementWidth: 1)
    private let seen = StateArray(elementWidth: 1)

    init(isMax: Bool) {
        self.isMax = isMax
    }

    func resize(groupCount: Int) {
        values.grow(to: groupCount)
        seen.grow(to: groupCount)
    }

    var memoryBytes: Int { values.memoryBytes + seen.memoryBytes }

    func update(_ arguments: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        let column = arguments[0].materialized()
        guard case .bits(let bits) = column.storage, bits.byteCount >= Bitmap.byteCount(forBits: count) else {
            throw ExecutionError.unsupported("\(column.type) argument without bit storage")
        }
        let values = values.pointer(as: UInt8.self)
        let seen = seen.pointer(as: UInt8.self)
        let validity = column.validity?.baseAddress
        withExtendedLifetime(column) {
            for row in 0..<count where validity == nil || Bitmap.isSet(validity!, row) {
                let group = groups.map { Int($0[row]) } ?? 0
                let value: UInt8 = Bitmap.isSet(bits.baseAddress, row) ? 1 : 0
                if seen[group] == 0 {
                    values[group] = value
                    seen[group] = 1
                } else {
                    values[group] = isMax ? values[group] | value : values[group] & value
                }
            }
        }
    }

    func merge(_ states: [Column], groups: UnsafePointer<Int32>?, count: Int) throws {
        try update(states, groups: groups, count: count)
    }

    func stateColumns(_ range: Range<Int>) -> [Column] { [resultColumn(range)] }

    func resultColumn(_ range: Range<Int>) -> Column {
        let values = values.pointer(as: UInt8.self) + range.lowerBound
        let seen = seen.pointer(as: UInt8.self) + range.lowerBound
        let (validity, nulls) = StateColumns.validity(count: range.count) { seen[$0] != 0 }
        let bits = Bitmap.buffer(from: (0..<range.count).lazy.map { values[$0] != 0 }, count: range.count)
        return Column(type: .boolean, count: range.count, validity: validity, nullCount: nulls, storage: .bits(bits))
    }
}
