import Foundation
import Testing
@testable import LossDoctor

/// Multi-class probes (issue 11): the target formats, what is inferred from the code, and the findings.
/// The Python losses below were run in /work/venv-torch (torch 2.15 CPU) and /work/venv-tf (TensorFlow 2.21,
/// Keras 3.15) on the same probe batches: the healthy ones train a 3-class softmax output, the pooled one
/// scores 0.0156 on all-background, the one-channel softmax returns a constant.
@Suite("Multi-class probes")
struct MultiClassProbeTests {
    static let torchSoftmaxDice = """
        import torch
        import torch.nn.functional as F

        def soft_dice_loss(logits, target, smooth=1.0):
            num_classes = logits.shape[1]
            probs = F.softmax(logits, dim=1)
            one_hot = F.one_hot(target.long(), num_classes).permute(0, 3, 1, 2).float()
            dims = (0, 2, 3)
            inter = torch.sum(probs * one_hot, dims)
            card = torch.sum(probs + one_hot, dims)
            return 1.0 - ((2.0 * inter + smooth) / (card + smooth)).mean()
        """

    static let kerasSoftmaxDice = """
        import tensorflow as tf

        def multiclass_dice_loss(y_true, y_pred):
            y_pred = tf.nn.softmax(y_pred, axis=-1)
            inter = tf.reduce_sum(y_true * y_pred, axis=(1, 2))
            denom = tf.reduce_sum(y_true + y_pred, axis=(1, 2))
            return 1.0 - tf.reduce_mean((2.0 * inter + 1.0) / (denom + 1.0))
        """

    static let torchPooledDice = """
        import torch
        import torch.nn.functional as F

        def pooled_dice_loss(logits, target, smooth=1.0):
            probs = F.softmax(logits, dim=1)
            one_hot = F.one_hot(target.long(), logits.shape[1]).permute(0, 3, 1, 2).float()
            inter = torch.sum(probs * one_hot)
            return 1.0 - (2.0 * inter + smooth) / (torch.sum(probs) + torch.sum(one_hot) + smooth)
        """

    static let torchCEDice = """
        import torch
        import torch.nn.functional as F

        class DiceCELoss(torch.nn.Module):
            def __init__(self, ignore_index=255):
                super().__init__()
                self.ignore_index = ignore_index

            def forward(self, logits, target):
                ce = F.cross_entropy(logits, target, ignore_index=self.ignore_index)
                valid = (target != self.ignore_index)
                t = target * valid
                probs = F.softmax(logits, dim=1) * valid.unsqueeze(1)
                one_hot = F.one_hot(t, logits.shape[1]).permute(0, 3, 1, 2).float() * valid.unsqueeze(1)
                inter = torch.sum(probs * one_hot, dim=(0, 2, 3))
                card = torch.sum(probs + one_hot, dim=(0, 2, 3))
                return ce + 1.0 - ((2.0 * inter + 1.0) / (card + 1.0)).mean()
        """

    /// smp-style multi-class Dice, written anew: `log_softmax(dim=1).exp()`, `view(bs, num_classes, -1)`,
    /// dims (0, 2), masking `ignore_index` when it is set. torch 2.15: `F.one_hot` of 255 raises
    /// `Class values must be smaller than num_classes`, so with `ignore_index=None` the loss never sees 255.
    static let smpStyleDice = """
        import torch
        import torch.nn.functional as F


        class MulticlassDiceLoss(torch.nn.Module):
            def __init__(self, smooth=0.0, eps=1e-7, ignore_index=None):
                super().__init__()
                self.smooth = smooth
                self.eps = eps
                self.ignore_index = ignore_index

            def forward(self, y_pred, y_true):
                bs = y_true.size(0)
                num_classes = y_pred.size(1)
                dims = (0, 2)
                y_pred = y_pred.log_softmax(dim=1).exp()
                y_true = y_true.view(bs, -1)
                y_pred = y_pred.view(bs, num_classes, -1)
                if self.ignore_index is not None:
                    mask = y_true != self.ignore_index
                    y_pred = y_pred * mask.unsqueeze(1)
                    y_true = F.one_hot((y_true * mask).to(torch.long), num_classes)
                    y_true = y_true.permute(0, 2, 1) * mask.unsqueeze(1)
                else:
                    y_true = F.one_hot(y_true, num_classes)
                    y_true = y_true.permute(0, 2, 1)
                y_true = y_true.type_as(y_pred)
                intersection = torch.sum(y_pred * y_true, dim=dims)
                cardinality = torch.sum(y_pred + y_true, dim=dims)
                score = (2.0 * intersection + self.smooth) / (cardinality + self.smooth).clamp_min(self.eps)
                loss = 1.0 - score
                mask = y_true.sum(dims) > 0
                loss = loss * mask.to(loss.dtype)
                return loss.mean()

        """

