import Testing
@testable import LossDoctor

/// The triggers issue 11 changed so that real-world healthy losses stay quiet (Tests/Fixtures/real-world),
/// each pinned by an example just on each side. The framework facts were run in /work/venv-torch
/// (torch 2.15.0) and /work/venv-tf (TensorFlow 2.21.0) for the fixtures these examples stand for.
@Suite("Real-world rule precision")
struct RealWorldPrecisionTests {
    static func findings(_ source: String, _ code: String) -> [Finding] {
        checkSource(source).allFindings.filter { $0.code == code }
    }

    static func softBCE(_ smoothing: String) -> String {
        """
        import torch.nn.functional as F

        def soft_bce(logits, target):
            soft = target * (1 - \(smoothing)) + (1 - target) * \(smoothing)
            return F.binary_cross_entropy_with_logits(logits, soft)
        """
    }

    /// torch_soft_bce_label_smoothing.py: toolbelt's SoftBCEWithLogitsLoss(smooth_factor=0.1) costs 2 at the
    /// hard perfect prediction (logits ±20) and 0.3251 at soft (0.9/0.1), its minimum by design.
    @Test("LD302 is info when the minimum is a softened target, an error when the target is gone")
    func labelSmoothing() {
        let smoothed = Self.findings(Self.softBCE("0.1"), "LD302")
        #expect(smoothed.map(\.severity) == [.info])
        #expect(smoothed.first?.message.hasPrefix("the minimum is at a softened target") == true)
        // Smoothing 0.5 pulls every target to 0.5: uniform is best and the loss no longer sees the mask.
        let erased = Self.findings(Self.softBCE("0.5"), "LD302")
        #expect(erased.map(\.severity) == [.error])
        #expect(erased.first?.message.hasPrefix("the prediction uniform scores") == true)
        #expect(BuiltinReports.report("bce-sign-error").findings.first { $0.code == "LD302" }?.severity == .error)
    }

    /// MONAI's DiceLoss(sigmoid=True) is a Dice per image: the imbalanced batch's empty images cost nothing, so
    /// missing its foreground costs 13.8 % of the span (under the 15 % that marks an overlap loss there), while
    /// missing the balanced foreground costs nearly all of it. A sigmoid'd MSE costs about half there.
    @Test("LD106 is info on MONAI's per-image Dice of sigmoid(logits), still a warning on a sigmoid'd MSE")
    func vanishingGradientPerImageDice() throws {
        let monai = try #require(LibraryLosses.source(forLossExpression: "monai.DiceLoss(sigmoid=True)"))
        let perImage = checkSource(monai.source, function: monai.functionName).allFindings.filter { $0.code == "LD106" }
        #expect(perImage.map(\.severity) == [.info])
        let mse = """
            import torch

            def mse_on_logits(logits, target):
                return ((torch.sigmoid(logits) - target) ** 2).mean()
            """
        #expect(Self.findings(mse, "LD106").map(\.severity) == [.warning])
    }

    /// torch_smp_dice_logits_off.py (smp DiceLoss(from_logits=False) given the model's logits) and torch_lovasz_hinge.py
    /// (a hinge on raw scores): both name their prediction `logits` and apply no activation; only the Dice is not
    /// minimised at the target when fed logits.
    @Test("LD305 when a prediction named logits is used as probabilities (minimum off target), not for a hinge on logits")
    func namedLogitsUsedAsProbabilities() {
        let dice = """
            def seg_loss(logits, masks):
                inter = (logits * masks).sum()
                return 1 - (2 * inter + 1) / (logits.sum() + masks.sum() + 1)
            """
        let domain = Self.findings(dice, "LD305")
        #expect(domain.count == 1)
        #expect(domain.first?.message.hasPrefix("the prediction `logits` is named logits, yet the loss uses it as probabilities") == true)
        // The off-target minimum is the consequence, folded into the root.
        #expect(Self.findings(dice, "LD302").allSatisfy { $0.consequenceOf == "LD305" && $0.severity == .info })
        let hinge = """
            import torch

            def hinge_loss(logits, labels):
                signs = 2.0 * labels - 1.0
                return torch.relu(1.0 - logits * signs).mean()
            """
        #expect(Self.findings(hinge, "LD305").isEmpty)
        // Named otherwise, the same Dice is checked on probabilities and is healthy.
        #expect(Self.findings(dice.replacing("logits", with: "probs_out"), "LD305").isEmpty)
    }

