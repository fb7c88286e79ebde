/// Every array a check evaluates a loss on, by the ids reports use, so a third party can rebuild any number
/// of a report: `loss-doctor probes export DIR` writes them as `.npy` files with an `index.json`.
///
/// The arrays come from the same `ProbeRunner` and `ProbeGeometry` a check uses; a test evaluates the
/// exported arrays and compares with the evidence of a check, so the two cannot drift apart.
struct ProbeExport: Sendable {
    /// The format of `index.json`; bump when a field is removed or changes meaning.
    static let indexVersion = 1

    /// One array pair a loss is evaluated on.
    struct Item: Sendable {
        /// What the item is for: a probe of the table, a sweep step, or a scale probe.
        enum Kind: String, Sendable { case probe, sweep, scale }
        let kind: Kind
        /// The id reports use: `balanced/uniform`, `perfect->inverted@balanced` (with `step`),
        /// `imbalanced/random#doubled-batch`.
        let id: String
        /// The target set this item belongs to (`binary` today; multi-class sets add their own).
        let targetSet: String
        /// The file of the target, relative to the export directory (shared by the items on one target).
        let targetFile: String
        let predictionFile: String
        let target: NPYArray
        let prediction: NPYArray
        /// For sweeps: the step and its position `t` in [0, 1] from `from` to `to`.
        var step: Int? = nil
        var t: Float? = nil
    }

    let runner: ProbeRunner
    let domain: InputDomain
    let layout: Layout
    let items: [Item]

    init(runner: ProbeRunner = ProbeRunner(), domain: InputDomain = .probabilities, layout: Layout = .channelsLast) {
        self.runner = runner
        self.domain = domain
        self.layout = layout
        self.items = Self.items(runner, domain: domain, layout: layout)
    }

    private static func items(_ runner: ProbeRunner, domain: InputDomain, layout: Layout) -> [Item] {
        let geometry = runner.geometry
        let set = "binary"
        let masks = Dictionary(uniqueKeysWithValues: MaskKind.allCases.map { ($0, geometry.mask($0)) })
        func array(_ values: [Float], _ shape: [Int], encode: Bool) -> NPYArray {
            let encoded = encode ? values.map(domain.encode) : values
            let (arranged, arrangedShape) = layout == .channelsFirst ? toChannelsFirst(encoded, shape) : (encoded, shape)
            return NPYArray(shape: arrangedShape, elementType: .float32, values: arranged.map(Double.init))
        }
        func targetFile(_ mask: MaskKind) -> String { Self.targetFile(mask) }
        var items: [Item] = []
        for mask in MaskKind.allCases {
            for prediction in PredictionKind.allCases {
                let id = "\(mask.rawValue)/\(prediction.rawValue)"
                items.append(Item(kind: .probe, id: id, targetSet: set, targetFile: targetFile(mask),
                                  predictionFile: Self.predictionFile(mask, prediction),
                                  target: array(masks[mask]!, geometry.shape, encode: false),
                                  prediction: array(runner.probabilities(prediction, masks[mask]!, salt: mask), geometry.shape, encode: true)))
            }
        }
        for entry in ProbeRunner.sweepTable {
            let id = "\(entry.from.rawValue)->\(entry.to.rawValue)@\(entry.mask.rawValue)"
            let target = masks[entry.mask]!
            let from = runner.probabilities(entry.from, target, salt: entry.mask)
            let to = runner.probabilities(entry.to, target, salt: entry.mask)
            for step in 0..<runner.sweepSteps {
                let t = Float(step) / Float(runner.sweepSteps - 1)
                let p = zip(from, to).map { (1 - t) * $0 + t * $1 }
                var item = Item(kind: .sweep, id: id, targetSet: set, targetFile: targetFile(entry.mask),
                                predictionFile: "\(set)/sweeps/\(entry.from.rawValue)-to-\(entry.to.rawValue)@\(entry.mask.rawValue)/step-\(step < 10 ? "0" : "")\(step).npy",
                                target: array(target, geometry.shape, encode: false), prediction: array(p, geometry.shape, encode: true))
                item.step = step
                item.t = t
                items.append(item)
            }
        }
        // The scale probes, as ProbeRunner.scaleEvidence builds them.
        let shape = geometry.shape
        let mask = masks[.imbalanced]!
        let p = runner.probabilities(.random, mask, salt: .imbalanced)
        let doubledShape = [shape[0] * 2] + shape.dropFirst()
        let upShape = [shape[0], shape[1] * 2, shape[2] * 2, 1]
        items.append(Item(kind: .scale, id: "imbalanced/random#doubled-batch", targetSet: set,
                          targetFile: "\(set)/scale/doubled-batch-target.npy", predictionFile: "\(set)/scale/doubled-batch-prediction.npy",
                          target: array(mask + mask, doubledShape, encode: false), prediction: array(p + p, doubledShape, encode: true)))
        items.append(Item(kind: .scale, id: "imbalanced/random#upsampled", targetSet: set,
                          targetFile: "\(set)/scale/upsampled-target.npy", predictionFile: "\(set)/scale/upsampled-prediction.npy",
                          target: array(ProbeRunner.upsample(mask, shape), upShape, encode: false),
                          prediction: array(ProbeRunner.upsample(p, shape), upShape, encode: true)))
        let pooled = masks[.mixed]!
        let soft = runner.probabilities(.soft, pooled, salt: .mixed)
        let per = shape[1] * shape[2] * shape[3]
        let sampleShape = [1] + shape.dropFirst()
        for s in 0..<shape[0] {
            items.append(Item(kind: .scale, id: "mixed/soft#sample-\(s)", targetSet: set,
                              targetFile: "\(set)/scale/sample-\(s)-target.npy", predictionFile: "\(set)/scale/sample-\(s)-prediction.npy",
                              target: array(Array(pooled[(s * per)..<((s + 1) * per)]), sampleShape, encode: false),
                              prediction: array(Array(soft[(s * per)..<((s + 1) * per)]), sampleShape, encode: true)))
        }
        return items
    }

