/// Mirrors thrift struct `GeospatialStatistics`: statistics of GEOMETRY and GEOGRAPHY columns.
public struct GeospatialStatistics: Equatable, Hashable, Sendable, ThriftCodable {
    public var bbox: BoundingBox?
    /// WKB geometry type codes of all values; empty when not known.
    public var geospatialTypes: [Int32]?

    public init(bbox: BoundingBox? = nil, geospatialTypes: [Int32]? = nil) {
        self.bbox = bbox
        self.geospatialTypes = geospatialTypes
    }

    public init(from reader: inout ThriftCompactReader) throws {
        self.init()
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .struct: bbox = try BoundingBox(from: &reader)
            case 2 where field.type == .list: geospatialTypes = try reader.readI32List()
            default: try reader.skip(field)
            }
        }
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeStructField(1, bbox)
        writer.writeI32ListField(2, geospatialTypes)
        writer.endStruct(enclosing)
    }
}

/// Mirrors thrift struct `BoundingBox`: the extent of geospatial values on each axis.
public struct BoundingBox: Equatable, Hashable, Sendable, ThriftCodable {
    public var xmin: Double
    public var xmax: Double
    public var ymin: Double
    public var ymax: Double
    public var zmin: Double?
    public var zmax: Double?
    public var mmin: Double?
    public var mmax: Double?

    public init(
        xmin: Double, xmax: Double, ymin: Double, ymax: Double,
        zmin: Double? = nil, zmax: Double? = nil, mmin: Double? = nil, mmax: Double? = nil
    ) {
        self.xmin = xmin
        self.xmax = xmax
        self.ymin = ymin
        self.ymax = ymax
        self.zmin = zmin
        self.zmax = zmax
        self.mmin = mmin
        self.mmax = mmax
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var xmin, xmax, ymin, ymax, zmin, zmax, mmin, mmax: Double?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .double: xmin = try reader.readDouble()
            case 2 where field.type == .double: xmax = try reader.readDouble()
            case 3 where field.type == .double: ymin = try reader.readDouble()
            case 4 where field.type == .double: ymax = try reader.readDouble()
            case 5 where field.type == .double: zmin = try reader.readDouble()
            case 6 where field.type == .double: zmax = try reader.readDouble()
            case 7 where field.type == .double: mmin = try reader.readDouble()
            case 8 where field.type == .double: mmax = try reader.readDouble()
            default: try reader.skip(field)
            }
        }
        guard let xmin else { throw reader.missingField("xmin", in: "BoundingBox") }
        guard let xmax else { throw reader.missingField("xmax", in: "BoundingBox") }
        guard let ymin else { throw reader.missingField("ymin", in: "BoundingBox") }
        guard let ymax else { throw reader.missingField("ymax", in: "BoundingBox") }
        self.init(xmin: xmin, xmax: xmax, ymin: ymin, ymax: ymax, zmin: zmin, zmax: zmax, mmin: mmin, mmax: mmax)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeDoubleField(1, xmin)
        writer.writeDoubleField(2, xmax)
        writer.writeDoubleField(3, ymin)
        writer.writeDoubleField(4, ymax)
        writer.writeDoubleField(5, zmin)
        writer.writeDoubleField(6, zmax)
        writer.writeDoubleField(7, mmin)
        writer.writeDoubleField(8, mmax)
        writer.endStruct(enclosing)
    }
}
