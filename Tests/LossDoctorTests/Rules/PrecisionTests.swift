import Foundation
import Testing
@testable import LossDoctor

/// Precision rules of thumb (issue 11): framework facts follow the import path, a target-side finding needs
/// the prediction's gradient path, Python-level rules know the framework. Each claim was run in
/// /work/venv-tf (TensorFlow 2.21.0, Keras 3.15.1) or /work/venv-torch (torch 2.15.0), 2026-12-04.
@Suite("Rule precision")
struct PrecisionTests {
    static func dice(importing line: String) -> String {
        """
        \(line)

        def dice_loss(y_true, y_pred):
            y_true_f = K.flatten(y_true)
            y_pred_f = K.flatten(y_pred)
            i = K.sum(y_true_f * y_pred_f)
            return 1 - (2 * i + 1) / (K.sum(y_true_f) + K.sum(y_pred_f) + 1)
        """
    }

    /// TensorFlow 2.21: `from tensorflow.keras import backend as K` resolves to the legacy backend, whose
    /// `K.flatten(tf.ones((2, 3)))` has shape (6,); Keras 3.15's `keras.backend` has no `flatten`.
    @Test("LD601 follows the import path: tensorflow.keras keeps K.flatten, Keras 3 lost it")
    func kerasBackendImportPath() {
        #expect(!checkSource(Self.dice(importing: "from tensorflow.keras import backend as K")).codes.contains("LD601"))
        #expect(!checkSource(Self.dice(importing: "import tensorflow.keras.backend as K")).codes.contains("LD601"))
        let keras3 = checkSource(Self.dice(importing: "from keras import backend as K"))
        // Keras 3.15.1's `dir(keras.backend)` has neither `flatten` nor `sum`: two K.flatten and three K.sum calls, one
        // finding per API at its first use, the others in a note.
        let removed = keras3.allFindings.filter { $0.code == "LD601" }
        #expect(removed.map(\.message) == ["Keras 3's `keras.backend` has no `flatten`: use `keras.ops.reshape(x, [-1])`",
                                           "Keras 3's `keras.backend` has no `sum`: use `keras.ops.sum`"])
        #expect(removed.map { $0.site?.line } == [4, 6])
        #expect(removed[0].notes.last == "also used at 5:16")
        #expect(removed[1].notes.last?.hasPrefix("also used at 7:") == true)
    }

    @Test("LD602 only on the prediction's gradient path: target.long() for one_hot is the PyTorch idiom")
    func integerCastOnTarget() {
        let target = """
            import torch
            import torch.nn.functional as F

            def dice(logits, target):
                probs = F.softmax(logits, dim=1)
                one_hot = F.one_hot(target.long(), logits.shape[1]).permute(0, 3, 1, 2).float()
                inter = torch.sum(probs * one_hot, dim=(0, 2, 3))
                return 1 - ((2 * inter + 1) / (torch.sum(probs + one_hot, dim=(0, 2, 3)) + 1)).mean()
            """
        #expect(!checkSource(target).codes.contains("LD602"))
        let prediction = """
            import torch

            def dice(pred, target):
                p = pred.long()
                i = (p * target).sum()
                return 1 - (2 * i + 1) / (p.sum() + target.sum() + 1)
            """
        #expect(checkSource(prediction).allFindings.contains { $0.code == "LD602" && $0.severity == .error })
    }

    /// torch 2.15 eager: `if torch.tensor([0., 1.]).any():` works; `bool(torch.tensor([0., 1.]))` raises
    /// `Boolean value of Tensor with more than one value is ambiguous`. Keras 3.15 `model.fit` raises
    /// `OperatorNotAllowedInGraphError` for `if tf.reduce_sum(y_true) == 0:`.
    @Test("LD604 knows the framework: info for eager PyTorch one-element truthiness, error for TensorFlow")
    func truthiness() {
        let torch = """
            import torch

            def dice(pred, target):
                if target.sum() == 0:
                    return (pred * pred).mean()
                i = (pred * target).sum()
                return 1 - (2 * i + 1) / (pred.sum() + target.sum() + 1)
            """
        let torchFinding = checkSource(torch).allFindings.first { $0.code == "LD604" }
        #expect(torchFinding?.severity == .info)
        let tf = torch.replacingOccurrences(of: "import torch", with: "import tensorflow as tf")
        #expect(checkSource(tf).allFindings.first { $0.code == "LD604" }?.severity == .error)
        let ambiguous = torch.replacingOccurrences(of: "if target.sum() == 0:", with: "if target:")
        #expect(checkSource(ambiguous).allFindings.first { $0.code == "LD604" }?.severity == .error)
    }

    @Test("LD307 is about per-pixel reductions; a mean over the one class of per-class statistics is not flagged")
    func degenerateReductionPerClass() {
        let perClass = """
            def dice(y_true, y_pred):
                i = (y_true * y_pred).sum(axis=(1, 2))
                s = (y_true + y_pred).sum(axis=(1, 2))
                return 1 - ((2 * i + 1) / (s + 1)).mean(axis=-1).mean()
            """
        #expect(!checkSource(perClass).codes.contains("LD307"))
        let perPixel = BuiltinReports.report("dice-channel-axis").findings.first { $0.code == "LD307" }
        #expect(perPixel?.message.contains("a per-pixel loss") == true)
    }

    @Test("LD106 is info on an overlap loss of sigmoid(logits), a warning for MSE on sigmoid(logits)")
    func vanishingGradientSeverity() {
        let dice = """
            import torch

            def dice(logits, target):
                p = torch.sigmoid(logits)
                i = (p * target).sum(dim=(1, 2, 3))
                return (1 - (2 * i + 1) / (p.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3)) + 1)).mean()
            """
        let finding = checkSource(dice).allFindings.first { $0.code == "LD106" }
        #expect(finding?.severity == .info)
        #expect(finding?.notes.contains { $0.contains("adding a cross-entropy on the logits") } == true)
        #expect(BuiltinReports.report("mse-logits").findings.first { $0.code == "LD106" }?.severity == .warning)
    }

    @Test("LD103 needs every soft probe: a loss that raises where its gradient would flow is not called untrainable")
    func zeroGradientNeedsEverySoftProbe() {
        // The shape of MONAI's Hausdorff loss without SciPy: it returns (with a zero gradient) only on uniform masks.
        func loss(raising: Bool) -> String {
            """
            import torch

            def distance_loss(y_pred, y_true):
                mixed = bool(y_true.max() > 0.5) and bool(y_true.min() < 0.5)
                if mixed and \(raising ? "True" : "False"):
                    raise RuntimeError("scipy.ndimage required")
                return (torch.round(y_pred) - y_true).abs().mean()
            """
        }
        let raising = checkSource(loss(raising: true)).codes
        #expect(raising.contains("LD603") && !raising.contains("LD103"), "\(raising)")
        #expect(checkSource(loss(raising: false)).codes.contains("LD103"))
    }

    @Test("a hinge loss takes raw scores: its name makes the prediction logits, so no prediction in [0, 1] is a trivial solution")
    func hingeTakesLogits() {
        let source = """
            import torch

            def lovasz_hinge_loss(pred, target):
                signs = 2 * target - 1
                errors = torch.relu(1 - pred * signs)
                return errors.mean()
            """
        #expect(PythonSubsetTests.inferences(source)["lovasz_hinge_loss"]?.contains("input logits (inferred: `lovasz_hinge_loss` is a hinge loss") == true)
    }
}
