import Testing
@testable import LossDoctor

/// Defects a field test on 36 unseen real loss files (December 2026) found in LossDoctor, each as a minimal loss in
/// our own words. The real outcomes were run in torch 2.15.0 (CPU) and TensorFlow 2.21.0 on 2x1x16x16 masks with
/// 3.5 % foreground and 3-class index masks; the numbers are quoted where a test rests on them.
@Suite("Field sample: unseen real loss files")
struct FieldSampleTests {
    /// The error and warning codes, sorted.
    static func codes(_ result: SourceCheckResult) -> [String] {
        result.allFindings.filter { $0.severity != .info }.map(\.code).sorted()
    }

    /// Lin et al.'s focal loss without α (torch: exactly (1 - p_t)² · BCE): it is the focal family, not BCE. With
    /// only the α-balanced focal among the references, BCE explained the values better and LD310 called it BCE
    /// (4 of 4 such losses in the field sample).
    @Test("LD310 does not call a focal loss without class balancing BCE, and still calls `gamma *` focal BCE")
    func focalWithoutAlpha() {
        let focal = """
            import torch
            import torch.nn.functional as F

            def focal_loss(logits, target, gamma=2.0):
                bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
                p = torch.sigmoid(logits)
                p_t = p * target + (1 - p) * (1 - target)
                return ((1 - p_t) ** gamma * bce).mean()
            """
        #expect(!checkSource(focal).allFindings.contains { $0.code == "LD310" })
        let timesGamma = focal.replacingOccurrences(of: "((1 - p_t) ** gamma * bce)", with: "(gamma * bce)")
        #expect(checkSource(timesGamma).allFindings.contains { $0.code == "LD310" })
    }

    static let pooledDice = """
        import torch
        import torch.nn.functional as F

        def pooled_dice(logits, onehot):
            probs = logits.softmax(dim=1)
            inter = (probs * onehot).sum()
            return 1 - (2 * inter + 1) / (probs.sum() + onehot.sum() + 1)

        """

    /// torch: the pooled Dice alone scores 0.0702 at all-background against 0.666 at uniform (3 classes); added to
    /// cross-entropy the sum scores 2.88 at all-background against 1.76 at uniform, so the sum no longer looks pooled,
    /// but its Dice still counts background as one class (two real repositories did this).
    @Test("LD312 finds a pooled Dice added to cross-entropy, at the Dice; a per-class Dice added to it stays quiet")
    func pooledDiceInASum() throws {
        let sum = Self.pooledDice + """
            def ce_plus_pooled_dice(logits, onehot):
                return F.cross_entropy(logits, onehot) + pooled_dice(logits, onehot)
            """
        let report = checkSource(sum, function: "ce_plus_pooled_dice")
        let pooled = try #require(report.allFindings.first { $0.code == "LD312" })
        #expect(pooled.message.hasPrefix("the overlap term pools the 3 classes"))
        #expect(pooled.site?.line == 7)
        let perClass = sum.replacingOccurrences(of: "inter = (probs * onehot).sum()", with: "inter = (probs * onehot).sum((0, 2, 3))")
            .replacingOccurrences(of: "return 1 - (2 * inter + 1) / (probs.sum() + onehot.sum() + 1)",
                                  with: "return (1 - (2 * inter + 1) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + 1)).mean()")
        #expect(Self.codes(checkSource(perClass, function: "ce_plus_pooled_dice")) == [])
    }

    /// The Lovasz-softmax signature: class probabilities and index labels, `labels == c` against `probas[:, c]`.
    /// On one channel, class 0 is read as the foreground's channel and the loss looks inverted (false LD301);
    /// torch on 3 classes: perfect 0, inverted 0.998.
    @Test("A loss scoring perfect no better than uniform on one channel is probed multi-class when a multi-class probe fits")
    func perClassLabelsLoop() {
        let source = """
            import torch

            def per_class_dice(probas, labels):
                n_classes = probas.shape[1]
                total = 0.0
                for c in range(n_classes):
                    fg = (labels == c).float()
                    p = probas[:, c]
                    inter = (p * fg).sum()
                    total = total + 1 - (2 * inter + 1) / (p.sum() + fg.sum() + 1)
                return total / n_classes
            """
        let report = checkSource(source)
        #expect(Self.codes(report) == [])
        #expect(report.reports.first?.evidence.target.isMultiClass == true)
        // A binary loss that is inverted stays binary, and keeps its finding.
        let inverted = """
            def dice_loss(probs, target):
                inter = (probs * target).sum()
                return (2 * inter + 1) / (probs.sum() + target.sum() + 1)
            """
        let binary = checkSource(inverted)
        #expect(binary.reports.first?.evidence.target.isMultiClass == false)
        #expect(Self.codes(binary).contains("LD301"))
    }

