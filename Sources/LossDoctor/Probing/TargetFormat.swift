/// How a loss receives its target. The probe set and the simulated training task both follow it, so a
/// multi-class loss is probed and trained as multi-class.
public enum TargetFormat: Hashable, Sendable {
    /// One channel of 0/1 foreground (`(N, H, W, 1)` channels-last, `(N, 1, H, W)` channels-first).
    case binary
    /// One 0/1 mask without a channel axis, `(N, H, W)`, next to a one-channel prediction: what kornia's binary
    /// Lovasz hinge checks for, and what `F.binary_cross_entropy_with_logits(logits.squeeze(1), mask)` takes.
    case binaryWithoutChannel
    /// One-hot masks over `classes` channels, background as channel 0, in the loss's layout.
    case oneHot(classes: Int)
    /// Integer class indices `(N, H, W)` without a channel axis (PyTorch's `cross_entropy` convention);
    /// pixels equal to `ignoreIndex` (often 255) belong to no class.
    case classIndex(classes: Int, ignoreIndex: Int?)
    /// Integer class indices with a channel axis of extent 1 (`(N, 1, H, W)` channels-first): the label maps
    /// MONAI's `to_onehot_y=True` and kornia's Hausdorff losses take.
    case labelMap(classes: Int)

    /// The classes a multi-class probe uses when the loss does not fix them: background and two objects.
    public static let defaultClasses = 3
    /// The `ignore_index` of the class-index probes with an ignored region (PASCAL VOC's void label).
    public static let defaultIgnoreIndex = 255

    /// The number of classes the prediction carries (its channel extent).
    public var classes: Int {
        switch self {
        case .binary, .binaryWithoutChannel: 1
        case .oneHot(let classes), .classIndex(let classes, _), .labelMap(let classes): classes
        }
    }

    /// Whether the prediction has more than one class channel.
    public var isMultiClass: Bool { classes > 1 }

    /// As reports say it: `binary`, `one-hot (3 classes)`, `class-index (3 classes, ignore_index 255)`.
    public var summary: String {
        switch self {
        case .binary: "binary"
        case .binaryWithoutChannel: "binary without a channel axis"
        case .oneHot(let c): "one-hot (\(c) classes)"
        case .classIndex(let c, let ignore): "class-index (\(c) classes\(ignore.map { ", ignore_index \($0)" } ?? ""))"
        case .labelMap(let c): "label-map (\(c) classes, a channel axis of 1)"
        }
    }

    /// The class of a foreground pixel at row `y`, column `x` of an `height` x `width` image: the image's
    /// quadrants alternate between object classes (for 3 classes: top-left and bottom-right 1, the others 2).
    /// It depends only on the relative position, so a batch cut into samples or upsampled 2x keeps its
    /// classes; objects in one quadrant leave the other classes absent from their sample.
    static func objectClass(y: Int, x: Int, height: Int, width: Int, classes: Int) -> Int {
        let objects = Swift.max(1, classes - 1)
        return 1 + ((2 * y / Swift.max(1, height)) + (2 * x / Swift.max(1, width))) % objects
    }

    /// Whether a pixel lies in the ignored frame of a class-index probe with `ignoreIndex`: a border of
    /// 1/32 of the side (2 pixels of 64), where VOC puts its void label.
    static func isIgnored(y: Int, x: Int, height: Int, width: Int) -> Bool {
        let border = Swift.max(1, height / 32), side = Swift.max(1, width / 32)
        return y < border || x < side || y >= height - border || x >= width - side
    }

    /// The class of every pixel of a binary mask `(N, H, W)`: 0 on background, `objectClass` on foreground.
    func classMap(_ mask: [Float], height: Int, width: Int) -> [Int] {
        mask.indices.map { i in
            guard mask[i] > 0.5 else { return 0 }
            guard classes > 1 else { return 1 }
            let pixel = i % (height * width)
            return Self.objectClass(y: pixel / width, x: pixel % width, height: height, width: width, classes: classes)
        }
    }
}

/// What `--target` names: the format without its class count.
public enum TargetKind: String, Sendable, CaseIterable {
    case binary
    case oneHot = "one-hot"
    case index
    case labelMap = "label-map"

    /// The format with `classes` (default 3); class-index targets carry the ignored region of `ignoreIndex`
    /// (none by default), the other formats have no ignore label.
    public func format(classes: Int?, ignoreIndex: Int? = nil) -> TargetFormat {
        let count = Swift.max(2, classes ?? TargetFormat.defaultClasses)
        switch self {
        case .binary: return .binary
        case .oneHot: return .oneHot(classes: count)
        case .index: return .classIndex(classes: count, ignoreIndex: ignoreIndex)
        case .labelMap: return .labelMap(classes: count)
        }
    }
}