    /// catalyst 22.4 and pytorch-toolbelt 0.8 Lovasz-softmax: `forward(self, logits, targets)` passes `logits` on to a
    /// helper documented as taking probabilities. Fed the model's logits, the inverted prediction ranks first (torch
    /// 2.13.0+cpu, this source on a 4x1x64x64 half mask, logits ±10: perfect 11.0, inverted 9.5); the cause is the
    /// domain, not the loss. It compares its labels with class numbers, so it is probed with 3-class labels, where a
    /// mildly wrong prediction scores below the perfect one: minimum-off-target folds into LD305 there.
    @Test("LD305 also when logits used as probabilities put the minimum off the target; its symptoms fold into it")
    func namedLogitsWrongDirection() {
        let lovasz = """
            import torch

            def _gradient(truth):
                total = truth.sum()
                jaccard = 1.0 - (total - truth.cumsum(0)) / (total + (1.0 - truth).cumsum(0))
                return torch.cat([jaccard[:1], jaccard[1:] - jaccard[:-1]])

            def _over_classes(probabilities, labels):
                classes = probabilities.shape[1]
                flat = probabilities.permute(0, 2, 3, 1).reshape(-1, classes)
                losses = []
                for c in range(classes):
                    truth = (labels.reshape(-1) == c).float()
                    if truth.sum() == 0:
                        continue
                    ordered, order = torch.sort((truth - flat[:, c]).abs(), descending=True)
                    losses.append(torch.dot(ordered, _gradient(truth[order])))
                if not losses:
                    return probabilities.sum() * 0.0
                return torch.stack(losses).mean()

            def lovasz_softmax(logits, labels):
                return _over_classes(logits, labels)
            """
        let domain = Self.findings(lovasz, "LD305")
        #expect(domain.count == 1, "\(domain.map(\.message))")
        #expect(domain.first?.message.contains("the minimum is not at the target") == true, "\(domain.map(\.message))")
        #expect(Self.findings(lovasz, "LD301").allSatisfy { $0.consequenceOf == "LD305" && $0.severity == .info })
    }

    /// torch_mcc_loss.py (smp MCCLoss shape) and torch_dice_sum_over_batch.py: overlap losses of sigmoid(logits)
    /// spanning 2 and N; MSE summed over the batch stays a warning (missing the foreground costs 1.56 %).
    @Test("LD106 is info on an overlap loss of sigmoid(logits) of any range, a warning on a summed MSE")
    func vanishingGradientRange() {
        let mcc = """
            import torch

            def mcc_loss(logits, target):
                p = torch.sigmoid(logits)
                tp = (p * target).sum() + 1e-5
                tn = ((1 - p) * (1 - target)).sum() + 1e-5
                fp = (p * (1 - target)).sum() + 1e-5
                fn = ((1 - p) * target).sum() + 1e-5
                return 1.0 - (tp * tn - fp * fn) / torch.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
            """
        #expect(Self.findings(mcc, "LD106").map(\.severity) == [.info])
        let diceSum = """
            import torch

            def dice_sum(logits, target):
                p = torch.sigmoid(logits)
                i = (p * target).sum(dim=(1, 2, 3))
                return (1 - (2 * i + 1) / (p.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3)) + 1)).sum()
            """
        #expect(Self.findings(diceSum, "LD106").map(\.severity) == [.info])
        let mseSum = """
            import torch

            def mse_sum(logits, target):
                p = torch.sigmoid(logits)
                return ((p - target) ** 2).mean(dim=(1, 2, 3)).sum()
            """
        #expect(Self.findings(mseSum, "LD106").map(\.severity) == [.warning])
    }

    /// torch_iou_coefficient_returned.py: the IoU itself returned as the loss; LD301 says it, LD106 would not help.
    @Test("LD106 is not reported on a loss that rewards worse predictions")
    func vanishingGradientWrongDirection() {
        let iou = """
            import torch

            def iou_loss(logits, target):
                p = torch.sigmoid(logits)
                i = (p * target).sum()
                return (i + 1) / (p.sum() + target.sum() - i + 1)
            """
        let codes = checkSource(iou).codes
        #expect(codes.contains("LD301"))
        #expect(!codes.contains("LD106"))
    }

