#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic number formatting for every user-visible number: `significant` digits, no trailing
/// zeros, scientific notation outside [1e-4, 1e6). The same value always prints the same bytes.
func formatNumber(_ value: Double, significant: Int = 4) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == 0 { return "0" }
    let magnitude = Swift.abs(value)
    var exponent = Int(floor(log10(magnitude)))
    var digits = (magnitude / pow(10, Double(exponent - significant + 1))).rounded()
    if digits >= pow(10, Double(significant)) { exponent += 1; digits = (digits / 10).rounded() }
    var text = String(Int64(digits))  // `significant` digits
    let sign = value < 0 ? "-" : ""
    if exponent < -4 || exponent >= 6 {
        var mantissa = String(text.removeFirst())
        let rest = String(text.reversed().drop { $0 == "0" }.reversed())
        if !rest.isEmpty { mantissa += "." + rest }
        return "\(sign)\(mantissa)e\(exponent < 0 ? "-" : "+")\(Swift.abs(exponent) < 10 ? "0" : "")\(Swift.abs(exponent))"
    }
    let pointAt = exponent + 1  // digits before the decimal point
    if pointAt <= 0 {
        text = String(repeating: "0", count: -pointAt) + text
        let fraction = String(text.reversed().drop { $0 == "0" }.reversed())
        return "\(sign)0.\(fraction)"
    }
    if pointAt >= text.count { return sign + text + String(repeating: "0", count: pointAt - text.count) }
    let whole = text.prefix(pointAt)
    let fraction = String(text.dropFirst(pointAt).reversed().drop { $0 == "0" }.reversed())
    return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
}

/// Formats a float32 value.
func formatNumber(_ value: Float, significant: Int = 4) -> String { formatNumber(Double(value), significant: significant) }
