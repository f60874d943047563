extension LogicalType: CustomStringConvertible {
    /// The spelling of parquet-format's LogicalTypes.md: `STRING`, `DECIMAL(10,2)`,
    /// `TIMESTAMP(MICROS,true)`, `INT(8,false)`.
    public var description: String {
        switch self {
        case .string: "STRING"
        case .map: "MAP"
        case .list: "LIST"
        case .enumeration: "ENUM"
        case .decimal(let scale, let precision): "DECIMAL(\(precision),\(scale))"
        case .date: "DATE"
        case .time(let utc, let unit): "TIME(\(unit),\(utc))"
        case .timestamp(let utc, let unit): "TIMESTAMP(\(unit),\(utc))"
        case .integer(let bitWidth, let isSigned): "INT(\(bitWidth),\(isSigned))"
        case .unknown: "UNKNOWN"
        case .json: "JSON"
        case .bson: "BSON"
        case .uuid: "UUID"
        case .float16: "FLOAT16"
        case .variant: "VARIANT"
        case .geometry: "GEOMETRY"
        case .geography: "GEOGRAPHY"
        case .unrecognized(let id): "LOGICAL_TYPE(\(id))"
        }
    }
}

extension LogicalTimeUnit: CustomStringConvertible {
    public var description: String {
        switch self {
        case .millis: "MILLIS"
        case .micros: "MICROS"
        case .nanos: "NANOS"
        }
    }
}
