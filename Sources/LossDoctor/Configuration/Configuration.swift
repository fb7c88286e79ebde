#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `[tool.loss-doctor]` table of a `pyproject.toml`: what a project sets once instead of on every
/// command line. Flags override it. Keys are kebab-case, as in ruff:
///
/// ```toml
/// [tool.loss-doctor]
/// select = ["LD1", "LD2", "LD301"]      # codes, names or code prefixes; default: every rule
/// ignore = ["LD405"]
/// fail-on = "warning"                   # error | warning | info | never
/// layout = "NCHW"                       # default layout of the losses of files
/// input = "logits"                      # default input domain: probs | logits | log-probs
/// target = "index"                      # how losses take their target: binary | one-hot | index | label-map
/// classes = 4                           # classes of multi-class probes, background included
/// ignore-index = 255                    # the label of ignored pixels in class-index targets
/// volume = true                         # the losses take 3-D volumes (N, C, D, H, W / N, D, H, W, C)
/// simulate = false                      # skip the simulated training run (LD501-LD505)
///
/// [tool.loss-doctor.per-file-ignores]
/// "experiments/**" = ["LD4"]            # globs relative to this file's directory
/// ```
struct Configuration: Sendable {
    /// The file it was read from.
    var file: String
    /// The directory `per-file-ignores` patterns are relative to: the file's.
    var directory: String
    var select: [RuleSelector]?
    var ignore: [RuleSelector] = []
    /// `error`, `warning`, `info` or `never`.
    var failOn: String?
    var perFileIgnores: [PerFileIgnore] = []
    var layout: Layout?
    var input: InputDomain?
    var simulate: Bool?
    var target: TargetKind?
    var classes: Int?
    var ignoreIndex: Int?
    var volume: Bool?

    /// Rules ignored in the files a glob matches.
    struct PerFileIgnore: Sendable {
        let pattern: String
        let rules: [RuleSelector]
    }

    /// The labels `ignore-index` and `--ignore-index` accept: PyTorch's default -100 up to 16-bit label maps.
    static let ignoreIndexRange = -100...65535

    /// The keys `[tool.loss-doctor]` accepts.
    static let keys = ["select", "ignore", "fail-on", "per-file-ignores", "layout", "input", "simulate", "target", "classes", "ignore-index", "volume"]

    init(file: String, directory: String) {
        self.file = file
        self.directory = directory
    }

    /// The configuration's select/ignore as one layer of a `RuleSelection`.
    var layer: RuleSelection.Layer { RuleSelection.Layer(select: select, ignore: ignore) }

    /// The rules ignored for `path` (absolute) by `per-file-ignores`.
    func ignored(forFile path: String) -> [RuleSelector] {
        guard let relative = Paths.relative(Paths.normalized(path), to: Paths.normalized(directory)) else { return [] }
        return perFileIgnores.filter { Glob($0.pattern).matches(relative) }.flatMap(\.rules)
    }

    /// Largest configuration file read: a `pyproject.toml` is a few kilobytes; a pull request's 2 GB one
    /// must not be.
    static let maximumBytes = 1 << 20

    /// Reads the `[tool.loss-doctor]` table of a TOML file; nil when it has none. The file must resolve
    /// inside `boundary` to a regular file (a `pyproject.toml` symlinked to `/proc/self/environ` is refused
    /// unread) of at most `maximumBytes`.
    /// - Throws: `ConfigurationError` when the file cannot be read, is not valid TOML, or the table holds an
    ///   unknown key or a bad value.
    static func load(file: String, boundary: ReadBoundary? = nil) throws(ConfigurationError) -> Configuration? {
        let shown = Paths.display(file)
        let data: [UInt8]
        switch (boundary ?? .around(file)).read(file, limit: maximumBytes) {
        case .success(let bytes): data = bytes
        case .failure(.refused(let refusal)):
            throw ConfigurationError(file: shown, line: nil, message: "the configuration file \(refusal)")
        case .failure(.unreadable(let reason)):
            throw ConfigurationError(file: shown, line: nil, message: "cannot read the configuration file: \(reason)")
        case .failure(.tooLarge):
            throw ConfigurationError(file: shown, line: nil, message: "the configuration file is larger than \(maximumBytes) bytes")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ConfigurationError(file: shown, line: nil, message: "the configuration file is not valid UTF-8")
        }
        return try parse(text, file: shown, directory: Paths.parent(Paths.absolute(file)))
    }

