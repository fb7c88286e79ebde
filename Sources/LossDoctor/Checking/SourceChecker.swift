#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Options for checking a source file; flags override what is inferred.
public struct SourceOptions: Sendable {
    /// Check only this function or class, or evaluate this constructor call (`DiceLoss(mode="binary")`).
    public var function: String?
    /// Whether predictions are probabilities or logits; nil: inferred.
    public var input: InputDomain?
    /// The tensor layout; nil: inferred.
    public var layout: Layout?
    /// Who gave `input` and `layout`, as reports say it: the flags by default, or a configuration file.
    public var inputGivenBy = "--input"
    /// Who gave `layout` (see `inputGivenBy`).
    public var layoutGivenBy = "--layout"
    /// How the target is given (`--target`); nil: inferred by calling the loss. `classes` is `--classes`.
    public var target: TargetKind?
    /// The number of classes of a multi-class target; nil: the default.
    public var classes: Int?
    /// Who gave `target` and `classes`.
    public var targetGivenBy = "--target"
    /// Whether the loss takes 3-D volumes (rank-5 tensors); nil: inferred (the 2-D probe raises on a missing axis).
    public var volume: Bool?
    /// Who gave `volume`.
    public var volumeGivenBy = "--volume"
    /// The label the user's class-index targets give ignored pixels (`--ignore-index`): class-index probes then
    /// always carry a frame of it. nil: the `ignore_index` the file names, if the loss accepts it.
    public var ignoreIndex: Int?
    /// Who gave `ignoreIndex`.
    public var ignoreIndexGivenBy = "--ignore-index"
    /// Resource limits for evaluating the file.
    public var limits = InterpreterLimits()
    /// Where files may be read from (the checked file, its imports); nil: the repository of the file, or
    /// its directory outside one.
    var boundary: ReadBoundary? = nil

    /// Options checking `function` (every loss when nil), with the input domain and layout inferred unless given.
    public init(function: String? = nil, input: InputDomain? = nil, layout: Layout? = nil) {
        self.function = function
        self.input = input
        self.layout = layout
    }
}

/// A file read and evaluated, its losses ready to probe: what `check` needs from a source file.
struct SourceFile: Sendable {
    let file: String
    /// The file's text, for showing source lines under findings.
    let source: String
    /// Each loss found, with the hooks that add its source findings to the check.
    let losses: [LossFunction]
    /// Errors that stopped the file from being analysed at all (syntax errors, no loss found).
    let fileErrors: [Finding]
    /// The file's suppression comments, to apply to the reports of its losses (nil when it did not parse).
    var suppressions: FileSuppressions? = nil
    /// The loss classes that could not be constructed, next to losses that could: each is a report of its own.
    var unbuilt: [UnbuiltLoss] = []

    /// A loss to probe (its index in `losses`) or a class that could not be built, in the order of the file.
    enum Entry {
        case loss(Int)
        case unbuilt(UnbuiltLoss)
    }

    /// The losses and the classes that could not be built, by the line that defines them.
    var entries: [Entry] {
        guard !unbuilt.isEmpty else { return losses.indices.map { .loss($0) } }
        let lines = losses.map { $0.source?.origin.site.line ?? 0 } + unbuilt.map(\.line)
        return lines.indices.sorted { (lines[$0], $0) < (lines[$1], $1) }
            .map { $0 < losses.count ? .loss($0) : .unbuilt(unbuilt[$0 - losses.count]) }
    }
}

/// The result of checking one file: one report per loss found, and what stopped analysis, if anything.
public struct SourceCheckResult: Sendable {
    /// The name findings point at.
    public let file: String
    /// The file's text.
    public let source: String
    /// One report per loss found.
    public let reports: [Report]
    /// Errors that stopped analysis (a syntax error, no loss found, an unreadable file).
    public let fileErrors: [Finding]

    /// Whether nothing could be analysed: the CLI exits 2.
    public var couldNotAnalyse: Bool { reports.isEmpty || reports.allSatisfy { !$0.evidence.wasProbed } }
}