    static func pooledDice(smooth: Int) -> String {
        """
        def dice(y_true, y_pred):
            i = (y_true * y_pred).sum()
            return 1 - (2 * i + \(smooth)) / (y_true.sum() + y_pred.sum() + \(smooth))
        """
    }

    /// Pooled over the batch, the tiny mask has 36 foreground pixels and the imbalanced one 256: missing them
    /// costs 36 / (36 + s) and 256 / (256 + s) of the span. s = 40: 0.47 and 0.86, ratio 0.55 (the old
    /// trigger, tiny share below 0.5, fired); s = 60: 0.38 and 0.81, ratio 0.46.
    @Test("LD404 needs the tiny miss to cost under half the 8x8 miss: smooth 40 passes, smooth 60 triggers")
    func smoothingRatio() throws {
        #expect(Self.findings(Self.pooledDice(smooth: 40), "LD404").isEmpty)
        let flagged = try #require(Self.findings(Self.pooledDice(smooth: 60), "LD404").first)
        let tiny = try #require(flagged.numbers["tiny_share"]), large = try #require(flagged.numbers["imbalanced_share"])
        #expect(tiny / large > 0.4 && tiny / large < 0.5)
    }

    /// tfk_bce_minus_log_dice.py: BCE - log(per-image Dice), run in TensorFlow 2.21: missing the tiny objects costs
    /// 2.34, the 8x8 ones 4.43 (ratio 0.53): the smoothing does not swamp them.
    @Test("LD404 is not reported on BCE - log Dice, whose span is set by the BCE term")
    func smoothingWithCrossEntropy() throws {
        let path = fixturesDirectory + "/real-world/tfk_bce_minus_log_dice.py"
        let result = LossCheck.check(contentsOf: path)
        #expect(!result.findings.contains { $0.code == "LD404" })
    }

    /// tf_categorical_focal.py / tfk_categorical_ce_unclipped.py: `reduce_sum(-y * log p, axis=-1)` sums the
    /// classes of each pixel; on a one-channel probe it reduces nothing and harms nothing.
    @Test("LD307 needs a per-pixel ratio after the degenerate reduction")
    func degenerateReductionRatio() {
        let categorical = """
            import tensorflow as tf

            def cce(y_true, y_pred):
                p = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
                return tf.reduce_mean(tf.reduce_sum(-y_true * tf.math.log(p), axis=-1))
            """
        #expect(Self.findings(categorical, "LD307").isEmpty)
        let perPixelDice = """
            import tensorflow as tf

            def pixel_dice(y_true, y_pred):
                i = tf.reduce_sum(y_true * y_pred, axis=-1)
                return tf.reduce_mean(1 - (2 * i + 1) / (tf.reduce_sum(y_true + y_pred, axis=-1) + 1))
            """
        #expect(Self.findings(perPixelDice, "LD307").map(\.severity) == [.warning])
    }

    static func bcePlusSum(_ weight: String) -> String {
        """
        import torch

        def bce_plus_sum(pred, target):
            p = pred.clamp(1e-7, 1 - 1e-7)
            bce = -(target * torch.log(p) + (1 - target) * torch.log(1 - p))
            return bce.mean() + \(weight) * bce.sum() / 16384
        """
    }

    /// A pixel mean plus w times a pixel sum (16384 pixels in the probe batch) changes by (1 + 4w) / (1 + w) at
    /// 2x resolution: 1.20 for w = 0.07, 1.32 for w = 0.12. torch_boundary_loss_edt.py changes by 1.117.
    @Test("LD402 needs a 25 % change at 2x resolution: 1.20 passes, 1.32 triggers")
    func resolutionTolerance() throws {
        let small = checkSource(Self.bcePlusSum("0.07"))
        let scale = try #require(small.reports.first?.evidence.scale)
        #expect(abs(Double(scale.upsampled.value / scale.base.value) - 1.196) < 0.01)
        #expect(!small.codes.contains("LD402"))
        let large = try #require(Self.findings(Self.bcePlusSum("0.12"), "LD402").first)
        #expect(abs((large.numbers["value_ratio"] ?? 0) - 1.321) < 0.01)
    }

