/// How a loss receives its target. The probe set and the simulated training task both follow it, so a
/// multi-class loss is probed and trained as multi-class.
public enum TargetFormat: Hashable, Sendable {
    /// One channel of 0/1 foreground (`(N, H, W, 1)` channels-last, `(N, 1, H, W)` channels-first).
    case binary
    /// One-hot masks over `classes` channels, background as channel 0, in the loss's layout.
    case oneHot(classes: Int)
    /// Integer class indices `(N, H, W)` without a channel axis (PyTorch's `cross_entropy` convention);
    /// pixels equal to `ignoreIndex` (often 255) belong to no class.
    case classIndex(classes: Int, ignoreIndex: Int?)

    /// The number of classes the prediction carries (its channel extent).
    public var classes: Int {
        switch self {
        case .binary: 1
        case .oneHot(let classes), .classIndex(let classes, _): classes
        }
    }
}