/// Prepares the losses of a Python file for checking: parse, evaluate the module, find the losses, and infer how
/// each takes its probes (input domain, layout, target format, probe shape). `CheckPipeline` checks them.
enum SourceChecker {
    /// Reads a file and prepares its losses.
    static func prepare(path: String, display: String? = nil, options: SourceOptions = SourceOptions()) -> SourceFile {
        let shown = display ?? path
        let source: String
        var options = options
        if options.boundary == nil { options.boundary = .around(path) }
        switch readSource(path: path, shown: shown, limits: options.limits, boundary: options.boundary!) {
        case .success(let text): source = text
        case .failure(let error): return SourceFile(file: shown, source: "", losses: [], fileErrors: [finding(for: error)])
        }
        let directory = String(path.reversed().drop { $0 != "/" }.dropFirst().reversed())
        return prepare(source: source, file: shown, directory: directory.isEmpty ? "." : directory, options: options)
    }

    /// Parses and evaluates source text and finds its losses, ready to probe.
    static func prepare(source: String, file: String, directory: String? = nil, options: SourceOptions = SourceOptions()) -> SourceFile {
        let module: Module
        switch parse(source, file: file, limits: options.limits) {
        case .success(let parsed): module = parsed
        case .failure(let error): return SourceFile(file: file, source: source, losses: [], fileErrors: [finding(for: error)])
        }
        let loader = directory.map { ModuleLoader(directory: $0, limits: options.limits, boundary: options.boundary ?? .around($0)) }
        let interpreter = Interpreter(file: file, limits: options.limits, loader: loader)
        if let directory { loader?.initializePackages(above: directory, excluding: directory + "/" + (file.split(separator: "/").last.map(String.init) ?? file)) }
        let moduleErrors = interpreter.run(module) + (loader?.errors ?? [])
        let moduleFacts = interpreter.sourceFacts
        let candidates: [LossCandidate]
        let discovery = LossDiscovery(interpreter: interpreter, module: module)
        // An import that fails is recorded by the loader and again where the file imports it: said once.
        var seen = Set<Finding>()
        let importFindings = moduleErrors.map(finding(for:)).filter { seen.insert($0).inserted }
        do {
            candidates = try discovery.candidates(selecting: options.function)
        } catch let error as InterpreterError {
            // A name the module never defined because it stopped at an error: that error comes first, as the cause.
            return SourceFile(file: file, source: source, losses: [], fileErrors: importFindings + [finding(for: error)])
        } catch {
            return failure(file, source, "\(error)", line: 1, column: 1)
        }
        let moduleFindings = importFindings + interpreter.discoveryErrors.map(finding(for:))
        guard !candidates.isEmpty else {
            // A loss class that could not be built is already named, with the command that checks it.
            if !interpreter.discoveryErrors.isEmpty || !interpreter.unbuiltLosses.isEmpty {
                return SourceFile(file: file, source: source, losses: [],
                                  fileErrors: moduleFindings + interpreter.unbuiltLosses.map { finding(for: $0.error) })
            }
            let noLoss = PythonErrorRule().noLoss(in: file, named: options.function, metrics: discovery.skipped.names)
            return SourceFile(file: file, source: source, losses: [], fileErrors: moduleFindings + [noLoss])
        }
        var losses = candidates.map { candidate in
            prepare(candidate, interpreter: interpreter, options: options, moduleFindings: moduleFindings,
                    moduleFacts: moduleFacts,
                    ignoreIndex: options.ignoreIndex ?? (ignoresNothingByDefault(candidate) ? nil : namedIgnoreIndex(source)))
        }
        if options.function == nil {
            // A function that behaves as a metric is left out like one named as a metric, beside the file's losses.
            let passedAsLoss = ASTWalk.namesPassedAsLoss(in: module.statements)
            let metrics = Set(candidates.indices.filter { index in
                let name = candidates[index].name
                return !name.lowercased().contains("loss") && !passedAsLoss.contains(name) && behavesAsMetric(losses[index])
            })
            if metrics.count < losses.count { losses = losses.indices.filter { !metrics.contains($0) }.map { losses[$0] } }
        }
        let lineCount = source.split(separator: "\n", omittingEmptySubsequences: false).count
        return SourceFile(file: file, source: source, losses: losses, fileErrors: [],
                          suppressions: FileSuppressions(module: module, file: file, lineCount: lineCount),
                          unbuilt: interpreter.unbuiltLosses)
    }

