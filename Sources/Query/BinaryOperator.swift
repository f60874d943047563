/// Operators with two operands.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// `<=>`: equality where NULL equals NULL (never null itself).
    case nullSafeEqual = "<=>"
    case and = "AND"
    case or = "OR"
    /// `||`: string concatenation.
    case concat = "||"

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .nullSafeEqual: true
        default: false
        }
    }

    public var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo: true
        default: false
        }
    }

    public var isLogical: Bool { self == .and || self == .or }

    /// The comparison with its operands swapped (`a < b` is `b > a`).
    public var swapped: BinaryOperator {
        switch self {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        default: self
        }
    }

    /// Binding strength in SQL text, for printing with the fewest parentheses.
    var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .nullSafeEqual: 4
        case .add, .subtract, .concat: 6
        case .multiply, .divide, .modulo: 7
        }
    }
}
