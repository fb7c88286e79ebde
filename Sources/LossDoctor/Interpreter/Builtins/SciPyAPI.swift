/// Deterministic computations that are not tensor maths and that losses apply to the target (boundary
/// and Hausdorff losses): `scipy.ndimage.distance_transform_edt`. They run on NumPy arrays, so their
/// result never carries gradient: given the prediction (detached), they cut it, as the real call does.
enum TargetTransformsAPI {
    /// The exact Euclidean distance transform (scipy): each non-zero element's distance to the nearest
    /// zero element, axes scaled by `sampling`. Without any zero element scipy measures from a point just
    /// before the first element, (-1, 0, ..., 0); that quirk is kept. Squared distances are found axis by
    /// axis (min over j of f(j) + (w·(i - j))²), exact for the separable squared metric.
    static func distanceTransform(_ x: Tensor, sampling: [Float]) -> [Float] {
        let shape = x.shape
        guard !shape.isEmpty, x.count > 0 else { return x.scalars.map { $0 != 0 ? 1 : 0 } }
        guard x.scalars.contains(0) else {
            var out: [Float] = []
            let strides = contiguousStrides(shape)
            for flat in 0..<x.count {
                var total: Float = 0
                for a in shape.indices {
                    let i = Float((flat / strides[a]) % shape[a]) + (a == 0 ? 1 : 0)
                    total += (i * sampling[a]) * (i * sampling[a])
                }
                out.append(total.squareRoot())
            }
            return out
        }
        var f = x.scalars.map { $0 == 0 ? Float(0) : .infinity }
        for axis in shape.indices {
            let w = sampling[axis]
            f.withUnsafeMutableBufferPointer { f in
                Kernels.forEachLine(shape, axis: axis) { start, stride, length in
                    let line = (0..<length).map { f[start + $0 * stride] }
                    for i in 0..<length {
                        var best = Float.infinity
                        for j in 0..<length where line[j] < .infinity {
                            let d = w * Float(i - j)
                            best = Swift.min(best, line[j] + d * d)
                        }
                        f[start + i * stride] = best
                    }
                }
            }
        }
        return f.map { $0.squareRoot() }
    }

    static let distanceTransformFunction: BuiltinFunction = { call in
        let args = try call.bind("input, sampling=None, return_distances=True, return_indices=False, distances=None, indices=None")
        guard try args.bool("return_distances"), !(try args.bool("return_indices")) else {
            throw InterpreterError(.unsupportedCall, "`\(call.name)` returning indices is not a call LossDoctor models", at: call.site, hint: "use the distances only")
        }
        let x = try args.tensor("input")
        var sampling = [Float](repeating: 1, count: x.shape.count)
        if !args.isNone("sampling") {
            if let items = args["sampling"].sequence {
                guard items.count == x.shape.count else { throw call.error("RuntimeError: sequence argument must have length equal to input rank") }
                sampling = try items.map { item in
                    guard let v = item.number else { throw call.error("TypeError: sampling must hold numbers") }
                    return Float(v)
                }
            } else {
                sampling = [Float](repeating: try args.float("sampling"), count: x.shape.count)
            }
        }
        try Tensor.reserve(x.count)
        let distances = Tensor(shape: x.shape, scalars: distanceTransform(x, sampling: sampling), dtype: .float64)
        // Computed from the values only: a prediction passed in leaves the graph here.
        guard x.dependsOnVariable else { return .tensor(distances) }
        return .tensor(try distances + x.stopGradient().cast(.float32) * 0)
    }

    static let functions: [String: BuiltinFunction] = [
        "scipy.ndimage.distance_transform_edt": distanceTransformFunction,
        "scipy.ndimage.morphology.distance_transform_edt": distanceTransformFunction,
        "scipy.ndimage._morphology.distance_transform_edt": distanceTransformFunction,
    ]
}