    /// A loss of the file as a `LossFunction`, with its domain and layout inferred unless given.
    static func prepare(_ candidate: LossCandidate, interpreter: Interpreter, options: SourceOptions,
                        moduleFindings: [Finding], moduleFacts: [SourceFact], ignoreIndex: Int? = nil) -> LossFunction {
        let box = InterpreterBox(interpreter, candidate)
        var layout = options.layout ?? candidate.layout
        var shape: ProbeShape = options.volume == true ? .volumes : .images
        /// `inferring`: a library option that asks for several channels and was ignored on this probe (MONAI's
        /// `to_onehot_y=True` on one channel) makes the probe not fit, as the library's warning says.
        func make(_ format: TargetFormat, _ layout: Layout, inferring: Bool = false) -> LossFunction {
            let folded = shape
            let classes = format.classes
            let site = candidate.site
            var loss = LossFunction(name: candidate.name, domain: .probabilities, layout: layout) { target, prediction in
                box.interpreter.ignoredMultiClassOption = nil
                let value = try box.evaluate(target: folded.fold(target, layout: layout), prediction: folded.fold(prediction, layout: layout),
                                             classes: classes)
                if inferring, let ignored = box.interpreter.ignoredMultiClassOption {
                    throw InterpreterError(.pythonError, ignored, at: site)
                }
                return value
            }
            loss.target = format
            return loss
        }
        interpreter.beginLoss()
        // A loss that reduces over an axis a 2-D batch lacks (`sum(dims=(2, 3, 4))`) takes volumes, when the
        // volume probe gets past that error.
        var shapeReason: String?
        if options.volume == nil, let axisError = spatialRankError(make(.binary, layout)) {
            shape = .volumes
            if spatialRankError(make(.binary, layout)) == nil {
                shapeReason = "inferred: the 2-D probe raised (\(axisError))"
            } else {
                shape = .images
            }
        } else if options.volume == true {
            shapeReason = "given by \(options.volumeGivenBy)"
        }
        interpreter.beginLoss()
        var target: TargetFormat
        var targetReason: String
        if let kind = options.target {
            target = kind.format(classes: options.classes, ignoreIndex: options.ignoreIndex)
            targetReason = "given by \(options.targetGivenBy)"
            if case .classIndex(_, _?) = target { targetReason += " and \(options.ignoreIndexGivenBy)" }
        } else {
            func infer() -> TargetInference {
                TargetInference.infer({ make($0, $1, inferring: true) }, layout: layout, layoutGiven: options.layout != nil, classes: options.classes,
                                      ignoreIndex: ignoreIndex, ignoreIndexGiven: options.ignoreIndex != nil,
                                      ignoreIndexGivenBy: options.ignoreIndexGivenBy)
            }
            var inferred = infer()
            if !inferred.fits, shape == .images {
                let images = inferred
                // No image probe fits: the shapes other losses take, tried in order; each says why it is taken, or
                // nil. The first taken wins; none taken leaves images.
                let fallbacks: [(shape: ProbeShape, taken: (TargetInference) -> String?)] = [
                    // A classification loss of (N, C) scores takes each pixel as a sample. Only a multi-class loss that
                    // really runs on rows takes them: inference lets a construct LossDoctor cannot evaluate (LD9xx)
                    // through, rows of one channel next to labels broadcast to (N·H·W)², and a loss of one score per
                    // sample that images break is a regression loss (catalyst's quantile loss).
                    (.rows, { rows in
                        rows.fits && rows.format.isMultiClass && runs(make(rows.format, rows.layout))
                            ? "inferred: no image probe fits (\(images.failure ?? "")), the classification probe runs" : nil
                    }),
                    // A binary loss on a squeezed output (`batch, h, w = logits.shape`) takes (N, H, W) maps.
                    (.channelless, { maps in
                        if maps.fits, !maps.format.isMultiClass, runs(make(maps.format, maps.layout)) {
                            return "inferred: no image probe fits (\(images.failure ?? "")), the channel-less probe runs"
                        }
                        // It unpacks three axes and, given three, fails further on: that later error is the one its
                        // training meets.
                        if !maps.fits, maps.format == .binary, let unpacked = images.failure,
                           unpacked.contains("too many values to unpack (expected 3"), maps.failure != unpacked {
                            return "inferred: on images, \(unpacked); the channel-less probe gets past it"
                        }
                        return nil
                    }),
                ]
                for fallback in fallbacks {
                    shape = fallback.shape  // `make` probes with the shape of the moment
                    interpreter.beginLoss()
                    let attempt = infer()
                    if let reason = fallback.taken(attempt) {
                        (inferred, shapeReason) = (attempt, reason)
                        break
                    }
                    shape = .images
                }
            }
            (target, layout, targetReason) = (inferred.format, inferred.layout, inferred.reason)
        }
        interpreter.beginLoss()
        func function(_ domain: InputDomain, hooks: SourceHooks? = nil) -> LossFunction {
            var loss = make(target, layout)
            loss.domain = domain
            loss.source = hooks
            return loss
        }
        var inference = options.input.map { "input \($0.rawValue) (\(options.inputGivenBy))" } ?? "input probs (inferred)"
        var domain = options.input ?? .probabilities
        if options.input == nil, inferLogits(function(.probabilities)) || interpreter.predictionIsLogits {
            domain = .logits
            inference = "input logits (inferred: the loss applies a sigmoid/softmax or a logits API to the prediction)"
        } else if options.input == nil, interpreter.predictionIsLogProbabilities {
            // `nll_loss` takes log_softmax's output: probed with probabilities, an NLL loss looks trivially solved.
            domain = .logProbabilities
            inference = "input log-probabilities (inferred: the prediction goes into `nll_loss`, which takes log_softmax's output)"
        } else if options.input == nil, namesLogProbabilities(candidate.predictionName) {
            domain = .logProbabilities
            inference = "input log-probabilities (inferred: the prediction parameter is named `\(candidate.predictionName)`)"
        } else if options.input == nil, namesLogits(candidate.predictionName) {
            // A loss on raw scores with no activation of its own (a Lovasz hinge, a margin loss) says so by its name.
            domain = .logits
            inference = "input logits (inferred: the prediction parameter is named `\(candidate.predictionName)`)"
        } else if options.input == nil, namesHinge(candidate.name) {
            // A hinge is a margin on raw scores, max(0, 1 - y·s): on probabilities in [0, 1] no prediction clears the margin.
            domain = .logits
            inference = "input logits (inferred: `\(candidate.name)` is a hinge loss, a margin on raw scores)"
        }
        inference += ", layout \(layout.rawValue) (\(options.layout == nil ? "inferred" : options.layoutGivenBy))"
        inference += ", target \(target.summary) (\(targetReason))"
        if let shapeReason, let summary = shape.summary(height: ProbeGeometry().height) {
            inference += ", \(summary) (\(shapeReason))"
        }
        if let construction = candidate.construction { inference += "; \(construction.description(classes: target.classes))" }
        if let mask = candidate.maskParameter { inference += "; called with \(mask) all true (assumed: every pixel counts)" }
        if let returned = box.returned { inference += "; checked: \(returned)" }
        if !interpreter.customGradients.isEmpty {
            let names = interpreter.customGradients.map { "`\($0)`" }.joined(separator: ", ")
            inference += "; the gradient through \(names) is LossDoctor's own, of its forward: the hand-written backward is not checked"
        }
        let evaluatedOnly = NoAutodiff.applies(to: interpreter)
        if evaluatedOnly { inference += "; \(NoAutodiff.inference)" }
        let origin = LossOrigin(site: candidate.site, targetParameter: candidate.targetName,
                                predictionParameter: candidate.predictionName, targetFirst: candidate.targetFirst,
                                inference: inference, evaluatedOnly: evaluatedOnly, inputGiven: options.input != nil)
        let file = interpreter.file
        let hooks = SourceHooks(
            origin: origin, call: candidate.construction?.expression(classes: target.classes) ?? candidate.name, shape: shape, maskArgument: candidate.maskParameter != nil,
            moduleFindings: moduleFindings,
            begin: { box.interpreter.beginLoss() },
            sourceFacts: { moduleFacts + box.interpreter.sourceFacts + box.candidate.unusedParameters(file: file) })
        return function(domain, hooks: hooks)
    }

