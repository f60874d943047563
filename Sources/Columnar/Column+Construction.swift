/// Convenience constructors from Swift arrays, for tests, literals and small results.
extension Column {
    /// A fixed-width column from optional values of the type's storage (e.g. `Int32` for `.date32`).
    public init<T: BitwiseCopyable>(_ type: DataType, _ values: [T?]) {
        precondition(type.byteWidth == MemoryLayout<T>.size, "\(T.self) does not match \(type)")
        let data = Buffer(byteCount: values.count * MemoryLayout<T>.size) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            for (i, value) in values.enumerated() {
                if let value { raw.storeBytes(of: value, toByteOffset: i * MemoryLayout<T>.size, as: T.self) }
            }
        }
        self.init(type: type, count: values.count, validity: Column.validity(values.map { $0 != nil }),
                  storage: .fixedWidth(data))
    }

    /// A boolean column.
    public init(booleans values: [Bool?]) {
        let bits = Bitmap.buffer(from: values.map { $0 ?? false }, count: values.count)
        self.init(type: .boolean, count: values.count, validity: Column.validity(values.map { $0 != nil }),
                  storage: .bits(bits))
    }

    /// A variable-width column (string, binary, json, enum) from byte arrays.
    public init(_ type: DataType, bytes values: [[UInt8]?]) {
        precondition(type.layout == .variableWidth, "\(type) is not variable width")
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        for value in values {
            if let value { data.append(contentsOf: value) }
            offsets.append(Int32(data.count))
        }
        self.init(type: type, count: values.count, validity: Column.validity(values.map { $0 != nil }),
                  storage: .variableWidth(offsets: Buffer(copying: offsets), data: Buffer(copying: data)))
    }

    /// A string column.
    public init(strings values: [String?]) {
        self.init(.string, bytes: values.map { $0.map { Array($0.utf8) } })
    }

    /// A validity buffer for `present`, or nil when nothing is null.
    static func validity(_ present: [Bool]) -> Buffer? {
        present.allSatisfy { $0 } ? nil : Bitmap.buffer(from: present, count: present.count)
    }
}

extension Column {
    /// A column of `count` nulls of `type`, with zeroed storage of the right shape.
    public static func nulls(_ type: DataType, count: Int) -> Column {
        let validity = Buffer(zeroedByteCount: Bitmap.byteCount(forBits: count))
        let storage: Storage
        switch type.layout {
        case .fixedWidth(let width): storage = .fixedWidth(Buffer(zeroedByteCount: count * width))
        case .bits: storage = .bits(Buffer(zeroedByteCount: Bitmap.byteCount(forBits: count)))
        case .variableWidth:
            storage = .variableWidth(offsets: Buffer(zeroedByteCount: (count + 1) * 4), data: Buffer(zeroedByteCount: 0))
        case .list:
            let element: DataType
            switch type {
            case .list(let field): element = field.type
            case .map(let key, let value): element = .structure([key, value])
            default: preconditionFailure("unexpected list type \(type)")
            }
            storage = .list(offsets: Buffer(zeroedByteCount: (count + 1) * 4), values: .nulls(element, count: 0))
        case .structure:
            storage = .structure(type.children.map { .nulls($0.type, count: count) })
        }
        return Column(type: type, count: count, validity: count == 0 ? nil : validity, nullCount: count, storage: storage)
    }
}