    @Test("ignore_index: probed with a frame of 255 only when the loss accepts it, and masked pixels do not leak")
    func ignoreIndex() {
        let unset = checkSource(Self.smpStyleDice).reports[0]
        #expect(unset.evidence.target == .classIndex(classes: 3, ignoreIndex: nil))
        #expect(unset.findings.allSatisfy { $0.severity == .info }, "\(unset.codes)")
        let set = checkSource(Self.smpStyleDice.replacingOccurrences(of: "ignore_index=None", with: "ignore_index=255")).reports[0]
        #expect(set.evidence.target == .classIndex(classes: 3, ignoreIndex: 255))
        #expect(set.findings.allSatisfy { $0.severity == .info }, "\(set.codes)")
        #expect(BuiltinReports.report("index-dice-ignore-leak").findings.contains { $0.code == "LD313" && $0.severity == .error })
    }

    @Test("one-hot probes: perfect is the one-hot target, object classes are absent from some samples")
    func oneHotProbe() throws {
        let runner = ProbeRunner()
        let format = TargetFormat.oneHot(classes: 3)
        let mask = runner.geometry.mask(.imbalanced)
        var loss = LossFunction(name: "identity") { y, _ in y }
        loss.target = format
        let p = runner.probabilities(.perfect, mask, salt: .imbalanced, format: format)
        let run = try runner.evaluate(loss, target: mask, shape: runner.geometry.shape, probabilities: p)
        #expect(run.target.shape == [4, 64, 64, 3])
        #expect(run.target.scalars == run.prediction.scalars)
        let perSample = try run.target.sum(axes: [1, 2]).scalars  // (4, 3)
        let absent = (0..<4).flatMap { s in (1..<3).filter { perSample[s * 3 + $0] == 0 } }
        #expect(!absent.isEmpty)
        #expect(Set((0..<4).flatMap { s in (1..<3).filter { perSample[s * 3 + $0] > 0 } }) == [1, 2])
        let uniform = runner.probabilities(.uniform, mask, salt: .imbalanced, format: format)
        #expect(uniform.allSatisfy { Swift.abs($0 - 1.0 / 3) < 1e-6 })
    }

    @Test("class-index probes: int64 (N, H, W), channels-first prediction, a frame of 255 when asked")
    func classIndexProbe() throws {
        let runner = ProbeRunner()
        var loss = LossFunction(name: "identity", layout: .channelsFirst) { y, _ in y }
        loss.target = .classIndex(classes: 3, ignoreIndex: 255)
        let mask = runner.geometry.mask(.balanced)
        let run = try runner.evaluate(loss, target: mask, shape: runner.geometry.shape,
                                      probabilities: runner.probabilities(.soft, mask, salt: .balanced, format: loss.target))
        #expect(run.target.shape == [4, 64, 64])
        #expect(run.target.dtype == .int64)
        #expect(run.prediction.shape == [4, 3, 64, 64])
        #expect(run.target.scalars[0] == 255)
        #expect(Set(run.target.scalars) == [0, 1, 2, 255])
    }

    @Test("a binary loss that insists on an (N, H, W) mask without a channel axis is probed with one (kornia's Lovasz hinge checks for it), and is analysed")
    func binaryMaskWithoutChannelAxis() throws {
        let source = """
            import torch
            import torch.nn.functional as F


            def bce_squeezed(logits, mask):
                if mask.dim() != 3:
                    raise ValueError("mask must be (N, H, W)")
                return F.binary_cross_entropy_with_logits(logits.squeeze(1), mask)
            """
        let report = checkSource(source).reports[0]
        #expect(report.evidence.target == .binaryWithoutChannel)
        #expect(!report.evidence.target.isMultiClass)
        #expect(report.evidence.wasProbed)
        #expect(!report.findings.contains { $0.code == "LD603" }, "\(report.findings.map(\.message))")
        #expect(report.origin!.inference.contains("the loss takes a mask without a channel axis"))
    }

