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