    /// nnU-Net's `softmax_helper`: exp of the shifted logits over their sum. On one channel it is the constant 1
    /// (false LD103/LD501 for a healthy multi-class Dice); torch on 3 classes: perfect 0, random logits 0.80.
    @Test("A softmax written out by hand is a softmax: the loss is probed multi-class and is healthy there")
    func handWrittenSoftmax() {
        let source = """
            import torch

            def stable_softmax(x):
                e = torch.exp(x - x.max(1, keepdim=True)[0])
                return e / e.sum(1, keepdim=True)

            def soft_dice_multiclass(logits, onehot):
                p = stable_softmax(logits)
                inter = (p * onehot).sum(dim=(0, 2, 3))
                card = (p + onehot).sum(dim=(0, 2, 3))
                return 1 - ((2 * inter + 1) / (card + 1)).mean()
            """
        let report = checkSource(source, function: "soft_dice_multiclass")
        #expect(Self.codes(report) == [])
        #expect(report.reports.first?.evidence.target.isMultiClass == true)
        // Given one channel, the written-out softmax is LD311 like a framework softmax.
        var options = SourceOptions(function: "soft_dice_multiclass")
        options.target = .binary
        let oneChannel = CheckPipeline.check(source: source, file: "losses.py", directory: nil, options: options)
        #expect(oneChannel.allFindings.first { $0.code == "LD311" }?.message.contains("a softmax written out") == true)
    }

    /// A Keras categorical focal loss on softmax probabilities, `mean(-y α (1 - p)^γ log p)`: on one channel it ignores
    /// every background pixel (an empty target costs 0 whatever the prediction: LD303), on C one-hot channels the
    /// background is a class like the others. Its name says which. TensorFlow 2.21: on 3 one-hot classes perfect
    /// 1.4e-22, uniform 0.0407; on one channel an empty target costs 0 for all-foreground and empty alike.
    @Test("A loss named categorical is probed with one-hot classes when a multi-class probe is consistent")
    func categoricalName() {
        let source = """
            from tensorflow.keras import backend as K

            def categorical_focal(y_true, y_pred, gamma=2.0, alpha=0.25):
                y_pred = K.clip(y_pred, K.epsilon(), 1.0 - K.epsilon())
                return K.mean(-y_true * alpha * K.pow(1.0 - y_pred, gamma) * K.log(y_pred))
            """
        let report = checkSource(source)
        #expect(report.reports.first?.evidence.target.isMultiClass == true)
        #expect(Self.codes(report) == [])
        // Named otherwise, the same code is a binary loss that ignores the background: LD303.
        let binary = checkSource(source.replacingOccurrences(of: "categorical_focal", with: "foreground_focal"))
        #expect(binary.reports.first?.evidence.target.isMultiClass == false)
        #expect(Self.codes(binary).contains("LD303"))
    }

    /// TensorFlow: float32(1 - 1e-12) == 1.0, so `log(1 - clip(p, 1e-12, 1 - 1e-12))` is -inf at p = 1. The clip is
    /// there; its bound is what to change.
    @Test("LD202 on a clip that float32 rounds away says so and asks for a larger bound")
    func clipRoundedAway() throws {
        let source = """
            import tensorflow as tf

            def bce_tiny_clip(y_true, y_pred):
                y_pred = tf.clip_by_value(y_pred, 1e-12, 1.0 - 1e-12)
                return -tf.reduce_mean(y_true * tf.math.log(y_pred) + (1 - y_true) * tf.math.log(1 - y_pred))
            """
        let log = try #require(checkSource(source).allFindings.first { $0.code == "LD202" })
        #expect(log.notes.contains { $0.hasPrefix("the argument is clipped to [1e-12, 1] in float32") })
        #expect(log.fix.contains("K.epsilon()"))
        let unclipped = source.replacingOccurrences(of: "    y_pred = tf.clip_by_value(y_pred, 1e-12, 1.0 - 1e-12)\n", with: "")
        let plain = try #require(checkSource(unclipped).allFindings.first { $0.code == "LD202" })
        #expect(!plain.notes.contains { $0.hasPrefix("the argument is clipped") })
    }

