/// The shape a loss receives its probes in. The probes are always made as 2-D image batches; a loss made
/// for another shape gets them folded, so every mask kind keeps its meaning and the probe tables, scale
/// probes and simulated run need no batches of their own.
enum ProbeShape: Hashable, Sendable {
    /// `(N, C, H, W)` or `(N, H, W, C)`: what segmentation losses take.
    case images
    /// `(N, C, D, H, W)` or `(N, D, H, W, C)`: a 3-D loss (`VolumeProbe`).
    case volumes
    /// `(N·H·W, C)` with class indices `(N·H·W,)`: a classification loss, each pixel a sample (`RowProbe`).
    case rows
    /// `(N, H, W)` prediction and mask, no channel axis: a binary loss on a squeezed one-channel output
    /// (`batch, h, w = logits.shape`), which a 4-D probe breaks.
    case channelless

    /// A probe tensor in `layout`, in this shape. A reshape (and for channels-first rows a permutation):
    /// the gradient reaches the 2-D prediction unchanged.
    func fold(_ tensor: Tensor, layout: Layout) throws -> Tensor {
        switch self {
        case .images: tensor
        case .volumes: try VolumeProbe.fold(tensor, layout: layout)
        case .rows: try RowProbe.fold(tensor, layout: layout)
        case .channelless: try Self.squeezeChannel(tensor, layout: layout)
        }
    }

    /// As the report's inference line says it, after the reason it was chosen.
    func summary(height: Int) -> String? {
        switch self {
        case .images: nil
        case .volumes: "3-D volumes of \(VolumeProbe.depth(height: height)) slices"
        case .rows: "a classification batch, each pixel a sample (N·H·W, C)"
        case .channelless: "prediction and mask without a channel axis (N, H, W)"
        }
    }

    /// The suffix of a probe set's name in exports (`-volume`, `-rows`).
    var setSuffix: String {
        switch self {
        case .images: ""
        case .volumes: "-volume"
        case .rows: "-rows"
        case .channelless: "-channelless"
        }
    }

    /// A one-channel 4-D tensor without its channel axis; anything else (class indices, several channels) as it is.
    private static func squeezeChannel(_ tensor: Tensor, layout: Layout) throws -> Tensor {
        let shape = tensor.shape
        guard shape.count == 4 else { return tensor }
        let axis = layout == .channelsFirst ? 1 : 3
        guard shape[axis] == 1 else { return tensor }
        var squeezed = shape
        squeezed.remove(at: axis)
        return try tensor.reshaped(squeezed)
    }
}

/// Classification probes for losses of `(N, C)` scores and `(N,)` class indices (a soft F1, a symmetric
/// cross-entropy, a focal cosine loss): each pixel of the image probes is one sample, so the imbalanced mask
/// is a batch with 1.56 % positive samples and the empty mask a batch of one class.
enum RowProbe {
    /// `(N, H, W, C)` -> `(N·H·W, C)`; `(N, C, H, W)` -> `(N, H, W, C)` -> `(N·H·W, C)`; class indices
    /// `(N, H, W)` -> `(N·H·W,)`.
    static func fold(_ tensor: Tensor, layout: Layout) throws -> Tensor {
        let shape = tensor.shape
        switch shape.count {
        case 3: return try tensor.reshaped([shape.reduce(1, *)])
        case 4:
            let last = layout == .channelsFirst ? try tensor.transposed([0, 2, 3, 1]) : tensor
            return try last.reshaped([last.shape[0] * last.shape[1] * last.shape[2], last.shape[3]])
        default: return tensor
        }
    }
}
