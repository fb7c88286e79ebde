/// An SVG chart of simulated runs, written by hand (no dependencies): validation loss normalised per loss on
/// the left, validation Dice on the right, one colour per loss, axes, labels and a legend.
/// The output is deterministic: the same runs give the same bytes.
struct CurveChart {
    let runs: [TrainingRun]
    var title: String

    /// Tableau 10: distinguishable, and readable by most colour-blind viewers.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    // Geometry, in pixels.
    static let width = 960.0
    static let panelWidth = 380.0
    static let panelHeight = 260.0
    static let panelTop = 84.0
    static let panelLefts = [80.0, 560.0]
    static let legendColumns = 3
    static let legendRowHeight = 22.0

    init(runs: [TrainingRun], title: String = "Simulated training on the synthetic segmentation task") {
        self.runs = runs
        self.title = title
    }

    /// The colour of the `index`-th run.
    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// The chart as an SVG document.
    func svg() -> String {
        let steps = Swift.max(1, runs.map(\.budget.steps).max() ?? 1)
        let legendTop = Self.panelTop + Self.panelHeight + 64
        let legendRows = (runs.count + Self.legendColumns - 1) / Self.legendColumns
        let height = legendTop + Double(legendRows) * Self.legendRowHeight + 16
        var out: [String] = [
            ##"<?xml version="1.0" encoding="UTF-8"?>"##,
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Self.n(Self.width))" height="\##(Self.n(height))" viewBox="0 0 \##(Self.n(Self.width)) \##(Self.n(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">"##,
            ##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
            ##"<text x="\##(Self.n(Self.width / 2))" y="28" text-anchor="middle" font-size="16" font-weight="bold">\##(Self.escape(title))</text>"##,
        ]
        if let first = runs.first {
            let subtitle = "3x3 convolution + Adam (learning rate \(formatNumber(first.budget.learningRate))), \(steps) full-batch steps; validation masks \(formatNumber(first.foregroundFraction * 100, significant: 3)) % foreground"
            out.append(##"<text x="\##(Self.n(Self.width / 2))" y="48" text-anchor="middle" fill="#555555">\##(Self.escape(subtitle))</text>"##)
        }

        let panels: [(title: String, axis: String, values: (TrainingRun) -> [Double], target: Double?)] = [
            ("Validation loss, normalised per loss", "loss, 1 = highest, 0 = lowest of the run", Self.normalisedLoss, nil),
            ("Validation Dice (threshold 0.5)", "Dice", { $0.validationDice }, Simulation.diceTarget),
        ]
        for (panel, left) in zip(panels, Self.panelLefts) {
            out.append(contentsOf: axes(left: left, steps: steps, title: panel.title, axis: panel.axis))
            if let target = panel.target {
                let y = Self.n(yPixel(target))
                out.append(##"<line class="target" x1="\##(Self.n(left))" y1="\##(y)" x2="\##(Self.n(left + Self.panelWidth))" y2="\##(y)" stroke="#888888" stroke-dasharray="5 4"/>"##)
                out.append(##"<text x="\##(Self.n(left + Self.panelWidth - 4))" y="\##(Self.n(yPixel(target) - 5))" text-anchor="end" fill="#666666">target \##(formatNumber(target))</text>"##)
            }
            for (index, run) in runs.enumerated() {
                out.append(contentsOf: curve(panel.values(run), left: left, steps: steps, color: Self.color(index), name: run.lossName))
            }
        }

        out.append(##"<g class="legend">"##)
        for (index, run) in runs.enumerated() {
            let x = Self.panelLefts[0] + Double(index % Self.legendColumns) * 300
            let y = legendTop + Double(index / Self.legendColumns) * Self.legendRowHeight
            let final = run.final.map { "final Dice \(formatNumber($0.dice, significant: 3))" } ?? "did not run"
            let constant = Self.isConstant(run.validationLosses) ? ", loss constant" : ""
            out.append(##"<line x1="\##(Self.n(x))" y1="\##(Self.n(y - 4))" x2="\##(Self.n(x + 28))" y2="\##(Self.n(y - 4))" stroke="\##(Self.color(index))" stroke-width="3"/>"##)
            out.append(##"<text x="\##(Self.n(x + 36))" y="\##(Self.n(y))">\##(Self.escape(run.lossName)) (\##(final)\##(constant))</text>"##)
        }
        out.append("</g>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Frame, grid, ticks and labels of one panel.
    private func axes(left: Double, steps: Int, title: String, axis: String) -> [String] {
        let top = Self.panelTop, bottom = Self.panelTop + Self.panelHeight, right = left + Self.panelWidth
        var out = [##"<g class="axes">"##]
        out.append(##"<text x="\##(Self.n(left + Self.panelWidth / 2))" y="\##(Self.n(top - 12))" text-anchor="middle" font-size="13" font-weight="bold">\##(Self.escape(title))</text>"##)
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let y = Self.n(yPixel(tick))
            out.append(##"<line x1="\##(Self.n(left))" y1="\##(y)" x2="\##(Self.n(right))" y2="\##(y)" stroke="#e6e6e6"/>"##)
            out.append(##"<text x="\##(Self.n(left - 6))" y="\##(Self.n(yPixel(tick) + 4))" text-anchor="end">\##(formatNumber(tick))</text>"##)
        }
        let tickStep = steps <= 20 ? 5 : 10
        for step in stride(from: 0, through: steps, by: tickStep) {
            let x = Self.n(xPixel(step, left: left, steps: steps))
            out.append(##"<line x1="\##(x)" y1="\##(Self.n(bottom))" x2="\##(x)" y2="\##(Self.n(bottom + 5))" stroke="#333333"/>"##)
            out.append(##"<text x="\##(x)" y="\##(Self.n(bottom + 18))" text-anchor="middle">\##(step)</text>"##)
        }
        out.append(##"<line x1="\##(Self.n(left))" y1="\##(Self.n(bottom))" x2="\##(Self.n(right))" y2="\##(Self.n(bottom))" stroke="#333333"/>"##)
        out.append(##"<line x1="\##(Self.n(left))" y1="\##(Self.n(top))" x2="\##(Self.n(left))" y2="\##(Self.n(bottom))" stroke="#333333"/>"##)
        out.append(##"<text x="\##(Self.n(left + Self.panelWidth / 2))" y="\##(Self.n(bottom + 38))" text-anchor="middle">training step</text>"##)
        let mid = Self.n(top + Self.panelHeight / 2), labelX = Self.n(left - 44)
        out.append(##"<text x="\##(labelX)" y="\##(mid)" text-anchor="middle" transform="rotate(-90 \##(labelX) \##(mid))">\##(Self.escape(axis))</text>"##)
        out.append("</g>")
        return out
    }

    /// One run's curve as polylines, broken where a value is not finite.
    private func curve(_ values: [Double], left: Double, steps: Int, color: String, name: String) -> [String] {
        var segments: [[String]] = [[]]
        for (step, value) in values.enumerated() {
            guard value.isFinite else {
                if !(segments.last?.isEmpty ?? true) { segments.append([]) }
                continue
            }
            segments[segments.count - 1].append("\(Self.n(xPixel(step, left: left, steps: steps))),\(Self.n(yPixel(Swift.min(Swift.max(value, 0), 1))))")
        }
        return segments.filter { !$0.isEmpty }.map { points in
            ##"<polyline class="curve" data-loss="\##(Self.escape(name))" fill="none" stroke="\##(color)" stroke-width="2" stroke-linejoin="round" points="\##(points.joined(separator: " "))"/>"##
        }
    }

    private func xPixel(_ step: Int, left: Double, steps: Int) -> Double { left + Double(step) / Double(steps) * Self.panelWidth }
    private func yPixel(_ value: Double) -> Double { Self.panelTop + (1 - value) * Self.panelHeight }

    /// Validation losses scaled to [0, 1] between the run's lowest and highest finite value; a constant
    /// loss stays at 1 (it never left its starting level).
    static func normalisedLoss(_ run: TrainingRun) -> [Double] {
        let values = run.validationLosses.map(Double.init)
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return values }
        return values.map { $0.isFinite ? (high > low ? ($0 - low) / (high - low) : 1) : .nan }
    }

    static func isConstant(_ values: [Float]) -> Bool {
        let finite = values.filter(\.isFinite)
        return !finite.isEmpty && finite.min() == finite.max()
    }

    /// A coordinate with one decimal, no trailing `.0`.
    static func n(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = Swift.abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// Escapes text for XML content and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
