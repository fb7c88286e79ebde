import Testing
@testable import LossDoctor

/// Renders a token kind compactly: names/numbers as written, operators by spelling, markers in caps.
func render(_ kind: TokenKind) -> String {
    switch kind {
    case .name(let name): return name
    case .integer(let text, _): return text
    case .float(let value): return "\(value)"
    case .string(let literal): return literal.value.debugDescription
    case .keyword(let keyword): return keyword.rawValue
    case .op(let op): return op.rawValue
    case .newline: return "NEWLINE"
    case .indent: return "INDENT"
    case .dedent: return "DEDENT"
    case .endOfFile: return "EOF"
    }
}

/// The token stream of `source`, space-separated.
func tokenString(_ source: String) throws -> String {
    try Lexer.tokenize(source).tokens.map { render($0.kind) }.joined(separator: " ")
}

/// The S-expression of a single expression.
func sexp(_ source: String) throws -> String {
    try parseExpression(source).sExpression
}

/// The S-expression of a whole module.
func moduleSexp(_ source: String) throws -> String {
    try parseModule(source).sExpression
}

/// The syntax error `source` produces, or nil if it parses.
func syntaxError(_ source: String, maximumNestingDepth: Int = 200) -> SyntaxError? {
    do {
        _ = try parseModule(source, maximumNestingDepth: maximumNestingDepth)
        return nil
    } catch {
        return error
    }
}

/// Swift Testing also declares `SourcePosition`, so tests spell ours with the module name.
typealias Location = SourcePosition

/// Shorthand for a location.
func loc(_ line: Int, _ column: Int) -> Location {
    Location(line: line, column: column)
}

/// The 1-based column of the first occurrence of `needle` in `line`, counted in Unicode scalars.
func column(of needle: String, in line: String) -> Int? {
    let haystack = Array(line.unicodeScalars)
    let pattern = Array(needle.unicodeScalars)
    guard haystack.count >= pattern.count else { return nil }
    for start in 0...(haystack.count - pattern.count) where Array(haystack[start..<start + pattern.count]) == pattern {
        return start + 1
    }
    return nil
}

enum Fixtures {
    static let kerasDice = """
        from keras import backend as K

        def dice_coef(y_true, y_pred):
            y_true_f = K.flatten(float(y_true))
            y_pred_f = K.flatten(float(y_pred))
            intersection = K.sum(y_true_f * y_pred_f)
            return (2 * intersection + 1) // (K.sum(y_true_f) + K.sum(y_pred_f) + 1)

        def dice_coef_loss(y_true, y_pred):
            return 1-dice_coef(y_true, y_pred)

        """

    static let torchDice = """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class DiceLoss(nn.Module):
            \"\"\"Soft Dice.\"\"\"
            def __init__(self, smooth: float = 1.0, *, reduction="mean"):
                super().__init__()
                self.smooth = smooth

            def forward(self, inputs, targets):
                inputs = torch.sigmoid(inputs).view(-1)
                targets = targets.view(-1)
                intersection = (inputs * targets).sum()
                dice = (2.*intersection + self.smooth)/(inputs.sum() + targets.sum() + self.smooth)
                return 1 - dice

        """

    static let numpyFocal = """
        import numpy as np  # noqa: F401

        @np.vectorize
        def focal(y_true, y_pred, gamma=2.0, alpha=.25, eps=1e-7, **kwargs):
            y_pred = np.clip(y_pred, eps, 1. - eps)
            pt = np.where(y_true == 1, y_pred, 1 - y_pred)
            w = alpha * (1 - pt) ** gamma
            if w.ndim > 1 and not kwargs.get("flat", False):
                w = w[:, 0]
            elif w.ndim == 0:
                w = w[..., None]
            else:
                pass
            losses = [-wi * np.log(p) for wi, p in zip(w, pt) if p > 0]
            return sum(l for l in losses) / max(len(losses), 1)
        """
}