    /// Whether the loss takes the label to ignore as a parameter that is None by default (Berman's
    /// `lovasz_softmax(probas, labels, ignore=None)`): a label the file names elsewhere is then the caller's to pass,
    /// and the loss is probed as its default leaves it.
    static func ignoresNothingByDefault(_ candidate: LossCandidate) -> Bool {
        let function: FunctionValue
        switch candidate.callable {
        case .function(let f), .boundMethod(_, let f): function = f.signature
        default: return false
        }
        return function.defaults.contains { name, value in
            if case .none = value { return name.lowercased().hasPrefix("ignore") }
            return false
        }
    }

    /// The `ignore_index` a file names: the first integer written as `ignore_index=N` (or `ignore_index: int = N`)
    /// other than PyTorch's default -100, else 255 (VOC's void label) when the name appears at all; nil otherwise.
    static func namedIgnoreIndex(_ source: String) -> Int? {
        guard source.contains("ignore_index") else { return nil }
        for rest in source.split(separator: "ignore_index", omittingEmptySubsequences: false).dropFirst() {
            var tail = rest.drop { $0 == " " || $0 == ":" || $0 == "i" || $0 == "n" || $0 == "t" }
            guard tail.first == "=" else { continue }
            tail = tail.dropFirst().drop { $0 == " " }
            let digits = tail.prefix { $0.isNumber || $0 == "-" }
            if let value = Int(digits), value >= 0 { return value }
        }
        return TargetFormat.defaultIgnoreIndex
    }