    @Test("a loss that indexes with its target (gather) and raises on every probe reports what class indices raise, not the float mask's dtype error (smp's SoftCrossEntropyLoss() divides its default smooth_factor=None: torch 2.13 raises the same TypeError)")
    func indexingLossReportsClassIndexError() throws {
        let source = """
            import torch
            import torch.nn.functional as F


            def smoothed_nll(y_pred, y_true, smooth_factor=None):
                lprobs = F.log_softmax(y_pred, dim=1)
                nll = -lprobs.gather(dim=1, index=y_true.unsqueeze(1)).mean()
                return (1.0 - smooth_factor) * nll
            """
        let report = checkSource(source).reports[0]
        #expect(report.evidence.target == .classIndex(classes: 3, ignoreIndex: nil))
        let messages = report.findings.filter { $0.code == "LD603" }.map(\.message)
        #expect(messages.contains { $0.contains("TypeError") && $0.contains("NoneType") }, "\(messages)")
        #expect(!messages.contains { $0.contains("int64") })
    }

    @Test("inference: PyTorch one_hot(target.long()) is class-index NCHW, Keras softmax(axis=-1) is one-hot NHWC")
    func inference() throws {
        let torch = checkSource(Self.torchSoftmaxDice).reports[0]
        #expect(torch.evidence.target == .classIndex(classes: 3, ignoreIndex: nil))
        #expect(torch.evidence.layout == .channelsFirst)
        #expect(torch.origin!.inference.contains("target class-index (3 classes)"))
        let keras = checkSource(Self.kerasSoftmaxDice).reports[0]
        #expect(keras.evidence.target == .oneHot(classes: 3))
        #expect(keras.evidence.layout == .channelsLast)
        #expect(keras.origin!.inference.contains("softmax over the channel axis of a one-channel probe is constant"))
        let binary = checkSource("def dice(y_true, y_pred):\n    i = (y_true * y_pred).sum()\n    return 1 - (2 * i + 1) / (y_true.sum() + y_pred.sum() + 1)\n").reports[0]
        #expect(binary.evidence.target == .binary)
    }

    @Test("healthy multi-class losses from files get no error or warning")
    func healthyFilesStayQuiet() {
        for source in [Self.torchSoftmaxDice, Self.kerasSoftmaxDice, Self.torchCEDice] {
            let result = checkSource(source)
            #expect(result.allFindings.allSatisfy { $0.severity == .info }, "\(result.codes)")
        }
        let ce = checkSource(Self.torchCEDice).reports[0]
        #expect(ce.evidence.target == .classIndex(classes: 3, ignoreIndex: 255))
    }

    @Test("pooled classes: LD312 with trivial-solution folded in as its consequence")
    func pooled() throws {
        let report = checkSource(Self.torchPooledDice).reports[0]
        let pooled = try #require(report.findings.first { $0.code == "LD312" })
        #expect(pooled.severity == .error)
        #expect(pooled.notes.contains { $0.hasPrefix("and therefore: trivial-solution (LD304)") })
        #expect(report.findings.first { $0.code == "LD304" }?.consequenceOf == "LD312")
    }

    @Test("a loss taking label maps with a channel axis (MONAI's to_onehot_y=True) is probed with them and stays quiet")
    func labelMapTargets() throws {
        let source = """
            from monai.losses import DiceLoss

            dice = DiceLoss(to_onehot_y=True, softmax=True)


            def loss(y_pred, y_true):
                return dice(y_pred, y_true)
            """
        let report = checkSource(source, function: "loss").reports[0]
        #expect(report.evidence.target == .labelMap(classes: 3), "\(report.evidence.target)")
        #expect(report.findings.allSatisfy { $0.severity == .info }, "\(report.findings.map(\.code))")
        // The value on one label map, as MONAI 1.6.1 computes it (loss-doctor eval against DiceLoss(to_onehot_y=True,
        // softmax=True) on a seeded 2x3x8x8 normal(0, 2) batch: 0.6831158 both; here a fixed 1x3x2x2 case: 0.2247844).
        let interpreter = try BuiltinTests.interpreter("from monai.losses import DiceLoss\n")
        let value = try BuiltinTests.evaluate(
            "DiceLoss(to_onehot_y=True, softmax=True)(torch.tensor([[[[2.0, 0.0], [0.0, 0.0]], [[0.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [2.0, 2.0]]]]), torch.tensor([[[[0, 1], [2, 2]]]]))",
            in: interpreter)
        #expect(Swift.abs((value.tensor?.scalars.first ?? -1) - 0.2247844) < 1e-5, "\(value)")
    }

