/// The synthetic segmentation task every simulated run trains on: one-channel images of blobs of varied
/// size (some tiny, some images empty) on a noisy background, with their masks. Binary: bright blobs.
/// Multi-class: each blob belongs to one of the object classes, told apart by its intensity (class 1
/// bright, class 2 dark, class 3 brighter, ...), so a 3x3 convolution can learn every class.
/// Deterministic: the same configuration gives the same bytes on every machine.
struct SegmentationTask: Sendable {
    /// The sizes and the seed of a task.
    struct Configuration: Hashable, Sendable {
        var trainImages = 8
        var validationImages = 8
        var height = 32
        var width = 32
        /// Standard deviation of the background noise; blobs are 1 brighter.
        var noise: Float = 0.6
        /// The task's own seed (independent of the probes' seed).
        var seed: UInt64 = 20_240_404
        /// Object classes besides the background: 1 is the binary task.
        var objectClasses = 1

        init() {}
    }

    /// Images and masks of one split, channels-last `(n, height, width, 1)`.
    struct Split: Sendable {
        let images: [Float]
        /// Foreground (any object class) 1, background 0.
        let masks: [Float]
        /// The class of each pixel, 0 for the background.
        let labels: [Int]
        let shape: [Int]

        /// The fraction of foreground pixels.
        var foregroundFraction: Double {
            masks.isEmpty ? 0 : Double(masks.reduce(0, +)) / Double(masks.count)
        }

        /// The accuracy of a model that predicts background everywhere: the background fraction.
        var allBackgroundAccuracy: Double { 1 - foregroundFraction }

        /// Number of images with no foreground.
        var emptyImages: Int {
            let per = shape[1] * shape[2]
            return (0..<shape[0]).filter { s in !masks[(s * per)..<((s + 1) * per)].contains(1) }.count
        }
    }

    let configuration: Configuration
    let train: Split
    let validation: Split

    /// Generates the task. Every fourth image is empty; the others hold one to three blobs of radius
    /// 0.8 to 4.5 pixels, and the first blob of the second image of each split is tiny (radius under 1.3).
    init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var generator = SeededGenerator(seed: configuration.seed)
        train = Self.split(configuration.trainImages, configuration, &generator)
        validation = Self.split(configuration.validationImages, configuration, &generator)
    }

    private static func split(_ count: Int, _ c: Configuration, _ generator: inout SeededGenerator) -> Split {
        let (h, w) = (c.height, c.width)
        var images = [Float](repeating: 0, count: count * h * w)
        var masks = [Float](repeating: 0, count: count * h * w)
        var labels = [Int](repeating: 0, count: count * h * w)
        for sample in 0..<count {
            let base = sample * h * w
            let blobs = sample % 4 == 3 ? 0 : 1 + generator.nextInt(3)
            for blob in 0..<blobs {
                // Drawn only for several classes, so that the binary task keeps its bytes.
                let label = c.objectClasses > 1 ? 1 + generator.nextInt(c.objectClasses) : 1
                let tiny = sample % 4 == 1 && blob == 0
                let radius = tiny ? 0.8 + 0.5 * generator.nextUnit() : 1.2 + 3.3 * generator.nextUnit()
                // Slightly elliptic: one axis stretched by up to 40 %.
                let stretch = 1 + 0.4 * generator.nextUnit()
                let (ry, rx) = generator.nextUnit() < 0.5 ? (radius * stretch, radius) : (radius, radius * stretch)
                let cy = Float(2 + generator.nextInt(h - 4)) + generator.nextUnit() - 0.5
                let cx = Float(2 + generator.nextInt(w - 4)) + generator.nextUnit() - 0.5
                for y in 0..<h {
                    for x in 0..<w {
                        let dy = (Float(y) - cy) / ry, dx = (Float(x) - cx) / rx
                        if dy * dy + dx * dx <= 1 {
                            masks[base + y * w + x] = 1
                            labels[base + y * w + x] = label
                        }
                    }
                }
            }
            for i in 0..<(h * w) {
                // Irwin-Hall: the sum of four uniforms, centred and scaled to unit variance (no libm needed).
                let gaussian = (generator.nextUnit() + generator.nextUnit() + generator.nextUnit() + generator.nextUnit() - 2) * 1.7320508
                images[base + i] = Self.intensity(labels[base + i]) + c.noise * gaussian
            }
        }
        return Split(images: images, masks: masks, labels: labels, shape: [count, h, w, 1])
    }

    /// The mean intensity of a class: 0 for the background, then +1, -1, +2, -2, ...
    static func intensity(_ label: Int) -> Float {
        label == 0 ? 0 : Float((label + 1) / 2) * (label % 2 == 1 ? 1 : -1)
    }

    /// The number of classes a prediction carries: the background plus the object classes.
    var classes: Int { configuration.objectClasses + 1 }
}
