/// One column of a record batch: `count` values of `type`, an optional validity bitmap and the
/// storage that matches the type's layout.
///
/// Columns are immutable values over shared `Buffer`s, so copying a column or a batch is cheap.
/// A column may be dictionary encoded (`Storage.dictionary`): then its values are `Int32` indices
/// into a dictionary column of the same type, and the validity bitmap is the outer column's.
public struct Column: Sendable {
    public let type: DataType
    public let count: Int
    public let nullCount: Int
    /// Bit `i` set when value `i` is present. `nil` when there are no nulls.
    public let validity: Buffer?
    public let storage: Storage

    public indirect enum Storage: Sendable {
        /// `count * byteWidth` bytes of little-endian values.
        case fixedWidth(Buffer)
        /// Booleans, one bit each.
        case bits(Buffer)
        /// `count + 1` `Int32` offsets into `data`; value `i` is `data[offsets[i]..<offsets[i+1]]`.
        case variableWidth(offsets: Buffer, data: Buffer)
        /// `count` `Int32` indices into `dictionary`, which has this column's type and no dictionary itself.
        case dictionary(indices: Buffer, dictionary: Column)
        /// `count + 1` `Int32` offsets into `values`; lists and maps (whose values are key/value structs).
        case list(offsets: Buffer, values: Column)
        /// One child per struct field, each `count` long.
        case structure([Column])
    }

    /// Builds a column; `nullCount` is computed from `validity` when not given.
    public init(type: DataType, count: Int, validity: Buffer?, nullCount: Int? = nil, storage: Storage) {
        self.type = type
        self.count = count
        self.storage = storage
        if let validity {
            let nulls = nullCount ?? (count - validity.withUnsafeBytes {
                Bitmap.countSetBits($0.baseAddress!, bitCount: count)
            })
            self.nullCount = nulls
            self.validity = nulls == 0 ? nil : validity
        } else {
            self.nullCount = 0
            self.validity = nil
        }
    }

    @inlinable
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !Bitmap.isSet(validity.baseAddress, index)
    }

    /// The dictionary-encoded column decoded into plain storage; other columns are returned as is.
    public func materialized() -> Column {
        guard case .dictionary(let indices, let dictionary) = storage else { return self }
        return dictionary.gather(indices: indices, count: count, validity: validity)
    }

    /// Value `index` of a fixed-width column, read as `T`. Slow path for display and tests.
    public func fixedWidthValue<T: BitwiseCopyable>(at index: Int, as type: T.Type) -> T {
        switch storage {
        case .fixedWidth(let buffer):
            return buffer.load(index, as: T.self)
        case .dictionary(let indices, let dictionary):
            return dictionary.fixedWidthValue(at: Int(indices.load(index, as: Int32.self)), as: T.self)
        default:
            preconditionFailure("\(self.type) is not fixed width")
        }
    }

    /// Value `index` of a boolean column.
    public func booleanValue(at index: Int) -> Bool {
        switch storage {
        case .bits(let bits): return Bitmap.isSet(bits.baseAddress, index)
        case .dictionary(let indices, let dictionary):
            return dictionary.booleanValue(at: Int(indices.load(index, as: Int32.self)))
        default: preconditionFailure("\(type) is not boolean")
        }
    }

    /// Calls `body` with the bytes of value `index` of a variable-width column.
    public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .variableWidth(let offsets, let data):
            let start = Int(offsets.load(index, as: Int32.self))
            let end = Int(offsets.load(index + 1, as: Int32.self))
            return try body(UnsafeRawBufferPointer(start: data.baseAddress + start, count: end - start))
        case .fixedWidth(let data):
            let width = type.byteWidth!
            return try body(UnsafeRawBufferPointer(start: data.baseAddress + index * width, count: width))
        case .dictionary(let indices, let dictionary):
            return try dictionary.withBytes(at: Int(indices.load(index, as: Int32.self)), body)
        default:
            preconditionFailure("\(type) has no byte values")
        }
    }

    /// Value `index` as a Swift string (text and binary columns); slow path for display and tests.
    public func stringValue(at index: Int) -> String {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Range of child values of list `index`.
    public func listRange(at index: Int) -> Range<Int> {
        guard case .list(let offsets, _) = storage else { preconditionFailure("\(type) is not a list") }
        return Int(offsets.load(index, as: Int32.self))..<Int(offsets.load(index + 1, as: Int32.self))
    }
}
