#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// SciPy (`scipy.ndimage.*`) as SciPy 1.17 defines it. Losses call it on the target (boundary and Hausdorff
/// losses, MONAI's among them) through NumPy arrays, so its results never carry gradient: given the
/// prediction (detached), they cut it, as the real call does.
enum SciPyAPI {
    /// The exact Euclidean distance transform: each non-zero element's distance to the nearest zero element,
    /// axes scaled by `sampling`. Without any zero element SciPy measures from a point just before the first
    /// element, (-1, 0, ..., 0); that quirk is kept. The squared distance is separable: one lower-envelope
    /// pass per axis (Felzenszwalb and Huttenlocher), linear in the size, in double precision as SciPy's.
    static func distanceTransform(_ x: Tensor, sampling: [Double]) -> [Float] {
        let shape = x.shape
        guard !shape.isEmpty, x.count > 0 else { return x.scalars.map { $0 != 0 ? 1 : 0 } }
        guard x.scalars.contains(0) else { return distancesFromBeforeFirst(shape, sampling: sampling) }
        var squared = x.scalars.map { $0 == 0 ? 0 : Double.infinity }
        var line = [Double](), envelope = LowerEnvelope()
        for axis in shape.indices {
            squared.withUnsafeMutableBufferPointer { squared in
                Kernels.forEachLine(shape, axis: axis) { start, stride, length in
                    line = (0..<length).map { squared[start + $0 * stride] }
                    envelope.fill(line, spacing: sampling[axis])
                    for i in 0..<length { squared[start + i * stride] = envelope.value(at: i) }
                }
            }
        }
        return squared.map { Float($0.squareRoot()) }
    }

    /// SciPy's answer when nothing is zero: the distance from (-1, 0, ..., 0).
    private static func distancesFromBeforeFirst(_ shape: [Int], sampling: [Double]) -> [Float] {
        let strides = contiguousStrides(shape)
        return (0..<shape.reduce(1, *)).map { flat in
            var total = 0.0
            for axis in shape.indices {
                let offset = Double((flat / strides[axis]) % shape[axis] + (axis == 0 ? 1 : 0)) * sampling[axis]
                total += offset * offset
            }
            return Float(total.squareRoot())
        }
    }

    /// The lower envelope of the parabolas (x - x_j)² + f(j) over the finite samples j of one line, x_j = j·spacing,
    /// then read left to right (`value(at:)` for increasing i only).
    struct LowerEnvelope {
        private var f: [Double] = [], spacing = 1.0
        /// The samples whose parabolas form the envelope, and where each one's stretch begins.
        private var vertices: [Int] = [], starts: [Double] = []
        private var current = 0

        mutating func fill(_ samples: [Double], spacing: Double) {
            (f, self.spacing, current) = (samples, spacing, 0)
            vertices.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
            for q in samples.indices where samples[q].isFinite {
                var start = -Double.infinity
                while let last = vertices.last {
                    start = intersection(last, q)
                    if start > starts[starts.count - 1] { break }
                    vertices.removeLast()
                    starts.removeLast()
                    start = -Double.infinity
                }
                vertices.append(q)
                starts.append(start)
            }
        }

        /// Where the parabolas of samples p < q cross.
        private func intersection(_ p: Int, _ q: Int) -> Double {
            let (xp, xq) = (Double(p) * spacing, Double(q) * spacing)
            return ((f[q] + xq * xq) - (f[p] + xp * xp)) / (2 * (xq - xp))
        }

        mutating func value(at i: Int) -> Double {
            guard !vertices.isEmpty else { return .infinity }
            let x = Double(i) * spacing
            while current + 1 < vertices.count, starts[current + 1] < x { current += 1 }
            let d = x - Double(vertices[current]) * spacing
            return d * d + f[vertices[current]]
        }
    }

    /// `scipy.ndimage.distance_transform_edt`: float64 distances, returned or written into `distances=`.
    static let distanceTransformFunction: BuiltinFunction = { call in
        let args = try call.bind("input, sampling=None, return_distances=True, return_indices=False, distances=None, indices=None")
        let (returnDistances, returnIndices) = (try args.bool("return_distances"), try args.bool("return_indices"))
        guard returnDistances || returnIndices else {
            throw call.error("RuntimeError: at least one of return_distances/return_indices must be True")
        }
        guard !returnIndices, args.isNone("indices") else {
            throw InterpreterError(.unsupportedCall, "`\(call.name)` returning indices (the feature transform) is not a call LossDoctor models",
                                   at: call.site, hint: "use the distances only (return_indices=False)")
        }
        let x = try args.tensor("input")
        let sampling = try samplingPerAxis(args, rank: x.shape.count)
        // SciPy also requires a float64 `distances`; not checked, as the interpreter's `np.zeros` is float32.
        if !args.isNone("distances"), try args.tensor("distances").shape != x.shape {
            throw call.error("RuntimeError: distances array has wrong shape")
        }
        try Tensor.reserve(x.count)
        var distances = Tensor(shape: x.shape, scalars: distanceTransform(x, sampling: sampling), dtype: .float64)
        // Computed from the values only: a prediction passed in leaves the graph here.
        if x.dependsOnVariable { distances = try distances + x.stopGradient().cast(.float32) * 0 }
        guard args.isNone("distances") else {
            try call.writeOutput("distances", .tensor(distances))
            return .none
        }
        return .tensor(distances)
    }

    /// `sampling`: None (unit spacing), one number for every axis, or one per axis.
    private static func samplingPerAxis(_ args: Arguments, rank: Int) throws -> [Double] {
        let call = args.call
        guard !args.isNone("sampling") else { return Array(repeating: 1, count: rank) }
        guard let items = args["sampling"].sequence else { return Array(repeating: Double(try args.float("sampling")), count: rank) }
        guard items.count == rank else { throw call.error("RuntimeError: sequence argument must have length equal to input rank") }
        return try items.map { item in
            guard let value = item.number else { throw call.error("TypeError: sampling must hold numbers, not \(item.typeName)") }
            return value
        }
    }

    static let functions: [String: BuiltinFunction] = [
        "scipy.ndimage.distance_transform_edt": distanceTransformFunction,
        "scipy.ndimage.morphology.distance_transform_edt": distanceTransformFunction,
        "scipy.ndimage._morphology.distance_transform_edt": distanceTransformFunction,
    ]
}