    /// Parses TOML text; nil when it has no `[tool.loss-doctor]` table.
    static func parse(_ text: String, file: String, directory: String) throws(ConfigurationError) -> Configuration? {
        let root: [String: TOMLValue]
        do {
            root = try TOMLReader.parse(text)
        } catch {
            throw ConfigurationError(file: file, line: error.line, message: "invalid TOML: " + error.message)
        }
        guard let tool = root["tool"], let table = tool.table?["loss-doctor"] else { return nil }
        guard let members = table.table else {
            throw ConfigurationError(file: file, line: table.line, message: "[tool.loss-doctor] must be a table, not \(table.typeName)")
        }
        var configuration = Configuration(file: file, directory: directory)
        func fail(_ value: TOMLValue, _ message: String, suggestion: String? = nil) -> ConfigurationError {
            ConfigurationError(file: file, line: value.line, message: message + (suggestion.map { ". Did you mean '\($0)'?" } ?? ""))
        }
        func string(_ key: String, _ value: TOMLValue, _ choices: [String]) throws(ConfigurationError) -> String {
            guard case .string(let text) = value.kind else {
                throw fail(value, "'\(key)' must be a string (one of: \(choices.joined(separator: ", "))), not \(value.typeName)")
            }
            guard choices.contains(text) else {
                throw fail(value, "invalid value '\(text)' for '\(key)' (use one of: \(choices.joined(separator: ", ")))",
                           suggestion: Suggestion.closest(to: text, among: choices))
            }
            return text
        }
        func rules(_ key: String, _ value: TOMLValue) throws(ConfigurationError) -> [RuleSelector] {
            guard case .array(let items) = value.kind else {
                throw fail(value, "'\(key)' must be an array of rule codes or names, not \(value.typeName)")
            }
            var selectors: [RuleSelector] = []
            for item in items {
                guard case .string(let text) = item.kind else {
                    throw fail(item, "'\(key)' must hold strings (rule codes or names), not \(item.typeName)")
                }
                guard let selector = RuleSelector(text) else {
                    throw fail(item, "unknown rule '\(text)' in '\(key)'", suggestion: RuleSelector.suggestion(for: text))
                }
                selectors.append(selector)
            }
            return selectors
        }
        // Sorted by line so the first mistake in the file is the one reported.
        for (key, value) in members.sorted(by: { ($0.value.line, $0.key) < ($1.value.line, $1.key) }) {
            switch key {
            case "select": configuration.select = try rules(key, value)
            case "ignore": configuration.ignore = try rules(key, value)
            case "fail-on": configuration.failOn = try string(key, value, ["error", "warning", "info", "never"])
            case "layout": configuration.layout = Layout(rawValue: try string(key, value, Layout.allCases.map(\.rawValue)))
            case "input": configuration.input = InputDomain(rawValue: try string(key, value, InputDomain.allCases.map(\.rawValue)))
            case "target": configuration.target = TargetKind(rawValue: try string(key, value, TargetKind.allCases.map(\.rawValue)))
            case "classes":
                guard case .integer(let count) = value.kind, (2...256).contains(count) else {
                    throw fail(value, "'classes' must be a whole number from 2 to 256, not \(value.typeName)")
                }
                configuration.classes = count
            case "ignore-index":
                let range = "a whole number from \(ignoreIndexRange.lowerBound) to \(ignoreIndexRange.upperBound)"
                guard case .integer(let label) = value.kind else { throw fail(value, "'ignore-index' must be \(range), not \(value.typeName)") }
                guard ignoreIndexRange.contains(label) else { throw fail(value, "'ignore-index' must be \(range), not \(label)") }
                configuration.ignoreIndex = label
            case "volume":
                guard case .bool(let flag) = value.kind else { throw fail(value, "'volume' must be true or false, not \(value.typeName)") }
                configuration.volume = flag
            case "simulate":
                guard case .bool(let flag) = value.kind else { throw fail(value, "'simulate' must be true or false, not \(value.typeName)") }
                configuration.simulate = flag
            case "per-file-ignores":
                guard let patterns = value.table else {
                    throw fail(value, "'per-file-ignores' must be a table of glob = [rules], not \(value.typeName)")
                }
                for (pattern, list) in patterns.sorted(by: { ($0.value.line, $0.key) < ($1.value.line, $1.key) }) {
                    configuration.perFileIgnores.append(PerFileIgnore(pattern: pattern, rules: try rules("per-file-ignores", list)))
                }
            default:
                throw fail(value, "unknown key '\(key)' in [tool.loss-doctor] (known keys: \(keys.joined(separator: ", ")))",
                           suggestion: Suggestion.closest(to: key, among: keys))
            }
        }
        if let label = configuration.ignoreIndex, let value = members["ignore-index"] {
            if let target = configuration.target, target != .index {
                throw fail(value, "'ignore-index' is a label of class-index targets, but 'target' is '\(target.rawValue)'")
            }
            if let classes = configuration.classes, (0..<classes).contains(label) {
                throw fail(value, "'ignore-index' \(label) is one of the \(classes) class labels (0 to \(classes - 1)): it cannot also mean ignored")
            }
        }
        return configuration
    }

