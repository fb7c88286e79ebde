import Testing
@testable import LossDoctor

/// Classification losses of `(N, C)` scores and `(N,)` labels: image batches make them raise, so they are probed
/// with classification rows (`RowProbe`, each pixel a sample); and losses with a third tensor, a mask.
@Suite("Classification rows and mask arguments")
struct ClassificationProbeTests {
    /// A cross-entropy written for classification: the one-hot lands channels-last, so images raise.
    static let oneHotCrossEntropy = """
        import torch
        import torch.nn.functional as F


        def onehot_ce(logits, labels):
            onehot = F.one_hot(labels, logits.size(1)).float()
            return -(onehot * F.log_softmax(logits, dim=1)).sum(dim=1).mean()

        """

    @Test("rows fold: (N, C, H, W) becomes (N·H·W, C) channels-last, class indices (N·H·W,); the gradient reaches every pixel")
    func fold() throws {
        let scalars = (0..<24).map(Float.init)
        let channelsFirst = Tensor.variable(shape: [2, 3, 2, 2], scalars: scalars)
        let rows = try RowProbe.fold(channelsFirst, layout: .channelsFirst)
        #expect(rows.shape == [8, 3])
        // Row 0 is pixel (0, 0) of sample 0: its three channels are 4 apart in NCHW.
        #expect(Array(rows.scalars[0..<3]) == [0, 4, 8])
        let gradient = try (rows * Tensor(shape: [3], scalars: [1, 2, 3])).sum().gradients(withRespectTo: [channelsFirst])[0] ?? []
        let channelWeights: [Float] = (0..<24).map { (index: Int) -> Float in Float(index / 4 % 3 + 1) }
        #expect(gradient == channelWeights)
        let labels = Tensor(shape: [2, 2, 2], scalars: [0, 1, 2, 0, 1, 1, 2, 2], dtype: .int64)
        #expect(try RowProbe.fold(labels, layout: .channelsFirst).shape == [8])
        #expect(try ProbeShape.images.fold(channelsFirst, layout: .channelsFirst).shape == [2, 3, 2, 2])
    }

    @Test("a classification cross-entropy is probed with rows and is clean; its uniform prediction costs ln 3")
    func classificationCrossEntropy() throws {
        let result = checkSource(Self.oneHotCrossEntropy)
        let report = try #require(result.reports.first)
        let inference = report.origin?.inference ?? ""
        #expect(inference.contains("a classification batch, each pixel a sample (N·H·W, C) (inferred: no image probe fits"), "\(inference)")
        #expect(inference.contains("target class-index (3 classes)"), "\(inference)")
        #expect(result.allFindings.filter { $0.severity != .info }.isEmpty, "\(result.codes)")
        #expect(Swift.abs(report.evidence.value(.balanced, .uniform) - 1.0986123) < 1e-4)  // ln 3
        #expect(report.evidence.value(.balanced, .perfect) < 1e-3)
    }

    @Test("a loss that runs on images is never probed with rows")
    func imagesFirst() throws {
        let source = "import torch.nn.functional as F\n\ndef ce(logits, target):\n    return F.cross_entropy(logits, target)\n"
        let report = try #require(checkSource(source).reports.first)
        #expect(!(report.origin?.inference.contains("classification batch") ?? true))
        #expect(report.evidence.shape == .images)
    }

    @Test("a loss failing on every shape keeps its image error")
    func failingEverywhere() throws {
        let source = "import torch\n\ndef broken(pred, target):\n    return torch.mean(pred * target) / undefined_name\n"
        let result = checkSource(source)
        #expect(result.codes.contains("LD603"), "\(result.codes)")
        #expect(result.reports.first?.evidence.shape != .rows)
    }

    @Test("a symmetric cross-entropy logs the clamped target by design: no argument-order warning")
    func symmetricCrossEntropy() throws {
        let source = """
            import torch
            import torch.nn.functional as F


            def symmetric_ce(probs, labels):
                onehot = F.one_hot(labels, probs.shape[1]).float()
                p = probs.clamp(min=1e-7, max=1.0)
                q = onehot.clamp(min=1e-4, max=1.0)
                return -(q * torch.log(p)).sum(dim=1).mean() - (p * torch.log(q)).sum(dim=1).mean()

            """
        let result = checkSource(source)
        #expect(!result.codes.contains("LD306"), "\(result.codes)")
        #expect(result.reports.first?.evidence.shape == .rows)
    }

    @Test("forward(logits, target, mask) is called with an all-true mask and said so")
    func maskArgument() throws {
        let source = """
            import torch
            from torch import nn


            class MaskedCE(nn.Module):
                def forward(self, logits, target, mask):
                    return nn.functional.cross_entropy(logits, target, reduction="none")[mask == 1].mean()


            class MaskedWithoutCall(nn.Module):
                def forward(self, logits, target, valid_mask):
                    return (nn.functional.cross_entropy(logits, target, reduction="none") * valid_mask).mean()

            """
        let result = checkSource(source)
        #expect(result.reports.map(\.loss) == ["MaskedCE", "MaskedWithoutCall"])
        for report in result.reports {
            #expect(report.origin?.inference.contains("all true (assumed: every pixel counts)") == true)
        }
        #expect(result.allFindings.filter { $0.severity != .info }.isEmpty, "\(result.codes)")
        let masked = result.reports[0].evidence, multiplied = result.reports[1].evidence
        #expect(masked.value(.balanced, .uniform) == multiplied.value(.balanced, .uniform))
        // A third parameter that is not a mask is still not a loss's.
        let other = checkSource("import torch\n\ndef f(pred, target, scale):\n    return ((pred - target) ** 2).mean() * scale\n")
        #expect(other.reports.allSatisfy { !($0.origin?.inference.contains("all true") ?? false) })
    }
}