    /// The loss on a prediction for the balanced mask; the random one is the call that says whether and how a
    /// loss runs.
    static func balancedRun(_ loss: LossFunction, _ prediction: PredictionKind = .random) throws -> ProbeRunner.Run {
        let runner = ProbeRunner()
        let mask = runner.geometry.mask(.balanced)
        return try runner.evaluate(loss, target: mask, shape: runner.geometry.shape,
                                   probabilities: runner.probabilities(prediction, mask, salt: .balanced, format: loss.target))
    }

    /// Whether a loss behaves as a metric: no differentiable path from the prediction (a score of hard labels,
    /// `pred == 1`), and the perfect prediction scoring higher than the inverted one on the balanced mask (a
    /// score to maximise). Berman's `iou_binary` beside his Lovasz losses is one: checked as a loss it drew
    /// LD102 and LD301, two errors on a function nobody trains with. A loss with either defect alone (a
    /// thresholded Dice loss, a coefficient returned as the loss) still has the other property of a loss.
    static func behavesAsMetric(_ loss: LossFunction) -> Bool {
        guard let perfect = try? balancedRun(loss, .perfect), let inverted = try? balancedRun(loss, .inverted),
              let best = perfect.output.scalars.first, let worst = inverted.output.scalars.first,
              best.isFinite, worst.isFinite, best > worst else { return false }
        return [perfect, inverted].allSatisfy { $0.output.gradients(withRespectTo: [$0.prediction]).allSatisfy { $0 == nil } }
    }

    /// Whether the loss returns a finite value on the balanced mask's random prediction.
    static func runs(_ loss: LossFunction) -> Bool {
        (try? balancedRun(loss))?.output.scalars.allSatisfy(\.isFinite) ?? false
    }

