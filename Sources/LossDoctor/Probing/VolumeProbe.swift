/// Volumetric probes for 3-D losses (CT, MRI: `(N, 1, D, H, W)` in PyTorch, `(N, D, H, W, 1)` in Keras).
/// Each 2-D probe image becomes a short stack of slices: its rows are cut into `depth` bands, so every mask
/// kind keeps its meaning (the 8x8 square spans one or two slices, the mixed batch keeps its empty
/// volumes) and the probe tables, scale probes and simulated run need no volumes of their own.
enum VolumeProbe {
    /// Slices per volume: 4 when the height allows it (64 rows -> 4 slices of 16).
    static func depth(height: Int) -> Int {
        height % 4 == 0 ? 4 : (height % 2 == 0 ? 2 : 1)
    }

    /// A 2-D batch in `layout` as a batch of volumes: `(N, H, W, C)` -> `(N, D, H/D, W, C)`,
    /// `(N, C, H, W)` -> `(N, C, D, H/D, W)`, class indices `(N, H, W)` -> `(N, D, H/D, W)`. A reshape: the
    /// gradient reaches the 2-D prediction unchanged.
    static func fold(_ tensor: Tensor, layout: Layout) throws -> Tensor {
        let rank = tensor.shape.count
        guard rank == 3 || rank == 4 else { return tensor }
        let axis = rank == 4 && layout == .channelsFirst ? 2 : 1
        let height = tensor.shape[axis], depth = depth(height: height)
        var shape = tensor.shape
        shape.replaceSubrange(axis...axis, with: [depth, height / depth])
        return try tensor.reshaped(shape)
    }

    /// Whether a failure on a 2-D probe says the loss wants another spatial rank: it reduces, permutes or
    /// indexes an axis the 2-D batch does not have (`sum(dims=(2, 3, 4))`, `axis=[1, 2, 3, 4]`), or its
    /// `einsum` names one more axis than the batch has (`"bcxyz->bc"` on `(N, C, H, W)`: SegLossOdyssey's
    /// generalized Dice, a false LD603 in the field test; fewer subscripts is a loss on rows, not volumes).
    static func isSpatialRankError(_ message: String) -> Bool {
        if ["out of range for a tensor of rank", "is not a permutation of", "Dimension out of range"].contains(where: { message.contains($0) }) {
            return true
        }
        return einsumRanks(message).map { $0.subscripts == $0.dimensions + 1 } ?? false
    }

    /// The subscript count and the operand's rank of PyTorch's einsum rank error (as the interpreter raises it).
    private static func einsumRanks(_ message: String) -> (subscripts: Int, dimensions: Int)? {
        let prefix = "the number of subscripts in the equation ("
        guard let start = message.firstRange(of: prefix) else { return nil }
        let rest = message[start.upperBound...]
        guard let close = rest.firstIndex(of: ")"), let subscripts = Int(rest[..<close]),
              let open = rest.firstRange(of: "number of dimensions ("), let end = rest[open.upperBound...].firstIndex(of: ")"),
              let dimensions = Int(rest[open.upperBound..<end]) else { return nil }
        return (subscripts, dimensions)
    }
}