    /// torch_log_sigmoid_focal.py, run in torch 2.15: `torch.log(torch.sigmoid(z))` is -inf from z = -104 and
    /// `log(1 - sigmoid(z))` from z = 16.7; the logits form (F.logsigmoid) is the fix, not a clip.
    @Test("LD202 leaves a log of a sigmoid made from logits to LD203, and stays on a log of probabilities")
    func logOfSaturatedSigmoid() {
        let logits = checkSource("""
            import torch

            def focal(logits, target):
                p = torch.sigmoid(logits)
                return -(target * (1 - p) ** 2 * torch.log(p) + (1 - target) * p ** 2 * torch.log(1 - p)).mean()
            """).codes
        #expect(logits.contains("LD203"))
        #expect(!logits.contains("LD202"))
        let probabilities = checkSource("""
            import torch

            def bce(pred, target):
                return -(target * torch.log(pred) + (1 - target) * torch.log(1 - pred)).mean()
            """).codes
        #expect(probabilities.contains("LD202"))
        #expect(!probabilities.contains("LD203"))
    }

    static func multiClassDice(epsOnlyWeight a: String) -> String {
        """
        import torch

        def dice(output, target):
            onehot = torch.zeros_like(output).scatter_(1, target.unsqueeze(1), 1)
            inter = 2.0 * (output * onehot).sum((2, 3))
            union = (output ** 2).sum((2, 3)) + (onehot ** 2).sum((2, 3))
            eps_only = 1 - (inter / (union + 1e-10)).mean()
            smoothed = 1 - ((inter + 1) / (union + 1)).mean()
            return \(a) * eps_only + (1 - \(a)) * smoothed
        """
    }

    /// torch_scatter_onehot_no_smooth.py, run in torch 2.15: an all-background image predicted exactly costs
    /// 0.6667 (2 of 3 classes absent score 0). Mixed with a smoothed Dice at weight a, it costs 2a/3 of the way:
    /// a = 0.6 gives 0.4 (below the 0.5 trigger), a = 0.9 gives 0.6.
    @Test("LD303 on multi-class: an absent class predicted absent costing its maximum, 0.4 passes, 0.6 triggers")
    func emptyTargetMultiClass() throws {
        let mild = checkSource(Self.multiClassDice(epsOnlyWeight: "0.6"))
        #expect(mild.reports.first?.evidence.target.isMultiClass == true)
        #expect(!mild.codes.contains("LD303"))
        let flagged = try #require(Self.findings(Self.multiClassDice(epsOnlyWeight: "0.9"), "LD303").first)
        #expect(abs((flagged.numbers["perfect"] ?? 0) - 0.6) < 0.01)
    }

    /// tfk_categorical_dice_foreground.py: `y_true[..., 1:]` of a one-channel probe is empty and its mean NaN, so
    /// the one-channel probe says nothing; the 3-class one-hot probe is consistent. A binary loss that is NaN
    /// everywhere stays binary (no multi-class probe is consistent) and keeps its LD201.
    @Test("target inference: a non-finite one-channel probe gives way only to a consistent multi-class probe")
    func nonFiniteBinaryProbe() {
        let foreground = checkSource("""
            from tensorflow.keras import backend as K

            def fg_dice(y_true, y_pred):
                t = y_true[..., 1:]
                p = y_pred[..., 1:]
                inter = K.sum(t * p, axis=[0, 1, 2])
                return 1.0 - K.mean((2.0 * inter + 1e-5) / (K.sum(t + p, axis=[0, 1, 2]) + 1e-5))
            """)
        #expect(foreground.reports.first?.evidence.target == .oneHot(classes: 3))
        #expect(!foreground.allFindings.contains { $0.severity != .info })
        let broken = checkSource("""
            from tensorflow.keras import backend as K

            def nan_dice(y_true, y_pred):
                inter = K.sum(y_true * y_pred) * 0.0
                return 1.0 - inter / (K.sum(y_true) * 0.0)
            """)
        #expect(broken.reports.first?.evidence.target == .binary)
        #expect(broken.codes.contains("LD201"))
    }