    /// The error of the binary probe when it says the loss wants another spatial rank (a 3-D loss reducing
    /// over axis 4 of a 2-D batch), else nil.
    static func spatialRankError(_ loss: LossFunction) -> String? {
        do {
            _ = try balancedRun(loss)
            return nil
        } catch {
            let message = ProbeRunner.failure(error, probe: "").message
            return VolumeProbe.isSpatialRankError(message) ? message : nil
        }
    }

    /// Whether a parameter's name says it holds logits: `logits`, `y_logit`, `pred_logits`, `logit_map`.
    static func namesLogits(_ name: String) -> Bool {
        name.lowercased().split(separator: "_").contains { $0 == "logit" || $0 == "logits" }
    }

    /// Whether a parameter's name says it holds log-probabilities: `lprobs`, `log_probs`, `logprobs`, `log_p`.
    static func namesLogProbabilities(_ name: String) -> Bool {
        ["lprobs", "log_probs", "logprobs", "log_prob", "logprob", "log_p", "logp", "log_probas"].contains(name.lowercased())
    }

    /// Whether a loss's name says it is a hinge (`lovasz_hinge_loss`, `LovaszHingeLoss`, `squared_hinge`).
    static func namesHinge(_ name: String) -> Bool {
        name.lowercased().contains("hinge")
    }

    /// Whether a sigmoid or softmax is applied straight to the prediction: then the loss takes logits.
    static func inferLogits(_ loss: LossFunction) -> Bool {
        guard let run = try? balancedRun(loss) else { return false }
        return GraphScan(target: run.target, prediction: run.prediction, probe: .probe(.balanced, .random)).facts(of: run.output)
            .contains { $0.kind == .activationOnPrediction || $0.kind == .expOfPrediction }
    }

    static func finding(for error: InterpreterError) -> Finding {
        error.kind.rule.finding(raised: error)
    }

    static func failure(_ file: String, _ source: String, _ message: String, line: Int, column: Int) -> SourceFile {
        let error = InterpreterError(.pythonError, message, at: SourceSite(file: file, line: line, column: column))
        return SourceFile(file: file, source: source, losses: [], fileErrors: [finding(for: error)])
    }
}

/// Lets the probe runner's `@Sendable` closure call the interpreter. Probing is single-threaded: one
/// loss is evaluated at a time, on the caller's thread.
final class InterpreterBox: @unchecked Sendable {
    let interpreter: Interpreter
    let candidate: LossCandidate

    /// What of a returned dict or tuple the loss is, when it returns one (`the dict's `loss` entry`), for the report.
    private(set) var returned: String?

    /// The loss objects rebuilt for other class counts (`Construction.rebuild`), or why they could not be.
    private var rebuilt: [Int: Result<Value, any Error>] = [:]

    init(_ interpreter: Interpreter, _ candidate: LossCandidate) {
        self.interpreter = interpreter
        self.candidate = candidate
    }

    /// Calls the loss with the target and prediction in the order its signature wants, on a prediction of
    /// `classes` channels.
    func evaluate(target: Tensor, prediction: Tensor, classes: Int) throws -> Tensor {
        try LargeStack.run { try evaluateHere(target: target, prediction: prediction, classes: classes) }
    }

    /// The loss to call for a probe of `classes` classes: the candidate's, or the object rebuilt with that
    /// class count when LossDoctor chose the class count of its constructor.
    private func callable(classes: Int) throws -> Value {
        guard let construction = candidate.construction, let rebuild = construction.rebuild,
              classes != construction.classes else { return candidate.callable }
        if rebuilt[classes] == nil { rebuilt[classes] = Result { try rebuild(classes) } }
        return try rebuilt[classes]!.get()
    }

