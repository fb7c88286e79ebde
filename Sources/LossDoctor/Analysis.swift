#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The library's front door: probe a loss and judge it.
///
/// Check a built-in, Python source text or a file, or a loss written in Swift with ``Tensor``; each
/// returns a ``Report`` (one per loss for source) whose ``Finding``s carry the rule's code and name, the
/// severity, the measured numbers and a fix.
///
/// ```swift
/// import LossDoctor
///
/// let report = try LossCheck.check(builtin: "dice-floor")
/// print(report.codes)                       // ["LD101", "LD105", "LD405"]
///
/// let file = LossCheck.check(source: """
///     def dice_loss(y_true, y_pred):
///         i = (y_true * y_pred).sum()
///         return 1 - (2 * i + 1) / (y_true.sum() + y_pred.sum() + 1)
///     """)
/// print(file.findings.map(\.code))
///
/// let closure = LossCheck.check { yTrue, yPred in
///     try ((yPred - yTrue) * (yPred - yTrue)).mean()
/// }
/// ```
///
/// Not named `LossDoctor`: a type named like its module shadows it, and `LossDoctor.Report` stops compiling.
public enum LossCheck {
    /// The version printed by `--version` and written into JSON and SARIF.
    public static let version = "0.1.0"

    /// Where users learn about LossDoctor, written as the SARIF driver's `informationUri`; nil until the
    /// project has a public home (SARIF then omits it: GitHub does not require it).
    public static let informationURI: String? = nil

    /// Checks a loss: probes it and runs every rule.
    ///
    /// - Parameters:
    ///   - loss: the loss to check; its `domain` and `layout` say how to call it.
    ///   - runner: the probe runner (masks, predictions, sweeps); the default is what the CLI uses.
    ///   - simulate: also train a tiny model with the loss on the synthetic task, next to the healthy
    ///     references (the training rules LD501-LD505 read that run; it takes about a second).
    /// - Returns: the findings, worst first, and the evidence they came from.
    public static func check(_ loss: LossFunction, runner: ProbeRunner = ProbeRunner(), simulate: Bool = false) -> Report {
        loss.source?.begin()
        var evidence = runner.run(loss)
        // A NumPy loss is never trained: no simulated run, and no gradient-only finding (`NoAutodiff`).
        let evaluatedOnly = loss.source?.origin.evaluatedOnly ?? false
        if simulate, !evaluatedOnly { evidence.simulation = Simulation.evidence(for: loss, format: loss.target) }
        guard let source = loss.source else {
            return Report(loss: loss.name, findings: RuleRegistry.check(evidence), evidence: evidence)
        }
        evidence.sourceFacts = source.sourceFacts()
        let excluded = evaluatedOnly ? NoAutodiff.gradientOnlyCodes : []
        evidence.origin = source.origin
        // A finding without a place of its own (a value-based rule) points at the loss's definition.
        let findings = (source.moduleFindings + RuleRegistry.check(evidence, excluding: excluded)).map { $0.anchored(at: source.origin.site) }
        var report = Report(loss: loss.name, findings: findings, evidence: evidence)
        report.origin = source.origin
        return report
    }

    /// Checks a built-in loss by name (`loss-doctor list losses` lists them).
    ///
    /// - Parameters:
    ///   - name: the built-in's name, e.g. `dice-floor` or `soft-dice`.
    ///   - simulate: also run the simulated training (rules LD501-LD505).
    /// - Returns: the report.
    /// - Throws: ``LossCheckError/unknownBuiltin(name:suggestion:)`` when there is no built-in of that name,
    ///   with the closest name when it looks like a typo.
    public static func check(builtin name: String, simulate: Bool = false) throws(LossCheckError) -> Report {
        guard let reference = ReferenceLosses.named(name) else {
            throw .unknownBuiltin(name: name, suggestion: ReferenceLosses.closestName(to: name))
        }
        var report = check(reference.function, simulate: simulate)
        report.checkedAs = .builtin(reference)
        return report
    }