    /// Berman's `iou_binary` (hard labels, percent) sits beside his Lovasz losses; checked as a loss it drew LD102
    /// and LD301. PyTorch 2.15: 100.0 for the perfect prediction, 0.0 for the inverted one, no grad_fn
    /// (`torch_hard_iou_metric_beside_loss.py`'s header).
    @Test("a function with no gradient that scores perfect above inverted is a metric: left out beside the file's losses, checked when asked for or when it is all the file has; a thresholded loss (perfect below inverted) is still a loss")
    func metricByBehaviour() throws {
        let metric = """
            def iou_binary(preds, labels):
                inter = ((labels == 1) & (preds == 1)).sum()
                union = ((labels == 1) | (preds == 1)).sum()
                return 100.0 * inter.float() / union.float()
            """
        let loss = """
            def soft_dice_loss(probs, target, smooth=1.0):
                inter = (probs * target).sum(dim=(1, 2, 3))
                total = probs.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))
                return (1.0 - (2.0 * inter + smooth) / (total + smooth)).mean()
            """
        let both = checkSource("import torch\n\n" + metric + "\n\n" + loss)
        #expect(both.reports.map(\.loss) == ["soft_dice_loss"], "\(both.reports.map(\.loss))")
        // Asked for by name, it is checked as a loss: no gradient, and it rewards worse predictions.
        let asked = checkSource("import torch\n\n" + metric + "\n\n" + loss, function: "iou_binary")
        #expect(Set(asked.reports.flatMap(\.findings).map(\.code)).isSuperset(of: ["LD102", "LD301"]))
        // Alone in its file, it is reported rather than silently dropped.
        #expect(checkSource("import torch\n\n" + metric).reports.map(\.loss) == ["iou_binary"])
        // A hard Dice loss has no gradient either, but is lower when better: it stays, with its errors.
        let hardDice = """
            def hard_dice(preds, labels):
                hard = (preds > 0.5).float()
                return 1.0 - (2.0 * (hard * labels).sum() + 1.0) / (hard.sum() + labels.sum() + 1.0)
            """
        let hard = checkSource("import torch\n\n" + hardDice + "\n\n" + loss)
        #expect(hard.reports.map(\.loss) == ["hard_dice", "soft_dice_loss"])
    }

    /// SegLossOdyssey's generalized Dice sums with `einsum("bcxyz->bc", ...)`: on a 2-D batch PyTorch raises "the number
    /// of subscripts in the equation (5) does not match the number of dimensions (4)", the field test's false LD603.
    @Test("an einsum naming one more axis than a 2-D batch has makes the loss volumetric; a 2-D einsum stays on images")
    func einsumVolumes() throws {
        func loss(_ subscripts: String) -> String {
            """
            import torch
            from torch import einsum

            def gdice_loss(probs, onehot):
                w = 1 / (einsum("\(subscripts)->bc", onehot) + 1e-10) ** 2
                inter = w * einsum("\(subscripts),\(subscripts)->bc", probs, onehot)
                union = w * (einsum("\(subscripts)->bc", probs) + einsum("\(subscripts)->bc", onehot))
                return (1 - 2 * (einsum("bc->b", inter) + 1e-5) / (einsum("bc->b", union) + 1e-5)).mean()
            """
        }
        let volume = try #require(checkSource(loss("bcxyz")).reports.first)
        #expect(volume.evidence.wasProbed && volume.evidence.shape == .volumes, "\(volume.findings.map(\.message))")
        #expect(!volume.findings.contains { $0.code == RuleDescription.pythonError.code })
        let image = try #require(checkSource(loss("bcxy")).reports.first)
        #expect(image.evidence.wasProbed && image.evidence.shape == .images)
    }
}