    @Test("a background-dominated mean of per-pixel terms is not classes-pooled: that is an overlap's defect")
    func perPixelMeanIsNotPooled() throws {
        // A squared error averaged over pixels and classes: all-background scores close to perfect (trivial-
        // solution's to judge), but no overlap ratio is formed, so nothing is pooled.
        let source = """
            import torch

            def multiclass_mse(probs, one_hot):
                return ((probs - one_hot) ** 2).mean()
            """
        var options = SourceOptions()
        options.target = .oneHot
        options.input = .probabilities
        let report = CheckPipeline.check(source: source, file: "l.py", options: options).reports[0]
        #expect(!report.findings.contains { $0.code == "LD312" }, "\(report.findings.map(\.code))")
        #expect(report.findings.contains { $0.code == "LD304" }, "the trivial solution is still reported: \(report.findings.map(\.code))")
    }

    @Test("--target binary on a softmax Dice: softmax-one-channel, its zero gradient folded in")
    func forcedBinary() throws {
        var options = SourceOptions()
        options.target = .binary
        let report = CheckPipeline.check(source: Self.kerasSoftmaxDice, file: "l.py", options: options).reports[0]
        #expect(report.findings.contains { $0.code == "LD311" && $0.severity == .error })
        #expect(report.findings.filter { $0.consequenceOf == nil }.map(\.code).allSatisfy { !["LD103", "LD105", "LD303"].contains($0) })
        var classes = SourceOptions()
        classes.classes = 4
        let four = CheckPipeline.check(source: Self.kerasSoftmaxDice, file: "l.py", options: classes).reports[0]
        #expect(four.evidence.target == .oneHot(classes: 4))
    }

    @Test("pyproject target and classes apply to files; the flags override them; bad values are refused")
    func configuration() throws {
        let project = try TemporaryProject([
            "pyproject.toml": "[tool.loss-doctor]\ntarget = \"one-hot\"\nclasses = 4\n",
            "losses.py": Self.kerasSoftmaxDice,
        ])
        let configured = project.run(["check", project.path("losses.py"), "--no-simulate"])
        #expect(configured.stdout.contains("target one-hot (4 classes) (given by "))
        let flagged = project.run(["check", project.path("losses.py"), "--no-simulate", "--target", "binary"])
        #expect(flagged.stdout.contains("target binary (given by --target)"))
        #expect(flagged.stdout.contains("error[LD311] softmax-one-channel"))
        #expect(project.run(["check", project.path("losses.py"), "--classes", "1"]).exitCode == 2)
        let bad = try TemporaryProject(["pyproject.toml": "[tool.loss-doctor]\nclasses = \"three\"\n", "losses.py": Self.kerasSoftmaxDice])
        #expect(bad.run(["check", bad.path("losses.py"), "--no-simulate"]).exitCode == 2)
    }

    @Test("ignore_index named in the file: the first literal other than -100, else 255")
    func namedIgnoreIndex() {
        #expect(SourceChecker.namedIgnoreIndex("def f(x, ignore_index=-100, y=1): F.cross_entropy(x, y, ignore_index=0)") == 0)
        #expect(SourceChecker.namedIgnoreIndex("self.ignore_index = ignore") == 255)
        #expect(SourceChecker.namedIgnoreIndex("def f(x, y): pass") == nil)
    }

    @Test("multi-class built-ins: healthy ones are quiet, broken ones get their finding; the Dice per sample and class with the background probes healthy and collapses to background in training (LD504, as in real PyTorch training)",
          arguments: ReferenceLosses.multiClass.map(\.name))
    func multiClassBuiltins(name: String) {
        let report = BuiltinReports.report(name)
        if ["softmax-dice", "index-dice-ignore"].contains(name) {
            #expect(report.findings.filter { $0.severity != .info }.map(\.code) == [RuleDescription.collapseToBackground.code], "\(report.codes)")
            #expect(LossCheck.check(ReferenceLosses.named(name)!.function, simulate: false).findings.allSatisfy { $0.severity == .info })
        } else if ["generalized-dice-softmax", "ce-dice"].contains(name) {
            #expect(report.findings.allSatisfy { $0.severity == .info }, "\(report.codes)")
        } else {
            #expect(report.findings.contains { $0.severity == .error }, "\(report.codes)")
        }
    }

    @Test("dice-floor: the cause (LD101) and the symptom (LD501) are findings, piecewise-constant a note")
    func diceFloorFolds() throws {
        let report = BuiltinReports.report("dice-floor")
        let floor = try #require(report.findings.first { $0.code == "LD101" })
        #expect(floor.notes.contains { $0.hasPrefix("and therefore: piecewise-constant (LD105)") })
        #expect(report.findings.first { $0.code == "LD105" }?.consequenceOf == "LD101")
        #expect(report.findings.first { $0.code == "LD501" }?.consequenceOf == nil)
        #expect(report.count(.warning) == 0)
        #expect(report.findings.contains { $0.code == "LD503" })
    }
}
