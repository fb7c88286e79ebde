/// A JSON document, written by our own deterministic writer: keys sorted, numbers in their shortest
/// round-trip form, NaN and infinities as the strings `"nan"`, `"inf"`, `"-inf"` (JSON has no NaN).
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number already written as JSON text; build it with `number(_:)`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A double in its shortest round-trip form (`0.1`, `1e-07`), integers without a fraction. A value that
    /// is exactly a float32 (most measurements are) is written in float32's shortest form: `15.94513`, not
    /// `15.945130348205566`.
    static func number(_ value: Double) -> JSONValue {
        guard value.isFinite else { return .string(formatNumber(value)) }
        if Double(Float(value)) == value { return number(Float(value)) }
        if value == value.rounded(), Swift.abs(value) < 9_007_199_254_740_992 { return .number(String(Int64(value))) }
        return .number(value.description)
    }

    /// A float32 in its own shortest round-trip form (`0.9218`, not `0.921800017...`).
    static func number(_ value: Float) -> JSONValue {
        guard value.isFinite else { return .string(formatNumber(value)) }
        if value == value.rounded(), Swift.abs(value) < 16_777_216 { return .number(String(Int64(value))) }
        return .number(value.description)
    }

    static func number(_ value: Int) -> JSONValue { .number(String(value)) }

    /// A string, or `null` when absent.
    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// The document as text: two-space indentation, sorted keys, short scalar containers on one line.
    func serialized() -> String {
        var out = ""
        write(to: &out, indent: 0)
        return out + "\n"
    }

    /// Containers of scalars at most this long are written on one line.
    private static let inlineWidth = 100

    /// A scalar that is not prose: numbers (with "nan" and "inf"), codes, names.
    private var isToken: Bool {
        switch self {
        case .string(let s): s.count <= 12
        default: isScalar
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let text): out += text
        case .string(let s): out += Self.quoted(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                // Arrays of numbers and short tokens (sweeps, shapes, codes) stay on one line whatever their length.
                let line = "[" + items.map(\.inline).joined(separator: ", ") + "]"
                if line.count <= Self.inlineWidth || items.allSatisfy(\.isToken) { out += line; return }
            }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1)
                out += i < items.count - 1 ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            let keys = members.keys.sorted()
            if members.values.allSatisfy(\.isScalar) {
                let line = "{" + keys.map { Self.quoted($0) + ": " + members[$0]!.inline }.joined(separator: ", ") + "}"
                if line.count <= Self.inlineWidth { out += line; return }
            }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "{\n"
            for (i, key) in keys.enumerated() {
                out += pad + Self.quoted(key) + ": "
                members[key]!.write(to: &out, indent: indent + 1)
                out += i < keys.count - 1 ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// A scalar's text.
    private var inline: String {
        var out = ""
        write(to: &out, indent: 0)
        return out
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