    /// The configuration that applies to a file: the nearest `pyproject.toml` with a `[tool.loss-doctor]`
    /// table in the file's directory or above it. Files with no such table are passed over, as ruff does.
    /// - Throws: `ConfigurationError` for the first malformed `pyproject.toml` met on the way.
    static func discover(forFile path: String) throws(ConfigurationError) -> Configuration? {
        try Finder().configuration(forFile: path)
    }

    /// Discovery with a cache by directory, for runs over many files. Inside a repository it stops at the
    /// repository's root, and a `pyproject.toml` must resolve inside `boundary`; above a checked directory
    /// outside any repository, one must at least not be a link out of its own directory.
    final class Finder {
        private var cache: [String: Configuration?] = [:]
        let boundary: ReadBoundary?

        init(boundary: ReadBoundary? = nil) {
            self.boundary = boundary
        }

        func configuration(forFile path: String) throws(ConfigurationError) -> Configuration? {
            let directory = Paths.parent(Paths.absolute(path))
            return try configuration(inOrAbove: directory, stop: Paths.repositoryRoot(from: directory))
        }

        func configuration(inOrAbove directory: String, stop: String? = nil) throws(ConfigurationError) -> Configuration? {
            if let known = cache[directory] { return known }
            let candidate = (directory == "/" ? "" : directory) + "/pyproject.toml"
            var found: Configuration? = nil
            if Paths.isFile(candidate) {
                let inside = boundary.map { boundary in ReadBoundary.realPath(directory).map(boundary.contains) ?? false } ?? false
                found = try Configuration.load(file: candidate, boundary: inside ? boundary : ReadBoundary(roots: [directory]))
            }
            if found == nil && directory != "/" && directory != stop {
                found = try configuration(inOrAbove: Paths.parent(directory), stop: stop)
            }
            cache[directory] = found
            return found
        }
    }
}

/// A configuration that cannot be used: where, and why. The command exits 2.
struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The file, as shown to the user.
    let file: String
    /// The 1-based line of the mistake, when it has one.
    let line: Int?
    /// What is wrong, lowercase, no trailing period.
    let message: String

    /// `pyproject.toml:12: unknown key 'selct' in [tool.loss-doctor]`.
    var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}
