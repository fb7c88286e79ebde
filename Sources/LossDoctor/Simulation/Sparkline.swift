/// A curve drawn in one line of block characters, for terminal output: `█▆▄▃▂▂▁▁`.
enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Draws `values` scaled between their minimum and maximum (or between `range` when given), in at most
    /// `width` characters: longer series are sampled at evenly spaced points, first and last included.
    /// A constant series is a flat line at mid height; a non-finite value is a space.
    static func render(_ values: [Double], width: Int = 24, range: ClosedRange<Double>? = nil) -> String {
        guard !values.isEmpty, width > 0 else { return "" }
        let sampled = values.count <= width ? values : (0..<width).map { i in
            values[Int((Double(i) * Double(values.count - 1) / Double(width - 1)).rounded())]
        }
        let finite = sampled.filter(\.isFinite)
        guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else {
            return String(repeating: " ", count: sampled.count)
        }
        return String(sampled.map { value -> Character in
            guard value.isFinite else { return " " }
            guard high > low else { return levels[levels.count / 2 - 1] }
            let t = Swift.min(Swift.max((value - low) / (high - low), 0), 1)
            return levels[Int((t * Double(levels.count - 1)).rounded())]
        })
    }

    /// Draws float values.
    static func render(_ values: [Float], width: Int = 24, range: ClosedRange<Double>? = nil) -> String {
        render(values.map(Double.init), width: width, range: range)
    }
}
