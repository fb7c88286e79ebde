/// The healthy references as idiomatic source a user can paste as the fix: `loss-doctor show NAME`.
/// Each is checked by a test: interpreted, it gives the built-in's values.
enum ReferenceSource {
    /// The frameworks a reference can be shown in.
    enum Framework: String, CaseIterable, Sendable {
        case keras, torch
    }

    /// The source of a built-in in a framework, or nil when there is none.
    static func source(_ name: String, _ framework: Framework) -> String? {
        guard let body = (framework == .keras ? keras : torch)[name] else { return nil }
        let function = name.replacingOccurrences("-", with: "_") + "_loss"
        let header = framework == .keras
            ? "import keras\nfrom keras import ops\n\n\ndef \(function)(y_true, y_pred):\n"
            : "import torch\nimport torch.nn.functional as F\n\n\ndef \(function)(pred, target):\n"
        let summary = ReferenceLosses.named(name).map { "    \"\"\"\($0.summary.prefix(1).uppercased() + $0.summary.dropFirst()).\"\"\"\n" } ?? ""
        return header + summary + body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n") + "\n"
    }

    /// Names that have a source form.
    static var names: [String] { ReferenceLosses.all.map(\.name).filter { keras[$0] != nil } }

    static let keras: [String: String] = [
        "bce": """
            p = ops.clip(y_pred, 1e-7, 1 - 1e-7)
            return ops.mean(-(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p)))
            """,
        "bce-logits": """
            return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=True))
            """,
        "soft-dice": """
            axes = [1, 2, 3]
            intersection = ops.sum(y_true * y_pred, axis=axes)
            total = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes)
            return ops.mean(1 - (2 * intersection + 1) / (total + 1))
            """,
        "iou": """
            axes = [1, 2, 3]
            intersection = ops.sum(y_true * y_pred, axis=axes)
            union = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes) - intersection
            return ops.mean(1 - (intersection + 1) / (union + 1))
            """,
        "tversky": """
            axes = [1, 2, 3]
            tp = ops.sum(y_true * y_pred, axis=axes)
            fp = ops.sum(y_pred, axis=axes) - tp
            fn = ops.sum(y_true, axis=axes) - tp
            return ops.mean(1 - (tp + 1) / (tp + 0.3 * fp + 0.7 * fn + 1))
            """,
        "focal-tversky": """
            axes = [1, 2, 3]
            tp = ops.sum(y_true * y_pred, axis=axes)
            fp = ops.sum(y_pred, axis=axes) - tp
            fn = ops.sum(y_true, axis=axes) - tp
            tversky = (tp + 1) / (tp + 0.3 * fp + 0.7 * fn + 1)
            return ops.mean(ops.power(1 - tversky, 4 / 3))
            """,
        "focal": """
            p = ops.clip(y_pred, 1e-7, 1 - 1e-7)
            bce = -(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p))
            p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
            alpha = y_true * 0.25 + (1 - y_true) * 0.75
            return ops.mean(alpha * ops.power(1 - p_t, 2.0) * bce)
            """,
        "log-cosh-dice": """
            axes = [1, 2, 3]
            intersection = ops.sum(y_true * y_pred, axis=axes)
            total = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes)
            d = 1 - (2 * intersection + 1) / (total + 1)
            return ops.mean(ops.log((ops.exp(d) + ops.exp(-d)) / 2))
            """,
        "dice-bce": """
            p = ops.clip(y_pred, 1e-7, 1 - 1e-7)
            bce = ops.mean(-(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p)))
            axes = [1, 2, 3]
            intersection = ops.sum(y_true * y_pred, axis=axes)
            total = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes)
            return bce + ops.mean(1 - (2 * intersection + 1) / (total + 1))
            """,
    ]

    static let torch: [String: String] = [
        "bce": """
            p = pred.clamp(1e-7, 1 - 1e-7)
            return (-(target * p.log() + (1 - target) * (1 - p).log())).mean()
            """,
        "bce-logits": """
            return F.binary_cross_entropy_with_logits(pred, target)
            """,
        "soft-dice": """
            dims = (1, 2, 3)
            intersection = (pred * target).sum(dim=dims)
            total = pred.sum(dim=dims) + target.sum(dim=dims)
            return (1 - (2 * intersection + 1) / (total + 1)).mean()
            """,
        "iou": """
            dims = (1, 2, 3)
            intersection = (pred * target).sum(dim=dims)
            union = pred.sum(dim=dims) + target.sum(dim=dims) - intersection
            return (1 - (intersection + 1) / (union + 1)).mean()
            """,
        "tversky": """
            dims = (1, 2, 3)
            tp = (pred * target).sum(dim=dims)
            fp = pred.sum(dim=dims) - tp
            fn = target.sum(dim=dims) - tp
            return (1 - (tp + 1) / (tp + 0.3 * fp + 0.7 * fn + 1)).mean()
            """,
        "focal-tversky": """
            dims = (1, 2, 3)
            tp = (pred * target).sum(dim=dims)
            fp = pred.sum(dim=dims) - tp
            fn = target.sum(dim=dims) - tp
            tversky = (tp + 1) / (tp + 0.3 * fp + 0.7 * fn + 1)
            return ((1 - tversky) ** (4 / 3)).mean()
            """,
        "focal": """
            p = pred.clamp(1e-7, 1 - 1e-7)
            bce = -(target * p.log() + (1 - target) * (1 - p).log())
            p_t = target * pred + (1 - target) * (1 - pred)
            alpha = target * 0.25 + (1 - target) * 0.75
            return (alpha * (1 - p_t) ** 2 * bce).mean()
            """,
        "log-cosh-dice": """
            dims = (1, 2, 3)
            intersection = (pred * target).sum(dim=dims)
            total = pred.sum(dim=dims) + target.sum(dim=dims)
            d = 1 - (2 * intersection + 1) / (total + 1)
            return torch.log((torch.exp(d) + torch.exp(-d)) / 2).mean()
            """,
        "dice-bce": """
            p = pred.clamp(1e-7, 1 - 1e-7)
            bce = (-(target * p.log() + (1 - target) * (1 - p).log())).mean()
            dims = (1, 2, 3)
            intersection = (pred * target).sum(dim=dims)
            total = pred.sum(dim=dims) + target.sum(dim=dims)
            return bce + (1 - (2 * intersection + 1) / (total + 1)).mean()
            """,
    ]
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        map { $0 == target ? replacement : String($0) }.joined()
    }
}
