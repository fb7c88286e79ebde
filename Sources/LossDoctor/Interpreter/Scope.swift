/// A namespace of variables: a module's globals or a function call's locals, chained to the enclosing one.
public final class Scope {
    var variables: [String: Value] = [:]
    let parent: Scope?
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
}
