/// How a `ColumnRenderer` spells values; one per output format.
enum CellStyle: Equatable {
    /// JSON values: strings quoted and escaped, binary as quoted base64, null as `null`.
    case json
    /// CSV fields: text as is (quoted per RFC 4180 when needed), empty text as `""`, null as an
    /// empty field, NaN and dates unquoted, nested values as their JSON text.
    case csv(delimiter: UInt8)
    /// Table cells: text as is with control characters escaped and invalid UTF-8 replaced, null as
    /// `NULL`, nested values as their JSON text.
    case display

    /// The text of a null value.
    var nullText: StaticString {
        switch self {
        case .json: "null"
        case .csv: ""
        case .display: "NULL"
        }
    }

    /// True when non-numeric scalars (strings, dates, NaN) are written in double quotes.
    var quotesText: Bool { self == .json }
}
