/// Decorators are evaluated as Python does (bottom-up, each called with what is below it), except the
/// framework ones, whose effect is modelled: `@torch.no_grad()` cuts the gradient of everything the
/// function computes, compilation and registration decorators leave it as it is, an unknown framework
/// decorator is LD902.
extension Interpreter {
    /// Framework decorators that return the function unchanged as far as its values and gradients go.
    static let transparentDecorators: Set<String> = [
        "tf.function", "tf.autograph.experimental.do_not_convert", "torch.jit.script", "torch.jit.ignore", "torch.jit.unused",
        "torch.jit.export", "torch.compile", "torch.compiler.disable", "torch.enable_grad", "torch.autograd.enable_grad",
        "keras.saving.register_keras_serializable", "keras.utils.register_keras_serializable",
        "keras.utils.generic_utils.register_keras_serializable", "torch.cuda.amp.custom_fwd", "torch.cuda.amp.custom_bwd",
        "torch.amp.custom_fwd", "torch.amp.custom_bwd", "functools.lru_cache", "functools.cache", "abc.abstractmethod",
        "typing.overload", "typing.final", "dataclasses.dataclass", "torch.jit.script_if_tracing",
        // Losses use autocast as a decorator to turn it off (`enabled=False`): the computation stays float32.
        "torch.autocast", "torch.amp.autocast", "torch.cuda.amp.autocast", "torch.cpu.amp.autocast",
    ]

    /// Applies a definition's decorators to the function or class it defines, innermost (last) first.
    func decorate(_ value: Value, with decorators: [Expr], in scope: Scope) throws -> Value {
        var result = value
        for decorator in decorators.reversed() { result = try apply(decorator, to: result, in: scope) }
        return result
    }

    private func apply(_ decorator: Expr, to value: Value, in scope: Scope) throws -> Value {
        var calleeExpression = decorator
        if case .call(let callee, _) = decorator.kind { calleeExpression = callee }
        let shown = "@" + (Self.dottedName(calleeExpression) ?? "decorator") + (calleeExpression == decorator ? "" : "(...)")
        let here = site(decorator.location, text: shown)
        // Python's own method decorators, unless the file rebinds their names.
        if case .name(let name) = decorator.kind, scope.lookup(name) == nil, case .function(let function) = value {
            switch name {
            case "staticmethod": function.binding = .staticMethod; return value
            case "classmethod": function.binding = .classMethod; return value
            case "property": function.binding = .property; return value
            default: break
            }
        }
        let callee = try evaluate(calleeExpression, in: scope)
        let name: String? = switch callee {
        case .module(let path): BuiltinRegistry.canonical(path)
        case .builtin(let b): b.name
        default: nil
        }
        if let name, !Self.isRegistry(calleeExpression) {
            if Self.gradientFreeContexts.contains(name) {
                guard case .function(let function) = value else { return value }
                function.disablesGradient = true
                return value
            }
            if Self.transparentDecorators.contains(name) { return value }
            if case .module = callee {
                throw InterpreterError(.unsupportedCall, "the decorator `\(shown)` is not one LossDoctor knows", at: here,
                                       hint: "LossDoctor follows the file's own decorators and models torch.no_grad, tf.function, torch.jit and Keras registration; check the undecorated function with --function")
            }
        }
        // A registry (`@LOSSES.register_module()`, `@register_loss("dice")`) of a package LossDoctor does not
        // read: registries return what they register, by convention of every one in use (mmcv, timm, detectron2).
        if case .module = callee, Self.isRegistry(calleeExpression) { return value }
        // The file's own decorator, or a built-in one that makes a decorator (`functools.wraps(fn)`).
        let made = calleeExpression == decorator ? callee : try evaluate(decorator, in: scope)
        return try call(made, [value], [], site: here)
    }

    /// `@X.register_module()`, `@register_loss`: a registration decorator, by its name.
    static func isRegistry(_ callee: Expr) -> Bool {
        guard let last = dottedName(callee)?.split(separator: ".").last?.lowercased() else { return false }
        return last.hasPrefix("register") || last == "registry"
    }
}
