import Columnar
import Query
import Testing
@testable import Execution

/// Integer and floating-point arithmetic. Values: DuckDB (python `duckdb`, with
/// `SET error_on_division_by_zero=false`) where its semantics are Spark's; division and
/// modulo by zero are NULL for floats too (Spark's DivModLike), and overflow is an error
/// (Sparrow's contract).
struct ArithmeticKernelTests {
    typealias S = ExpressionTestSupport

    // duckdb: select a+b, a-b, a*b, a%b from (values (7,2),(-7,2),(7,-2),(-7,-2),(0,5),(NULL,1),(5,0)) v(a,b)
    static let a: [Int32?] = [7, -7, 7, -7, 0, nil, 5]
    static let b: [Int32?] = [2, 2, -2, -2, 5, 1, 0]

    @Test(arguments: [
        (BinaryOperator.add, [9, -5, 5, -9, 5, nil, 5] as [Int64?]),
        (.subtract, [5, -9, 9, -5, -5, nil, 5]),
        (.multiply, [14, -14, -14, 14, 0, nil, 0]),
        // Java's %: the sign of the dividend; by zero NULL.
        (.modulo, [1, -1, 1, -1, 0, nil, nil]),
    ])
    func integers(op: BinaryOperator, expected: [Int64?]) throws {
        let int32 = [("a", Column(.int32, Self.a)), ("b", Column(.int32, Self.b))]
        let result = try S.evaluate(.binary(.col("a"), op, .col("b")), int32)
        #expect(result.type == .int32)
        #expect(S.ints(result).map { $0.map(Int64.init) } == expected)
        let int64 = [("a", Column(.int64, Self.a.map { $0.map(Int64.init) })), ("b", Column(.int64, Self.b.map { $0.map(Int64.init) }))]
        #expect(S.longs(try S.evaluate(.binary(.col("a"), op, .col("b")), int64)) == expected)
        // Column with constant: a OP 2.
        let constant = try S.evaluate(.binary(.col("a"), op, .int32(2)), int32)
        #expect(S.ints(constant)[0] == expected[0].map { Int32($0) })
    }

    @Test func overflowIsAnError() throws {
        let max = [("a", Column(.int32, [Int32.max, 1] as [Int32?]))]
        #expect(throws: ExecutionError.self) { try S.evaluate(.col("a") + .int32(1), max) }
        #expect(throws: ExecutionError.self) { try S.evaluate(.col("a") * .int32(2), max) }
        let min = [("a", Column(.int64, [Int64.min] as [Int64?]))]
        #expect(throws: ExecutionError.self) { try S.evaluate(.col("a") - .int64(1), min) }
        #expect(throws: ExecutionError.self) { try S.evaluate(.negate(.col("a")), min) }
        #expect(throws: ExecutionError.self) { try S.evaluate(.call("abs", .col("a")), min) }
        do {
            _ = try S.evaluate(.col("a") + .int32(1), max)
        } catch let error as ExecutionError {
            #expect(error.description == "cannot compute (a + 1): INT overflow")
        }
    }

    /// A NULL row may hold any bits; what it holds must not count as an overflow.
    @Test func garbageInNullRowsDoesNotOverflow() throws {
        let validity = Bitmap.buffer(from: [true, false, true], count: 3)
        let column = Column(type: .int32, count: 3, validity: validity,
                            storage: .fixedWidth(Buffer(copying: [Int32(1), Int32.max, Int32(3)])))
        #expect(S.ints(try S.evaluate(.col("a") + .int32(10), [("a", column)])) == [11, nil, 13])
    }

    /// JLS 15.17.3: Long.MIN_VALUE % -1 is 0 (the quotient overflows, the remainder does not).
    @Test func minimumModuloMinusOneIsZero() throws {
        let columns = [("a", Column(.int64, [Int64.min] as [Int64?]))]
        #expect(S.longs(try S.evaluate(.binary(.col("a"), .modulo, .int64(-1)), columns)) == [0])
    }

    // duckdb: select a+b, a-b, a*b, a%b from (values (7.5,2.0),(-7.5,2.0),(1.0,0.0),('NaN',1.0),('Infinity',1.0)) v(a,b)
    // (double); `/` and `%` by zero NULL as in Spark.
    @Test func doubles() throws {
        let columns = [("a", Column(.float64, [7.5, -7.5, 1.0, .nan, .infinity, nil] as [Double?])),
                       ("b", Column(.float64, [2.0, 2.0, 0.0, 1.0, 1.0, 1.0] as [Double?]))]
        func run(_ op: BinaryOperator) throws -> [String] {
            S.doubles(try S.evaluate(.binary(.col("a"), op, .col("b")), columns)).map { $0.map { $0.isNaN ? "nan" : "\($0)" } ?? "NULL" }
        }
        #expect(try run(.add) == ["9.5", "-5.5", "1.0", "nan", "inf", "NULL"])
        #expect(try run(.subtract) == ["5.5", "-9.5", "1.0", "nan", "inf", "NULL"])
        #expect(try run(.multiply) == ["15.0", "-15.0", "0.0", "nan", "inf", "NULL"])
        #expect(try run(.divide) == ["3.75", "-3.75", "NULL", "nan", "inf", "NULL"])
        #expect(try run(.modulo) == ["1.5", "-1.5", "NULL", "nan", "nan", "NULL"])
        let negated = S.doubles(try S.evaluate(.negate(.col("a")), columns))
        #expect(negated[0] == -7.5 && negated[1] == 7.5 && negated[5] == nil)
    }

    @Test func floatsStayFloats() throws {
        let columns = [("a", Column(.float32, [1.5, nil] as [Float?]))]
        let result = try S.evaluate(.col("a") * .literal(ScalarValue(.double(2), type: .float32)), columns)
        #expect(result.type == .float32)
        #expect(S.fixed(result, as: Float.self) == [3.0, nil])
        #expect(S.fixed(try S.evaluate(.col("a") / .literal(ScalarValue(.double(0), type: .float32)), columns), as: Float.self) == [nil, nil])
    }

    @Test func constantsAreFoldedAndEmptyBatchesWork() throws {
        let compiled = try CompiledExpression.compile(.int64(6) * .int64(7), input: PlanSchema([]))
        #expect(compiled.isConstant)
        let batch = S.batch([], rowCount: 3)
        #expect(S.longs(try compiled.evaluate(batch)) == [42, 42, 42])
        let empty = [("a", Column(.int64, [] as [Int64?]))]
        #expect(try S.evaluate(.col("a") * .int64(2), empty).count == 0)
        // An overflow among constants fails when evaluated, not when compiled.
        let overflow = try CompiledExpression.compile(.int32(Int32.max) + .int32(1), input: PlanSchema([]))
        #expect(throws: ExecutionError.self) { try overflow.evaluate(batch) }
    }

    @Test func dictionaryEncodedIntegers() throws {
        let dictionary = Column(.int32, [100, 200] as [Int32?])
        let column = Column(type: .int32, count: 4, validity: Bitmap.buffer(from: [true, true, false, true], count: 4),
                            storage: .dictionary(indices: Buffer(copying: [Int32(1), 0, 7, 1]), dictionary: dictionary))
        #expect(S.ints(try S.evaluate(.col("x") + .int32(1), [("x", column)])) == [201, 101, nil, 201])
        #expect(S.ints(try S.evaluate(.col("x") - .col("x"), [("x", column)])) == [0, 0, nil, 0])
    }
}
