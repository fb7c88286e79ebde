/// Something noticed in the source while evaluating it (by the interpreter, the discovery of losses, or an executed
/// run), as a typed fact at a place. It carries no wording: the rule it concerns turns it into a finding in its
/// own file (`Rules/Source/`), so a message is made in one place.
struct SourceFact: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// A call of an API removed or renamed in current frameworks (LD601).
        case removedAPI(RemovedAPI)
        /// A cast to the integer type `to` of a floating-point tensor or one computed from the prediction (LD602).
        case integerCast(to: DType)
        /// A Python scalar asked of a tensor of more than one element (`float(t)`, `t.item()`; `api` as written),
        /// which the frameworks refuse (LD603).
        case scalarOfTensor(api: String, shape: [Int])
        /// `.numpy()` of a tensor that requires grad, which PyTorch refuses (LD603).
        case numpyOfGradientTensor
        /// A tensor of `shape` used as a Python bool (LD604); `eager` when the file computes with PyTorch or NumPy
        /// and imports no TensorFlow or Keras, whose graph mode refuses any tensor.
        case tensorAsBool(shape: [Int], eager: Bool)
        /// Tracing the loss as `model.fit` does raised `OperatorNotAllowedInGraphError` in an executed run
        /// (LD604): TensorFlow's message, up to its first sentence's end.
        case tensorAsBoolWhenTraced(raised: String)
        /// A parameter with a default (or an attribute stored in `__init__`) that the loss never reads (LD605):
        /// its name and the function that accepts it (`dice_loss`, `DiceLoss.__init__`).
        case unusedParameter(name: String, owner: String)
        /// A logits API (`*_with_logits`, `from_logits=True`) given the output of `activation` (LD305).
        case logitsAPIGivenActivation(String)
    }

    /// An API removed or renamed in current frameworks, as the interpreter's tables record it.
    enum RemovedAPI: Hashable, Sendable {
        /// Keras 3's `keras.backend` lacks `name`; `keras.ops.replacement` stands for it.
        case kerasBackend(name: String, replacement: String)
        /// `name` is gone: `replacement` is its current form, and `history` says when it went.
        case renamed(name: String, replacement: String, history: String)
        /// The keyword `old=` of `function` is `new=` in current frameworks; `raised` is what they raise for it.
        case keyword(function: String, old: String, new: String, raised: String)
    }

    let kind: Kind
    let site: SourceSite

    /// The rule that reports it.
    var rule: RuleDescription {
        switch kind {
        case .removedAPI: .removedAPI
        case .integerCast: .integerCast
        case .scalarOfTensor, .numpyOfGradientTensor: .pythonError
        case .tensorAsBool, .tensorAsBoolWhenTraced: .tensorTruthiness
        case .unusedParameter: .unusedParameter
        case .logitsAPIGivenActivation: .inputDomain
        }
    }

    /// The code of the rule that reports it.
    var code: String { rule.code }
}
