/// The synthetic target masks the probes use: binary, channels-last `(batch, height, width, 1)`.
enum MaskKind: String, CaseIterable, Sendable {
    /// No foreground at all.
    case empty
    /// Every pixel foreground.
    case full
    /// About half the pixels foreground (a half-plane per image, shifted per sample).
    case balanced
    /// One 8x8 square per 64x64 image: 1.56 % foreground, like the seed's masks.
    case imbalanced
    /// One 3x3 object per image: 9 pixels.
    case tiny
    /// Half the samples empty, the others with a 16x16 square.
    case mixed

    /// One line for the probe table.
    var summary: String {
        switch self {
        case .empty: "no foreground"
        case .full: "all foreground"
        case .balanced: "about 50 % foreground"
        case .imbalanced: "an 8x8 square per 64x64 image (1.56 % foreground, like the seed)"
        case .tiny: "a 3x3 object per image (9 pixels)"
        case .mixed: "half the samples empty, half with a 16x16 square"
        }
    }
}

/// The geometry of a probe batch.
struct ProbeGeometry: Hashable, Sendable {
    var batch = 4
    var height = 64
    var width = 64
    var seed: UInt64 = 20_201_001

    init() {}

    /// The channels-last shape of a one-channel mask.
    var shape: [Int] { [batch, height, width, 1] }

    /// Builds a mask of `kind`, deterministic for the geometry's seed.
    func mask(_ kind: MaskKind) -> [Float] {
        var generator = SeededGenerator(seed: seed &+ UInt64(MaskKind.allCases.firstIndex(of: kind)!))
        var values = [Float](repeating: 0, count: batch * height * width)
        func square(sample: Int, side: Int) {
            let top = generator.nextInt(height - side + 1), left = generator.nextInt(width - side + 1)
            for y in top..<(top + side) { for x in left..<(left + side) { values[(sample * height + y) * width + x] = 1 } }
        }
        for sample in 0..<batch {
            switch kind {
            case .empty: break
            case .full: for i in 0..<(height * width) { values[sample * height * width + i] = 1 }
            case .balanced:
                let edge = width / 2 + generator.nextInt(5) - 2
                for y in 0..<height { for x in 0..<width where x < edge { values[(sample * height + y) * width + x] = 1 } }
            case .imbalanced: square(sample: sample, side: Swift.max(1, height / 8))
            case .tiny: square(sample: sample, side: 3)
            case .mixed: if sample % 2 == 1 { square(sample: sample, side: Swift.max(1, height / 4)) }
            }
        }
        return values
    }
}
