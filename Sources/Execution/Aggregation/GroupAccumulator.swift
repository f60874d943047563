import Columnar

/// The per-group state of one aggregate, updated a batch at a time.
///
/// Implementations keep their state in `StateArray`s indexed by group id and pick a
/// type-specialised loop once per batch (by a switch on the argument type), so the per-row work
/// is a typed load, an add or compare, and a store.
protocol GroupAccumulator: AnyObject {
    /// Makes room for groups `0..<groupCount`; new groups start empty.
    func resize(groupCount: Int)
    /// Adds raw argument values: row `i` belongs to group `groups[i]` (group 0 when `groups` is nil).
    func update(_ arguments: [Column], groups: UnsafePointer<Int32>?, count: Int) throws
    /// Adds partial states (columns of `AggregateSpec.partialStateTypes`).
    func merge(_ states: [Column], groups: UnsafePointer<Int32>?, count: Int) throws
    /// The partial state of groups `range`.
    func stateColumns(_ range: Range<Int>) -> [Column]
    /// The final value of groups `range`.
    func resultColumn(_ range: Range<Int>) -> Column
    var memoryBytes: Int { get }
}

/// How values of a numeric or temporal type are stored, for picking a typed kernel.
enum NumericKind {
    case int8, int16, int32, int64, uint8, uint16, uint32, uint64
    case float16, float32, float64
    /// Up to 38 digits, `Int128` unscaled.
    case decimal

    init?(_ type: DataType) {
        switch type {
        case .int8: self = .int8
        case .int16: self = .int16
        case .int32, .date32: self = .int32
        case .int64, .timestamp: self = .int64
        case .time: self = type.byteWidth == 4 ? .int32 : .int64
        case .uint8: self = .uint8
        case .uint16: self = .uint16
        case .uint32: self = .uint32
        case .uint64: self = .uint64
        case .float16: self = .float16
        case .float32: self = .float32
        case .float64: self = .float64
        case .decimal(let precision, _) where precision <= 38: self = .decimal
        default: return nil
        }
    }

    var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
        default: false
        }
    }
}

/// Values that convert to `Double` for double sums and averages.
protocol DoubleConvertible: BitwiseCopyable {
    var doubleValue: Double { get }
}

extension Int8: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension Int16: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension Int32: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension Int64: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension UInt8: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension UInt16: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension UInt32: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension UInt64: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension Float16: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension Float: DoubleConvertible { @inline(__always) var doubleValue: Double { Double(self) } }
extension Double: DoubleConvertible { @inline(__always) var doubleValue: Double { self } }

/// Builds output columns from per-group state.
enum StateColumns {
    /// A validity bitmap with bit `i` set when `isPresent(i)`, or nil when all are present.
    static func validity(count: Int, _ isPresent: (Int) -> Bool) -> (buffer: Buffer?, nullCount: Int) {
        var nulls = 0
        let buffer = Buffer(byteCount: Bitmap.byteCount(forBits: count)) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            for i in 0..<count {
                if isPresent(i) { Bitmap.set(raw.baseAddress!, i) } else { nulls += 1 }
            }
        }
        return (nulls == 0 ? nil : buffer, nulls)
    }

    /// A fixed-width column of `type` whose value `i` is `value(i)` (ignored where null).
    static func fixedWidth<T: BitwiseCopyable>(_ type: DataType, count: Int, as: T.Type,
                                               present: (Int) -> Bool, value: (Int) -> T) -> Column {
        precondition(type.byteWidth == MemoryLayout<T>.size, "\(T.self) does not match \(type)")
        let (validity, nulls) = validity(count: count, present)
        let data = Buffer(byteCount: count * MemoryLayout<T>.size) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            for i in 0..<count where validity == nil || Bitmap.isSet(validity!.baseAddress, i) {
                raw.storeBytes(of: value(i), toByteOffset: i * MemoryLayout<T>.size, as: T.self)
            }
        }
        return Column(type: type, count: count, validity: validity, nullCount: nulls, storage: .fixedWidth(data))
    }

    /// Copies `count` state values starting at `values` into a column.
    static func copy<T: BitwiseCopyable>(_ type: DataType, _ values: UnsafePointer<T>, count: Int,
                                         present: (Int) -> Bool) -> Column {
        fixedWidth(type, count: count, as: T.self, present: present) { values[$0] }
    }
}

extension Column {
    /// The column with a dictionary that holds NULLs decoded, so that `validity` alone says
    /// which rows are NULL.
    var withRowValidity: Column {
        if case .dictionary(_, let dictionary) = storage, dictionary.validity != nil { return materialized() }
        return self
    }
}
