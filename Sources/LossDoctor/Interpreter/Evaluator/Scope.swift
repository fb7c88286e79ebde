/// A namespace of variables: a module's globals or a function call's locals, chained to the enclosing one.
final class Scope {
    var variables: [String: Value] = [:]
    let parent: Scope?
    /// Names declared `global` (bound in the module's scope) or `nonlocal` (in the nearest enclosing
    /// function's scope) here.
    var globalNames: Set<String> = []
    var nonlocalNames: Set<String> = []
    /// The file this scope's code lives in.
    let file: String

    init(parent: Scope?, file: String) {
        self.parent = parent
        self.file = file
        Interpreter.arena?.adopt(self)
    }

    /// Finds a name here or in an enclosing scope.
    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let s = scope {
            if let value = s.variables[name] { return value }
            scope = s.parent
        }
        return nil
    }

    subscript(name: String) -> Value? {
        get { variables[name] }
        set { variables[name] = newValue }
    }

    /// The scope an assignment to `name` binds in: this one, the module's for a `global` name, the
    /// nearest enclosing function's that has it for a `nonlocal` one.
    func binding(_ name: String) -> Scope {
        if globalNames.contains(name) {
            var root = self
            while let parent = root.parent { root = parent }
            return root
        }
        if nonlocalNames.contains(name) {
            var scope = parent
            while let s = scope, s.parent != nil {
                if s.variables[name] != nil { return s }
                scope = s.parent
            }
        }
        return self
    }
}