    static func criterion(named parameter: String) -> String {
        """
        import torch.nn as nn

        criterion = nn.BCEWithLogitsLoss()

        def loss_fn(\(parameter), masks):
            return criterion(\(parameter), masks)
        """
    }

    /// torch_bce_logits_on_probs.py, run in torch 2.15: BCEWithLogitsLoss fed sigmoid outputs costs 0.6598 at the
    /// hard perfect prediction (0.6931 at uniform): the target is out of reach. The same code on `logits` is healthy.
    @Test("LD305 when a prediction named a probability goes into a logits API; not when it is named logits")
    func probabilityNamedPrediction() throws {
        let named = try #require(Self.findings(Self.criterion(named: "probs"), "LD305").first)
        #expect(named.severity == .warning)
        #expect(named.message.hasPrefix("the prediction `probs` is named a probability"))
        #expect(Self.findings(Self.criterion(named: "y_prob"), "LD305").count == 1)
        #expect(Self.findings(Self.criterion(named: "logits"), "LD305").isEmpty)
        #expect(Self.findings(Self.criterion(named: "problem"), "LD305").isEmpty)
    }

    static func flatOnFullMask(_ delta: String) -> String {
        """
        import torch

        def loss(pred, target):
            mse = ((pred - target) ** 2).mean()
            return (1 - target.mean()) * mse - \(delta) * target.mean() * (pred * (1 - pred)).mean()
        """
    }

    /// torch_monai_softmax_one_channel.py: a loss flat at 0.9999904 on the empty mask scores 0.9999885 on random
    /// (float32 sums). Here the full mask is flat but for -delta * p(1 - p), uniform beating perfect by delta / 4,
    /// against a range of about 1: delta 0.002 (0.05 %) is rounding-sized, delta 0.008 (0.2 %) a real minimum.
    @Test("LD302 ignores differences below 0.1 % of the loss's whole range: 0.05 % passes, 0.2 % triggers")
    func minimumOffTargetTolerance() {
        #expect(Self.findings(Self.flatOnFullMask("0.002"), "LD302").isEmpty)
        let flagged = Self.findings(Self.flatOnFullMask("0.008"), "LD302")
        #expect(flagged.map(\.severity) == [.error])
        #expect(flagged.first?.probe == "full/uniform")
    }

    /// tf_categorical_focal.py, run in TensorFlow 2.21 on a 2x16x16x3 softmax batch: `reduce_sum(..., axis=-1)` of
    /// `-y * log p` sums the classes. On a one-channel probe only foreground pixels count (LD303); the 3-class
    /// one-hot probe is consistent, so it is chosen. A per-pixel Dice (a ratio after the sum) and a mean over the
    /// channel (Keras' binary_crossentropy) stay binary.
    @Test("target inference: a class sum without a ratio after it tries multi-class; a ratio or a mean stays binary")
    func categoricalClassSum() {
        let focal = checkSource("""
            import tensorflow as tf

            def categorical_focal_loss(y_true, y_pred):
                p = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
                return tf.reduce_mean(tf.reduce_sum(0.25 * tf.pow(1.0 - p, 2.0) * -y_true * tf.math.log(p), axis=-1))
            """)
        #expect(focal.reports.first?.evidence.target == .oneHot(classes: 3))
        #expect(!focal.allFindings.contains { $0.severity != .info })
        let perPixelDice = checkSource("""
            import tensorflow as tf

            def pixel_dice(y_true, y_pred):
                i = tf.reduce_sum(y_true * y_pred, axis=-1)
                return tf.reduce_mean(1 - (2 * i + 1) / (tf.reduce_sum(y_true + y_pred, axis=-1) + 1))
            """)
        #expect(perPixelDice.reports.first?.evidence.target == .binary)
        let meanOverChannel = checkSource("""
            import tensorflow as tf

            def bce(y_true, y_pred):
                p = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
                return tf.reduce_mean(tf.reduce_mean(-(y_true * tf.math.log(p) + (1 - y_true) * tf.math.log(1 - p)), axis=-1))
            """)
        #expect(meanOverChannel.reports.first?.evidence.target == .binary)
    }
}
