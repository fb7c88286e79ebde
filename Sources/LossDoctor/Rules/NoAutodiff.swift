/// A loss computed with NumPy alone is an evaluation metric: NumPy has no autodiff, so nothing is ever
/// differentiated or trained through it. Its values are judged like any loss's (a floor division still makes
/// the score 0 for every imperfect prediction), but findings whose only claim is about the gradient or about
/// training would be advice no one can act on: `float(np.mean(...))` does not "leave the graph", and "training
/// makes no progress" means nothing for a metric.
enum NoAutodiff {
    /// Rules that speak only of the gradient: no-gradient, zero-gradient, dead-term, vanishing-gradient,
    /// graph-break. The training rules (LD5xx) need a simulated run, which a NumPy loss does not get.
    static let gradientOnlyCodes = Set([RuleDescription.noGradient, .zeroGradient, .deadTerm, .vanishingGradient, .graphBreak].map(\.code))

    /// Import roots of frameworks (and libraries built on them) that differentiate: any of them makes the file
    /// a training loss even when it also uses NumPy.
    static let autodiffRoots = ["torch", "tensorflow", "tf", "keras", "jax", "monai", "segmentation_models_pytorch",
                                "kornia", "pytorch_toolbelt", "F", "K", "ops"]

    /// Whether the file the interpreter evaluates computes with NumPy and imports no framework with autodiff.
    static func applies(to interpreter: Interpreter) -> Bool {
        var numpy = false
        for value in interpreter.globals.variables.values {
            let name: String
            switch value {
            case .module(let path): name = BuiltinRegistry.canonical(path)
            case .builtin(let builtin): name = builtin.name
            default: continue
            }
            let root = name.split(separator: ".").first.map(String.init) ?? name
            if autodiffRoots.contains(root) { return false }
            if root == "np" { numpy = true }
        }
        return numpy
    }

    /// The note the report's inference line carries for such a loss.
    static let inference = "NumPy only: evaluated, never differentiated or trained (gradient and training rules do not apply)"
}
