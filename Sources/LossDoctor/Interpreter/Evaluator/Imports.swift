#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Loads the user's own modules that a file imports (siblings and relative imports), each once.
/// Framework imports never touch the disk: they bind namespaces the builtin tables resolve.
final class ModuleLoader {
    /// The directory of the file being checked.
    let directory: String
    let limits: InterpreterLimits
    /// Where imported files may be read from: a symlinked module must not import the runner's files.
    let boundary: ReadBoundary
    /// Modules by absolute path: one object per file, however it was imported (a class set up by a package's
    /// `__init__` must be the class its submodules see).
    private var loaded: [String: Scope] = [:]
    private var loading: Set<String> = []
    /// Errors of modules run only because a package was initialised, reported when an import names them.
    private var pendingErrors: [String: [InterpreterError]] = [:]
    /// Files that could not be read or parsed, and why.
    private var unreadable: [String: InterpreterError] = [:]
    /// Errors met while loading imported files, reported with the importing file's findings.
    private(set) var errors: [InterpreterError] = []
    /// The objects of the checked file's and its siblings' module code, emptied when the loader goes.
    let arena = Arena()
    /// What the imported modules' code charged to `Interpreter.modules`: their globals live as long as the
    /// loader, so the charge does too (one budget for a file and everything it imports).
    private var modulesCharge = 0

    init(directory: String, limits: InterpreterLimits, boundary: ReadBoundary? = nil) {
        self.directory = directory
        self.limits = limits
        self.boundary = boundary ?? .around(directory)
    }

    deinit {
        Interpreter.modules.refund(modulesCharge)
        let arena = self.arena
        LargeStack.run { arena.clear() }
    }

    /// The file a module path names relative to the importing file (`utils`, `pkg.losses`, `.helpers`), if it
    /// exists; `from` is the importing module's directory (nil: the checked file's).
    func file(for module: String, level: Int, from importer: String? = nil) -> String? {
        var base = importer ?? directory
        for _ in 0..<Swift.max(level - 1, 0) { base = Self.parent(base) }
        // A relative import stays inside the repository of the checked file (inside its package, or its
        // directory, outside a repository): `from ......home.runner import secrets` in a pull request must
        // not read the runner's files.
        guard isAllowed(base.isEmpty ? "/" : base) else { return nil }
        return existingModule(module, under: base)
    }

    /// The file of an absolute import of the checked file's own package (`from mypkg.losses._functional
    /// import x` inside `mypkg/losses/`): the package is found by walking up the `__init__.py` chain; a
    /// module of any other package is never read.
    func packageFile(for module: String, from importer: String? = nil) -> String? {
        guard let first = module.split(separator: ".").first else { return nil }
        var current = Paths.absolute(importer ?? directory)
        for _ in 0..<64 {
            guard FileManager.default.fileExists(atPath: current + "/__init__.py") else { return nil }
            let parent = Self.parent(current)
            if current.split(separator: "/").last == first {
                guard isAllowed(parent.isEmpty ? "/" : parent) else { return nil }
                return existingModule(module, under: parent)
            }
            if parent.isEmpty || parent == current { return nil }
            current = parent
        }
        return nil
    }

