#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
        /// What the item is for: a probe of the table, a sweep step, a scale probe, or a per-class probe of a
        /// multi-class loss.
        enum Kind: String, Sendable { case probe, sweep, scale, perClass = "class" }
        let kind: Kind
        /// The id reports use: `balanced/uniform`, `perfect->inverted@balanced` (with `step`),
        /// `imbalanced/random#doubled-batch`, `imbalanced/perfect#without-class-1`.
        let id: String
        /// The target set this item belongs to: `binary`, or the multi-class format's (`one-hot-3`).
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
    /// The target format of every item (a check's loss is probed in the one its inference chose).
    let format: TargetFormat
    /// The shape the arrays are folded into, as a check folds them for a volumetric or classification loss.
    let shape: ProbeShape
    let items: [Item]

    init(runner: ProbeRunner = ProbeRunner(), domain: InputDomain = .probabilities, layout: Layout = .channelsLast,
         format: TargetFormat = .binary, shape: ProbeShape = .images) {
        self.runner = runner
        self.domain = domain
        self.layout = layout
        self.format = format
        self.shape = shape
        self.items = (try? Self.items(runner, domain: domain, layout: layout, format: format, shape: shape)) ?? []
    }

    /// The name of a format's target set and folder: `binary`, `binary-without-channel`, `one-hot-3`,
    /// `class-index-3`, `class-index-3-ignore-255`, `label-map-3`.
    static func setName(_ format: TargetFormat) -> String {
        switch format {
        case .binary: "binary"
        case .binaryWithoutChannel: "binary-without-channel"
        case .oneHot(let c): "one-hot-\(c)"
        case .classIndex(let c, let ignore): "class-index-\(c)" + (ignore.map { "-ignore-\($0)" } ?? "")
        case .labelMap(let c): "label-map-\(c)"
        }
    }

    /// The arrays of every item, made by `ProbeRunner.arrays` from the masks and channels-last probabilities
    /// a check uses, so an exported pair is exactly what the check's loss receives.
    private static func items(_ runner: ProbeRunner, domain: InputDomain, layout: Layout, format: TargetFormat,
                              shape probeShape: ProbeShape) throws -> [Item] {
        let geometry = runner.geometry
        let set = setName(format)
        let masks = Dictionary(uniqueKeysWithValues: MaskKind.allCases.map { ($0, geometry.mask($0)) })
        func pair(_ mask: [Float], _ shape: [Int], _ probabilities: [Float]) throws -> (NPYArray, NPYArray) {
            let (target, prediction) = try ProbeRunner.arrays(format: format, domain: domain, layout: layout, target: mask,
                                                               shape: shape, probabilities: probabilities)
            func npy(_ t: Tensor) -> NPYArray {
                NPYArray(shape: t.shape, elementType: t.dtype == .int64 ? .int64 : .float32, values: t.scalars.map(Double.init))
            }
            return (npy(try probeShape.fold(target, layout: layout)), npy(try probeShape.fold(prediction, layout: layout)))
        }
        func item(_ kind: Item.Kind, _ id: String, _ targetFile: String, _ predictionFile: String,
                  _ mask: [Float], _ shape: [Int], _ probabilities: [Float]) throws -> Item {
            let (target, prediction) = try pair(mask, shape, probabilities)
            return Item(kind: kind, id: id, targetSet: set, targetFile: targetFile, predictionFile: predictionFile,
                        target: target, prediction: prediction)
        }
        var items: [Item] = []
        for mask in MaskKind.allCases {
            for prediction in PredictionKind.allCases {
                items.append(try item(.probe, ProbeID.probe(mask, prediction).description, targetFile(mask, set: set),
                                      predictionFile(mask, prediction, set: set), masks[mask]!, geometry.shape,
                                      runner.probabilities(prediction, masks[mask]!, salt: mask, format: format)))
            }
        }
        for entry in ProbeRunner.sweepTable {
            let id = entry.description
            let target = masks[entry.mask]!
            let from = runner.probabilities(entry.from, target, salt: entry.mask, format: format)
            let to = runner.probabilities(entry.to, target, salt: entry.mask, format: format)
            for step in 0..<runner.sweepSteps {
                let t = Float(step) / Float(runner.sweepSteps - 1)
                let p = zip(from, to).map { (1 - t) * $0 + t * $1 }
                var sweep = try item(.sweep, id, targetFile(entry.mask, set: set),
                                     "\(set)/sweeps/\(entry.from.rawValue)-to-\(entry.to.rawValue)@\(entry.mask.rawValue)/step-\(step < 10 ? "0" : "")\(step).npy",
                                     target, geometry.shape, p)
                sweep.step = step
                sweep.t = t
                items.append(sweep)
            }
        }
        // The scale probes, as ProbeRunner.scaleEvidence builds them.
        let shape = geometry.shape
        let channels = format.classes
        let mask = masks[.imbalanced]!
        let p = runner.probabilities(.random, mask, salt: .imbalanced, format: format)
        let doubled = VariantProbeID.doubledBatch, upsampled = VariantProbeID.upsampled
        items.append(try item(.scale, doubled.description, "\(set)/scale/\(doubled.variant)-target.npy",
                              "\(set)/scale/\(doubled.variant)-prediction.npy", mask + mask, [shape[0] * 2] + shape.dropFirst(), p + p))
        items.append(try item(.scale, upsampled.description, "\(set)/scale/\(upsampled.variant)-target.npy", "\(set)/scale/\(upsampled.variant)-prediction.npy",
                              ProbeRunner.upsample(mask, shape), [shape[0], shape[1] * 2, shape[2] * 2, 1],
                              ProbeRunner.upsample(p, shape, channels: channels)))
        let pooled = masks[.mixed]!
        let soft = runner.probabilities(.soft, pooled, salt: .mixed, format: format)
        let per = shape[1] * shape[2] * shape[3]
        for s in 0..<shape[0] {
            let sample = VariantProbeID.sample(s)
            items.append(try item(.scale, sample.description, "\(set)/scale/\(sample.variant)-target.npy", "\(set)/scale/\(sample.variant)-prediction.npy",
                                  Array(pooled[(s * per)..<((s + 1) * per)]), [1] + shape.dropFirst(),
                                  Array(soft[(s * per * channels)..<((s + 1) * per * channels)])))
        }
        // The per-class probes of a multi-class format, as ProbeRunner.classEvidence builds them.
        if format.isMultiClass {
            let predictions = runner.classPredictions(format)
            for (index, prediction) in predictions.missing.enumerated() {
                let without = VariantProbeID.withoutClass(index + 1)
                items.append(try item(.perClass, without.description, targetFile(.imbalanced, set: set),
                                      "\(set)/class/\(without.variant).npy", mask, shape, prediction))
            }
            if let wrong = predictions.ignoredWrong {
                items.append(try item(.perClass, VariantProbeID.ignoredWrong.description, targetFile(.imbalanced, set: set),
                                      "\(set)/class/\(VariantProbeID.ignoredWrong.variant).npy", mask, shape, wrong))
            }
        }
        return items
    }

    /// The exported file of a target mask, relative to the export directory.
    static func targetFile(_ mask: MaskKind, set: String = "binary") -> String { "\(set)/targets/\(mask.rawValue).npy" }

    /// The exported file of a probe's prediction, relative to the export directory.
    static func predictionFile(_ mask: MaskKind, _ prediction: PredictionKind, set: String = "binary") -> String {
        "\(set)/predictions/\(mask.rawValue)/\(prediction.rawValue).npy"
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

    /// The `loss-doctor probes export` command that writes the arrays of a check in this domain, layout and
    /// target format (a target without a channel axis next to one channel has no flag yet: its arrays are
    /// the binary set's without the channel axis).
    static func command(domain: InputDomain, layout: Layout, format: TargetFormat) -> String {
        var flags = "--input \(domain.rawValue) --layout \(layout.rawValue)"
        switch format {
        case .binary, .binaryWithoutChannel: break
        case .oneHot(let c): flags += " --target one-hot --classes \(c)"
        case .classIndex(let c, let ignore): flags += " --target index --classes \(c)" + (ignore.map { " --ignore-index \($0)" } ?? "")
        case .labelMap(let c): flags += " --target label-map --classes \(c)"
        }
        return "loss-doctor probes export DIR " + flags
    }

    /// The kind of a format as `index.json` names it (`--target`'s names).
    static func formatKind(_ format: TargetFormat) -> String {
        switch format {
        case .binary: "binary"
        case .binaryWithoutChannel: "binary-without-channel"
        case .oneHot: "one-hot"
        case .classIndex: "index"
        case .labelMap: "label-map"
        }
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
                let id = entry.description
                return .object(["id": .string(id), "from": .string(entry.from.rawValue), "to": .string(entry.to.rawValue),
                                "target": .string(entry.mask.rawValue), "target_file": .string(sweeps[id]?.first?.targetFile ?? ""),
                                "steps": .array((sweeps[id] ?? []).map { .object(["step": .number($0.step ?? 0), "t": .number($0.t ?? 0),
                                                                                  "prediction_file": .string($0.predictionFile)]) })])
            }
            let scale = members.filter { $0.kind == .scale }.map { item -> JSONValue in
                .object(["id": .string(item.id), "target_file": file(item.targetFile, item.target), "prediction_file": file(item.predictionFile, item.prediction)])
            }
            var entry: [String: JSONValue] = [
                "name": .string(name),
                "target_format": .object(["kind": .string(Self.formatKind(format)), "classes": .number(format.classes)]),
                "targets": .object(targets),
                "probes": .array(probes),
                "sweeps": .array(sweepEntries),
                "scale": .array(scale),
            ]
            let perClass = members.filter { $0.kind == .perClass }.map { item -> JSONValue in
                .object(["id": .string(item.id), "target_file": .string(item.targetFile), "prediction_file": file(item.predictionFile, item.prediction)])
            }
            if !perClass.isEmpty { entry["class_probes"] = .array(perClass) }
            return .object(entry)
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
                format.isMultiClass
                    ? "targets are \(format.summary) (class indices int64, one-hot 0/1 float32); predictions are C class probabilities per pixel in the domain above (logits are log(p) clipped to -20)"
                    : "targets are 0/1 float32; predictions are in the domain above (logits are log(p/(1-p)) clipped to +-20)",
                "scale ids: doubled-batch and upsampled start from imbalanced/random, sample-N are the samples of mixed/soft one at a time",
            ].map(JSONValue.string)),
        ])
    }

    /// Why an export could not be written: what failed, naming the path (lowercase, no trailing period).
    struct WriteError: Error {
        let message: String
    }

    /// Writes the arrays (each target once) and `index.json` under `directory`; returns how many arrays were written.
    func write(to directory: String) throws(WriteError) -> Int {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory), (try? manager.contentsOfDirectory(atPath: directory)) == nil {
            throw WriteError(message: "'\(directory)' exists and is not a directory")
        }
        var written = Set<String>()
        for item in items {
            for (path, array) in [(item.targetFile, item.target), (item.predictionFile, item.prediction)] where !written.contains(path) {
                let full = directory + "/" + path
                let parent = String(full[..<full.lastIndex(of: "/")!])
                do {
                    try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    throw WriteError(message: "cannot create the directory '\(parent)'")
                }
                guard array.write(to: full) else { throw WriteError(message: "cannot write '\(full)'") }
                written.insert(path)
            }
        }
        guard manager.createFile(atPath: directory + "/index.json", contents: Data(index.serialized().utf8)) else {
            throw WriteError(message: "cannot write '\(directory)/index.json'")
        }
        return written.count
    }
}
