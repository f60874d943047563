/// A value type of the Thrift compact protocol, as named by a field, list, set or map header.
///
/// Field headers carry booleans in the type nibble itself (1 = true, 2 = false); both codes map
/// to `.bool` here and the value travels in `ThriftFieldHeader.boolValue`. In list, set and map
/// headers either code means "bool elements", each then stored as one byte.
public enum ThriftType: Sendable, Equatable, CustomStringConvertible {
    case bool, i8, i16, i32, i64, double, binary, list, set, map, `struct`, uuid

    /// Decodes a type nibble; nil for 0 (stop) and the unassigned codes 14 and 15.
    @inline(__always)
    public init?(compactCode: UInt8) {
        switch compactCode {
        case 1, 2: self = .bool
        case 3: self = .i8
        case 4: self = .i16
        case 5: self = .i32
        case 6: self = .i64
        case 7: self = .double
        case 8: self = .binary
        case 9: self = .list
        case 10: self = .set
        case 11: self = .map
        case 12: self = .struct
        case 13: self = .uuid
        default: return nil
        }
    }

    /// The code written in list, set and map headers. Bool elements get 1, as the C++ and Java
    /// Thrift libraries write them (the spec says 2; every reader accepts both).
    @inline(__always)
    public var compactCode: UInt8 {
        switch self {
        case .bool: 1
        case .i8: 3
        case .i16: 4
        case .i32: 5
        case .i64: 6
        case .double: 7
        case .binary: 8
        case .list: 9
        case .set: 10
        case .map: 11
        case .struct: 12
        case .uuid: 13
        }
    }

    /// The fewest bytes one element of this type takes inside a list, set or map.
    @inline(__always)
    var minimumElementSize: Int {
        switch self {
        case .double: 8
        case .uuid: 16
        default: 1  // a varint, a length, a header or a stop byte
        }
    }

    public var description: String {
        switch self {
        case .bool: "bool"
        case .i8: "i8"
        case .i16: "i16"
        case .i32: "i32"
        case .i64: "i64"
        case .double: "double"
        case .binary: "binary"
        case .list: "list"
        case .set: "set"
        case .map: "map"
        case .struct: "struct"
        case .uuid: "uuid"
        }
    }
}

/// The header of one field of a Thrift struct: its id and wire type.
public struct ThriftFieldHeader: Sendable, Equatable {
    public var id: Int16
    public var type: ThriftType
    /// For `.bool` fields, the value, which the compact protocol stores in the header itself.
    public var boolValue: Bool

    public init(id: Int16, type: ThriftType, boolValue: Bool = false) {
        self.id = id
        self.type = type
        self.boolValue = boolValue
    }
}