    /// The loss in a dict a loss returns, as training frameworks read it: the `loss` entry (Hugging Face, Lightning's
    /// `training_step`), else the sum of the tensors under keys holding "loss" (MMSegmentation's `parse_losses` adds
    /// `loss_ce` and `loss_dice`); nil when neither is there.
    static func lossEntries(of dict: DictBox) -> (() throws -> (Tensor, String))? {
        if case .tensor(let loss)? = dict[.string("loss")] { return { (loss, "the `loss` entry of the dict it returns") } }
        let parts = dict.entries.compactMap { entry -> (String, Tensor)? in
            guard case .string(let key) = entry.key, key.contains("loss"), case .tensor(let value) = entry.value else { return nil }
            return (key, value)
        }
        guard !parts.isEmpty else { return nil }
        return {
            let total = try parts.dropFirst().reduce(parts[0].1) { try $0 + $1.1 }
            let names = parts.map { "`\($0.0)`" }.joined(separator: " + ")
            return (total, "the sum \(names) of the dict it returns, as MMSegmentation adds its losses")
        }
    }

    /// The parts of a PyTorch loss that returns a tuple or list of one-element tensors (`return bce, dice`): the
    /// training loop adds them (PyTorch 2.15: `sum(criterion(logits, target)).backward()` runs). nil otherwise.
    static func addedParts(of items: [Value]) -> [Tensor]? {
        let parts = items.compactMap { if case .tensor(let t) = $0, t.count == 1 { t } else { nil } }
        return parts.count == items.count && parts.count >= 2 ? parts : nil
    }

    /// A scalar tensor followed by dicts of what to log: a loss with its logs, not a helper's several results.
    static func isLossAndLogs(_ items: [Value]) -> Bool {
        guard items.count >= 2, case .tensor(let first) = items[0], first.count == 1 else { return false }
        return items.dropFirst().allSatisfy { if case .dict = $0 { true } else { false } }
    }

    private func evaluateHere(target: Tensor, prediction: Tensor, classes: Int) throws -> Tensor {
        if let exceeded = interpreter.exceeded { throw exceeded }
        let callable = try callable(classes: classes)
        interpreter.beginProbe()
        var arguments: [Value] = candidate.targetFirst ? [.tensor(target), .tensor(prediction)] : [.tensor(prediction), .tensor(target)]
        if candidate.maskParameter != nil {
            arguments.append(.tensor(Tensor(shape: target.shape, scalars: [Float](repeating: 1, count: target.count), dtype: .bool)))
        }
        // The evaluation's objects are emptied when it ends (`Arena`), once the result is a tensor.
        let arena = Arena()
        defer { arena.clear() }
        let result: Value
        do {
            result = try Interpreter.$creationEpoch.withValue(interpreter.epoch) {
                try Interpreter.$arena.withValue(arena) { try interpreter.call(callable, arguments, [], site: candidate.site) }
            }
        } catch let error as InterpreterError where error.kind == .limit {
            interpreter.exceeded = error  // every probe would spend the whole budget again
            throw error
        }
        switch result {
        case .tensor(let t): return t
        case .int, .float, .bool: return try interpreter.tensor(result, site: candidate.site)
        case .dict(let entries) where Self.lossEntries(of: entries) != nil:
            let (total, description) = try Self.lossEntries(of: entries)!()
            returned = description
            return total
        case .tuple(let items) where Self.isLossAndLogs(items):
            // `return ce + dice, {"CE": ce, "GDL": dice}`: the training loop unpacks `loss, logs = criterion(...)`.
            returned = "the first item of the (loss, logs) tuple it returns"
            guard case .tensor(let loss) = items[0] else { preconditionFailure("isLossAndLogs checked it") }
            return loss
        default:
            if candidate.isPyTorch, let items = result.sequence, let parts = Self.addedParts(of: items) {
                returned = "the sum of the \(parts.count) tensors of the \(result.typeName) it returns, as a training loop adds them"
                return try parts.dropFirst().reduce(parts[0]) { try $0 + $1 }
            }
            throw InterpreterError(.pythonError, "the loss returns \(result.typeName), not a tensor (Keras and PyTorch need a tensor)", at: candidate.site)
        }
    }
}