    /// The exported file of a binary target mask, relative to the export directory.
    static func targetFile(_ mask: MaskKind) -> String { "binary/targets/\(mask.rawValue).npy" }

    /// The exported file of a probe's prediction, relative to the export directory.
    static func predictionFile(_ mask: MaskKind, _ prediction: PredictionKind) -> String {
        "binary/predictions/\(mask.rawValue)/\(prediction.rawValue).npy"
    }

    /// `(N, H, W, C)` values rearranged to `(N, C, H, W)`.
    static func toChannelsFirst(_ values: [Float], _ shape: [Int]) -> ([Float], [Int]) {
        let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
        var out = [Float](repeating: 0, count: values.count)
        for s in 0..<n { for y in 0..<h { for x in 0..<w { for k in 0..<c {
            out[((s * c + k) * h + y) * w + x] = values[((s * h + y) * w + x) * c + k]
        } } } }
        return (out, [n, c, h, w])
    }

    /// The geometry and seed, as the JSON report and `index.json` both write them.
    static func geometryJSON(_ runner: ProbeRunner) -> JSONValue {
        let g = runner.geometry
        return .object([
            "batch": .number(g.batch), "height": .number(g.height), "width": .number(g.width),
            "seed": .number(String(g.seed)), "sweep_steps": .number(runner.sweepSteps),
        ])
    }

    /// `index.json`: every file by the ids reports use, grouped by target set so multi-class sets can join.
    var index: JSONValue {
        var sets: [String: [Item]] = [:]
        for item in items { sets[item.targetSet, default: []].append(item) }
        func file(_ path: String, _ array: NPYArray) -> JSONValue {
            .object(["file": .string(path), "shape": .array(array.shape.map(JSONValue.number)), "dtype": .string(array.elementType.numpyName)])
        }
        let targetSets: [JSONValue] = sets.keys.sorted().map { name in
            let members = sets[name]!
            var targets: [String: JSONValue] = [:]
            for item in members where item.kind == .probe { targets[String(item.id.split(separator: "/")[0])] = file(item.targetFile, item.target) }
            let probes = members.filter { $0.kind == .probe }.map { item -> JSONValue in
                let parts = item.id.split(separator: "/").map(String.init)
                return .object(["id": .string(item.id), "target": .string(parts[0]), "prediction": .string(parts[1]),
                                "target_file": .string(item.targetFile), "prediction_file": file(item.predictionFile, item.prediction)])
            }
            var sweeps: [String: [Item]] = [:]
            for item in members where item.kind == .sweep { sweeps[item.id, default: []].append(item) }
            let sweepEntries: [JSONValue] = ProbeRunner.sweepTable.map { entry in
                let id = "\(entry.from.rawValue)->\(entry.to.rawValue)@\(entry.mask.rawValue)"
                return .object(["id": .string(id), "from": .string(entry.from.rawValue), "to": .string(entry.to.rawValue),
                                "target": .string(entry.mask.rawValue), "target_file": .string(sweeps[id]?.first?.targetFile ?? ""),
                                "steps": .array((sweeps[id] ?? []).map { .object(["step": .number($0.step ?? 0), "t": .number($0.t ?? 0),
                                                                                  "prediction_file": .string($0.predictionFile)]) })])
            }
            let scale = members.filter { $0.kind == .scale }.map { item -> JSONValue in
                .object(["id": .string(item.id), "target_file": file(item.targetFile, item.target), "prediction_file": file(item.predictionFile, item.prediction)])
            }
            return .object([
                "name": .string(name),
                "target_format": .object(["kind": .string("binary"), "classes": .number(1)]),
                "targets": .object(targets),
                "probes": .array(probes),
                "sweeps": .array(sweepEntries),
                "scale": .array(scale),
            ])
        }
        return .object([
            "format": .string("loss-doctor-probes"),
            "index_version": .number(Self.indexVersion),
            "tool": .object(["name": .string("loss-doctor"), "version": .string(LossCheck.version)]),
            "geometry": Self.geometryJSON(runner),
            "domain": .string(domain.displayName),
            "layout": .string(layout.rawValue),
            "target_sets": .array(targetSets),
            "notes": .array([
                "a check evaluates the loss on target_file and prediction_file of each probe; a loss returning more than one element is averaged",
                "targets are 0/1 float32; predictions are in the domain above (logits are log(p/(1-p)) clipped to +-20)",
                "scale ids: doubled-batch and upsampled start from imbalanced/random, sample-N are the samples of mixed/soft one at a time",
            ].map(JSONValue.string)),
        ])
    }
}