    /// `dir/a/b.py` or `dir/a/b/__init__.py` for the module `a.b`.
    private func existingModule(_ module: String, under base: String) -> String? {
        let relative = module.split(separator: ".").joined(separator: "/")
        let stem = relative.isEmpty ? base : base + "/" + relative
        for candidate in [stem + ".py", stem + "/__init__.py"] where !relative.isEmpty || candidate.hasSuffix("__init__.py") {
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether imports may read under `path`: inside the repository of the checked file or, outside a
    /// repository, inside the package it belongs to (the parent of the top `__init__.py` directory) or
    /// its own directory.
    private func isAllowed(_ path: String) -> Bool {
        let start = Paths.absolute(directory)
        var root = Paths.repositoryRoot(from: start) ?? start
        if Paths.repositoryRoot(from: start) == nil {
            var top = start
            while FileManager.default.fileExists(atPath: top + "/__init__.py"), top != "/" { top = Paths.absolute(Self.parent(top).isEmpty ? "/" : Self.parent(top)) }
            root = top
        }
        return Paths.relative(Paths.absolute(path), to: root) != nil
    }

    /// The directory above `path` ("" above a relative single component).
    static func parent(_ path: String) -> String {
        String(path.reversed().drop { $0 != "/" }.dropFirst().reversed())
    }

    /// `load(path)`, after refusing (located at the import) a module that resolves outside the boundary.
    func load(_ path: String, importedAt site: SourceSite) throws -> Scope? {
        if case .failure(let refusal) = boundary.resolve(path), refusal != .missing {
            throw InterpreterError(.pythonError, "ImportError: \(String(path.dropFirst(directory.count + 1))) \(refusal)", at: site,
                                   hint: "Import modules inside the repository; LossDoctor does not follow links out of it.")
        }
        if let scope = load(path) { return scope }
        // A file that cannot be read or parsed fails the import statement with its own located error.
        if let failure = unreadable[Paths.absolute(path)] { throw failure }
        return nil
    }

    /// Whether the module at `path` is still running its code (an import cycle reached it).
    func isLoading(_ path: String) -> Bool { loading.contains(Paths.absolute(path)) }

    /// Runs the `__init__.py` of every package above `directory`, outermost first, as Python does before it
    /// runs a module of the package: a package's `__init__` may set up what its modules need
    /// (segmentation-models' injects the Keras backend into its `KerasObject`). An `__init__` is library
    /// plumbing, not the loss: what it cannot run here stops it quietly, keeping what it did so far, and its
    /// errors are reported only if the checked code imports it by name.
    func initializePackages(above directory: String, excluding file: String? = nil) {
        var chain: [String] = []
        var current = Paths.absolute(directory)
        while chain.count < 64, current != "/", isAllowed(current), FileManager.default.fileExists(atPath: current + "/__init__.py") {
            chain.append(current + "/__init__.py")
            current = Paths.parent(current)
        }
        for initializer in chain.reversed() where initializer != file.map({ Paths.absolute($0) }) {
            let reported = errors.count
            _ = load(initializer)
            pendingErrors[initializer, default: []] += errors[reported...]
            errors.removeSubrange(reported...)
        }
    }

    /// A package's submodule reached as an attribute (`monai.data.MetaTensor` after `import monai`): Python binds a
    /// submodule on its package once it is imported, and packages such as MONAI import all of theirs at start-up
    /// (`load_submodules`, which walks the package folder). Loaded the way a package's `__init__` is: quietly, what it
    /// cannot run stops it, keeping what it defined; nil when the package has no such file.
    func submodule(_ name: String, of package: Scope) -> Scope? {
        guard let path = loaded.first(where: { $0.value === package })?.key, path.hasSuffix("/__init__.py"),
              let file = existingModule(name, under: Self.parent(path)) else { return nil }
        let reported = errors.count
        let scope = load(file)
        pendingErrors[Paths.absolute(file), default: []] += errors[reported...]
        errors.removeSubrange(reported...)
        return scope
    }

    /// Evaluates an imported file once and returns its globals (nil when it cannot be read or parsed).
    /// A module is registered before its code runs, as in Python's `sys.modules`: an import cycle gets the
    /// partly run module, with the names defined so far (MONAI's and pytorch-toolbelt's packages rely on it).
    func load(_ path: String) -> Scope? {
        let path = Paths.absolute(path)
        if let scope = loaded[path] {  // loaded, or still running: a cycle sees the partial module
            errors += pendingErrors.removeValue(forKey: path) ?? []
            return scope
        }
        initializePackages(above: Paths.parent(path), excluding: path)
        if let scope = loaded[path] { return scope }  // a package's `__init__` imported it
        loading.insert(path)
        defer { loading.remove(path) }
        let top = Paths.absolute(directory)
        // Shown the way the checked file is (`pkg/losses.py` imports `pkg/base/functional.py`), so that a
        // finding in it is a clickable place and its source line can be quoted.
        let display = path.hasPrefix(top + "/")
            ? (directory.isEmpty || directory == "." ? "" : directory + "/") + String(path.dropFirst(top.count + 1))
            : Paths.display(path)
        // The same limits as the checked file: size, UTF-8, nesting.
        let parsed = SourceChecker.readSource(path: path, shown: display, limits: limits, boundary: boundary)
            .flatMap { SourceChecker.parse($0, file: display, limits: limits) }
        switch parsed {
        case .success(let module):
            let interpreter = Interpreter(file: display, limits: limits, loader: self)
            // Its own imports resolve beside it: `from .fs import x` in `pkg/utils/__init__.py` is `pkg/utils/fs.py`.
            interpreter.moduleDirectory = Self.parent(path)
            loaded[path] = interpreter.globals
            // Once a module passed a limit, the next ones pass it too: one finding says so.
            let limitReported = errors.contains { $0.kind == .limit }
            errors += interpreter.run(module).filter { !limitReported || $0.kind != .limit }
            modulesCharge += interpreter.handOverModuleCharge()
            return interpreter.globals
        case .failure(let error):
            unreadable[path] = error
            return nil
        }
    }
}

extension Interpreter {
    /// `import a.b.c [as d]`.
    func importModule(_ alias: ImportAlias, into scope: Scope) throws {
        if let path = loader?.file(for: alias.name, level: 0, from: moduleDirectory) ?? loader?.packageFile(for: alias.name, from: moduleDirectory), let module = try loader?.load(path, importedAt: site(alias.location)) {
            // `import pkg.sub` binds `pkg` in Python; bound to the submodule here, `pkg.sub.x` would not resolve,
            // so only the aliased or single-component forms bind the module itself.
            if alias.asName != nil || !alias.name.contains(".") {
                scope[alias.asName ?? alias.name] = .userModule(module)
                return
            }
        }
        if let asName = alias.asName {
            scope[asName] = .module(alias.name)
        } else {
            let root = String(alias.name.split(separator: ".").first ?? "")
            scope[root] = .module(root)
        }
    }

    /// `from module import a as b, c` (with `level` leading dots for relative imports).
    func importNames(from module: String?, _ names: [ImportAlias], level: Int, at location: SourcePosition, into scope: Scope) throws {
        let path = module ?? ""
        let packageFile = level == 0 ? loader?.packageFile(for: path, from: moduleDirectory) : nil
        if level > 0 || loader?.file(for: path, level: 0, from: moduleDirectory) != nil || packageFile != nil {
            guard let loader else {
                throw InterpreterError(.pythonError, "ModuleNotFoundError: cannot import \(String(repeating: ".", count: level))\(path) beside \(self.file)", at: site(location))
            }
            // `from . import sibling` needs no `__init__.py`: each name may be a module of its own.
            let file = packageFile ?? loader.file(for: path, level: level, from: moduleDirectory)
            let userModule = try file.flatMap { try loader.load($0, importedAt: site(location)) }
            if userModule == nil, !(module == nil && level > 0) {
                throw InterpreterError(.pythonError, "ModuleNotFoundError: cannot import \(String(repeating: ".", count: level))\(path) beside \(self.file)", at: site(location))
            }
            for alias in names {
                if alias.name == "*" {
                    for (key, value) in userModule?.variables ?? [:] where !key.hasPrefix("_") { scope[key] = value }
                } else if let value = userModule?[alias.name] {
                    scope[alias.asName ?? alias.name] = value
                } else if let sub = try (packageFile != nil ? loader.packageFile(for: path + "." + alias.name, from: moduleDirectory)
                                     : loader.file(for: path.isEmpty ? alias.name : path + "." + alias.name, level: level, from: moduleDirectory)).flatMap({ try loader.load($0, importedAt: site(alias.location)) }) {
                    scope[alias.asName ?? alias.name] = .userModule(sub)
                } else {
                    let partly = file.map { loader.isLoading($0) } == true ? "partially initialized module " : ""
                    let cycle = partly.isEmpty ? "" : " (most likely due to a circular import)"
                    throw InterpreterError(.pythonError, "ImportError: cannot import name '\(alias.name)' from \(partly)'\(String(repeating: ".", count: level))\(path)'\(cycle)", at: site(alias.location))
                }
            }
            return
        }
        for alias in names where alias.name != "*" {
            scope[alias.asName ?? alias.name] = BuiltinRegistry.resolve(path + "." + alias.name)
        }
    }
}