    /// Checks the losses defined in Python source text, as `loss-doctor check FILE` does: every loss
    /// found (functions of two tensors, loss classes, factories), suppression comments applied.
    ///
    /// - Parameters:
    ///   - source: the Python text.
    ///   - file: the name findings point at (`losses.py:3:5`).
    ///   - options: which function to check, and the input domain and layout when not inferred.
    ///   - simulate: also run the simulated training (rules LD501-LD505).
    /// - Returns: one report per loss, and the errors that stopped analysis (a syntax error, no loss found).
    public static func check(source: String, file: String = "loss.py", options: SourceOptions = SourceOptions(),
                             simulate: Bool = false) -> SourceCheckResult {
        CheckPipeline.check(source: source, file: file, directory: nil, options: options, simulate: simulate)
    }

    /// Checks the losses of a Python file; sibling modules it imports are read from its directory.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - options: which function to check, and the input domain and layout when not inferred.
    ///   - simulate: also run the simulated training (rules LD501-LD505).
    /// - Returns: one report per loss, and the errors that stopped analysis (an unreadable file among them).
    public static func check(contentsOf path: String, options: SourceOptions = SourceOptions(),
                             simulate: Bool = false) -> SourceCheckResult {
        CheckPipeline.check(path: path, options: options, simulate: simulate)
    }

    /// Checks the losses of a Python file given by its file URL, as ``check(contentsOf:options:simulate:)``
    /// does with a path (what `FileManager` and document pickers hand out).
    ///
    /// - Parameters:
    ///   - file: the file's URL.
    ///   - options: which function to check, and the input domain and layout when not inferred.
    ///   - simulate: also run the simulated training (rules LD501-LD505).
    /// - Returns: one report per loss, and the errors that stopped analysis (an unreadable file among them).
    public static func check(file: URL, options: SourceOptions = SourceOptions(), simulate: Bool = false) -> SourceCheckResult {
        check(contentsOf: file.path(percentEncoded: false), options: options, simulate: simulate)
    }

    /// Checks a loss written as a Swift closure over ``Tensor``.
    ///
    /// - Parameters:
    ///   - name: the name the report uses.
    ///   - domain: whether `yPred` is a probability (the default) or a logit.
    ///   - layout: where the channel axis of the probes is: last (`NHWC`, Keras; the default) or first
    ///     (`NCHW`, PyTorch), as the loss reduces over its axes.
    ///   - simulate: also run the simulated training (rules LD501-LD505).
    ///   - body: the loss of the target `yTrue` and the prediction `yPred`, in `layout`.
    /// - Returns: the report.
    public static func check(
        name: String = "closure", domain: InputDomain = .probabilities, layout: Layout = .channelsLast, simulate: Bool = false,
        _ body: @escaping @Sendable (_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor
    ) -> Report {
        check(LossFunction(name: name, domain: domain, layout: layout, evaluate: body), simulate: simulate)
    }
}

/// Why `LossCheck` could not check what it was given.
public enum LossCheckError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No built-in loss has this name; `suggestion` is the closest one when the name looks like a typo of it.
    case unknownBuiltin(name: String, suggestion: String?)

    /// The error as one line, with the "did you mean" the CLI gives.
    public var description: String {
        switch self {
        case .unknownBuiltin(let name, let suggestion):
            "no built-in loss named `\(name)`" + (suggestion.map { " (did you mean `\($0)`?)" } ?? "")
                + "; `loss-doctor list losses` lists them"
        }
    }
}

extension SourceCheckResult {
    /// Every finding: the errors that stopped analysis, then each loss's findings.
    public var findings: [Finding] { fileErrors + reports.flatMap(\.findings) }
}

extension Finding {
    /// The rule that made the finding: its description, thresholds and examples.
    public var rule: RuleDescription? { RuleRegistry.rule(code)?.description }
}
