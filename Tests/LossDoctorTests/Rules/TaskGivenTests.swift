import Testing
@testable import LossDoctor

/// What the file alone cannot tell (one output channel or three, a model that ends in a sigmoid or not, images or
/// volumes) is known once the user gives the task (`--input`, `--target`, `--classes`, `--volume`): the checker must
/// then use it, and the rules must say the exact defect. Each construct was run in torch 2.15.0 / TensorFlow 2.21.0
/// (the real-world fixtures named below record the numbers).
@Suite("Task given by the user")
struct TaskGivenTests {
    static func check(_ source: String, _ configure: (inout SourceOptions) -> Void) -> SourceCheckResult {
        var options = SourceOptions()
        configure(&options)
        return CheckPipeline.check(source: source, file: "losses.py", directory: nil, options: options, simulate: true)
    }

    /// A file that imports a PyTorch library and not `torch` itself still takes NCHW tensors: with the target given
    /// (no inference to try both layouts), kornia's focal loss used to get NHWC probes and raise.
    @Test("a file importing only a PyTorch library is NCHW (torch_kornia_focal_multiclass.py)")
    func pyTorchLibraryMeansNCHW() throws {
        let source = """
            import kornia


            def focal(logits, labels):
                return kornia.losses.focal_loss(logits, labels, alpha=0.5, gamma=2.0, reduction="mean")
            """
        let result = Self.check(source) { $0.target = .index; $0.classes = 3; $0.input = .logits }
        let report = try #require(result.reports.first)
        #expect(report.origin?.inference.contains("layout NCHW (inferred)") == true, "\(report.origin?.inference ?? "")")
        #expect(!result.codes.contains("LD603"), "\(result.codes)")
        var parser = Parser(source: source)
        #expect(ASTWalk.importedPackages(in: try parser.parseModule().statements) == ["kornia"])
    }

    /// smp's `DiceLoss(from_logits=False)` given a model's logits: with `--input logits` the loss has no activation of
    /// its own and rewards a wrong prediction on logits, so the finding is the domain (LD305), not its symptoms.
    @Test("--input logits on a probability loss is an input-domain error, its symptoms folded in (torch_smp_dice_logits_off.py)")
    func givenLogitsOnProbabilityLoss() {
        let source = """
            import segmentation_models_pytorch as smp

            loss_fn = smp.losses.DiceLoss(mode="binary", from_logits=False)


            def seg_loss(y_pred, y_true):
                return loss_fn(y_pred, y_true)
            """
        let given = Self.check(source) { $0.input = .logits }
        let serious = given.allFindings.filter { $0.consequenceOf == nil && $0.severity != .info }
        #expect(serious.map(\.code).sorted() == ["LD305"], "\(given.allFindings.map { "\($0.code) \($0.severity)" })")
        #expect(serious.first?.message.hasPrefix("the model outputs logits (as given), yet the loss uses it as probabilities") == true)
        // Probabilities given: the same loss is right, and says nothing about the domain.
        #expect(!Self.check(source) { $0.input = .probabilities }.codes.contains("LD305"))
    }

    /// A consequence folded into a root that is itself folded into a deeper root goes with it: before, the report
    /// released it again as a warning of its own (MONAI's `softmax=True` ignored on one channel: LD305 ⊃ LD301 ⊃ LD502).
    @Test("a consequence of a consequence stays folded")
    func chainedConsequences() {
        let site = SourceSite(file: "losses.py", line: 1, column: 1)
        func make(_ rule: RuleDescription, _ severity: Severity) -> Finding {
            rule.finding("x", severity: severity, site: site)
        }
        let folded = Consequences.fold([make(.inputDomain, .warning), make(.wrongDirection, .error), make(.slowTraining, .warning)])
        let report = Report(loss: "loss", findings: folded, evidence: BuiltinReports.report("bce").evidence)
        let top = report.findings.filter { $0.consequenceOf == nil }
        #expect(top.map(\.code) == [RuleDescription.inputDomain.code], "\(report.findings.map { "\($0.code) \($0.consequenceOf ?? "-")" })")
        #expect(report.findings.first { $0.code == RuleDescription.slowTraining.code }?.consequenceOf == RuleDescription.inputDomain.code)
        #expect(top.first?.severity == .error)
    }

    /// A 2-D Dice (sums over dims 2 and 3) given volumes keeps the width axis: one Dice per column. A 3-D Dice over
    /// (2, 3, 4) is one Dice per volume. torch 2.15.0 on (2, 1, 4, 16, 16): the 2-D version's empty-mask loss
    /// predicted exactly empty is 0.01302, its perfect prediction on a square 0.0114 (torch_3d_dice_spatial_dims_2d.py).
    @Test("LD307 flags a reduction that keeps a spatial axis: a 2-D Dice on volumes, a per-row Dice on images")
    func partialSpatialReduction() {
        func dice(_ dims: String) -> String {
            """
            import torch


            def dice_loss(logits, target, smooth=1e-5):
                p = torch.sigmoid(logits)
                inter = (p * target).sum(\(dims))
                card = p.sum(\(dims)) + target.sum(\(dims))
                return (1 - (2 * inter + smooth) / (card + smooth)).mean()
            """
        }
        let columns = Self.check(dice("(2, 3)")) { $0.volume = true }.allFindings.first { $0.code == RuleDescription.degenerateReduction.code }
        #expect(columns?.severity == .warning)
        #expect(columns?.message.contains("keeps spatial axes") == true, "\(columns?.message ?? "none")")
        #expect(columns?.site?.line == 6)
        #expect(!Self.check(dice("(2, 3, 4)")) { $0.volume = true }.codes.contains(RuleDescription.degenerateReduction.code))
        // Images: a sum over the width alone is a Dice per row; over (2, 3) it is one per mask.
        #expect(Self.check(dice("-1")) { _ in }.codes.contains(RuleDescription.degenerateReduction.code))
        #expect(!Self.check(dice("(2, 3)")) { _ in }.codes.contains(RuleDescription.degenerateReduction.code))
        // A binary loss that stacks background and foreground into two channels (as MONAI's unified focal loss does)
        // keeps one ratio per class, not per row: the library sweep flagged this once, wrongly.
        let stacked = """
            import torch


            def two_class_tversky(y_pred, y_true, eps=1e-7):
                p = torch.cat([1 - y_pred, y_pred], dim=1)
                t = torch.cat([1 - y_true, y_true], dim=1)
                tp = (p * t).sum((2, 3))
                fn = ((1 - p) * t).sum((2, 3))
                fp = (p * (1 - t)).sum((2, 3))
                return (1 - (tp + eps) / (tp + 0.7 * fn + 0.3 * fp + eps)).mean()
            """
        #expect(!Self.check(stacked) { _ in }.codes.contains(RuleDescription.degenerateReduction.code))
    }
}
