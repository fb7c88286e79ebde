import Foundation
import Testing
@testable import LossDoctor

/// The files that ship LossDoctor to Python users and CI (action.yml, .pre-commit-hooks.yaml, the two
/// pyproject.toml files), checked for the structure GitHub, pre-commit and pip rely on, without network.
/// The wheel itself is tested by Scripts/test-wheel.sh, run by .ci/run.
@Suite("Distribution files")
struct DistributionFilesTests {
    static let repository = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/")

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: repository + "/" + path, encoding: .utf8)
    }

    /// A YAML block: the lines under the first line of `lines` that are indented deeper than it.
    static func block(_ lines: [Substring], at index: Int) -> [Substring] {
        let depth = indent(lines[index])
        return Array(lines[(index + 1)...].prefix { $0.trimmingWhitespace().isEmpty || indent($0) > depth })
    }

    static func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }

    /// The steps of action.yml's `runs.steps`, each as its lines.
    static func steps(_ lines: [Substring]) throws -> [[Substring]] {
        let start = try #require(lines.firstIndex { $0 == "  steps:" })
        var steps: [[Substring]] = []
        for line in block(lines, at: start) {
            if line.hasPrefix("    - ") { steps.append([line]) } else { steps[steps.count - 1].append(line) }
        }
        return steps
    }

    static func value(_ key: String, in lines: [Substring]) -> String? {
        for line in lines {
            let text = line.trimmingWhitespace().drop(while: { $0 == "-" || $0 == " " })
            if text.hasPrefix(key + ": ") { return String(text.dropFirst(key.count + 2)) }
        }
        return nil
    }

    @Test("action.yml is a composite action: set up Python, pip install, check to SARIF, upload, then fail")
    func actionStructure() throws {
        let text = try Self.read("action.yml")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let topLevel = Set(lines.filter { !$0.isEmpty && !$0.hasPrefix(" ") && !$0.hasPrefix("#") }
            .map { String($0.prefix { $0 != ":" }) })
        #expect(topLevel == ["name", "description", "author", "branding", "inputs", "outputs", "runs"])
        #expect(lines.contains("  using: composite"))

        let steps = try Self.steps(lines)
        #expect(steps.count == 5)
        for step in steps {
            #expect(Self.value("name", in: step) != nil, "every step is named: \(step)")
            if Self.value("run", in: step) != nil {
                // Composite steps must say their shell; inputs reach scripts only through env.
                #expect(Self.value("shell", in: step) == "bash")
                let script = step.drop(while: { !$0.contains("run: |") }).joined(separator: "\n")
                #expect(!script.contains("${{"), "an expression in a script is an injection: \(script)")
            } else {
                let uses = try #require(Self.value("uses", in: step))
                #expect(uses.hasSuffix("@v5") || uses.hasSuffix("@v3"), "actions pinned to a major version: \(uses)")
            }
        }
        guard steps.count == 5 else { return }
        #expect(Self.value("uses", in: steps[0]) == "actions/setup-python@v5")
        #expect(steps[1].contains { $0.contains("python -m pip install") && $0.contains("\"$PACKAGE\"") })
        #expect(steps[1].contains { $0.contains("$GITHUB_ACTION_PATH/python/pyproject.toml") })
        #expect(Self.value("id", in: steps[2]) == "check")
        let check = try #require(steps[2].first { $0.trimmingWhitespace().hasPrefix("loss-doctor check") })
        // The check's options exist, with the variables standing for a path, no options and a file name.
        let words = check.trimmingWhitespace().split(separator: " ").compactMap { word -> String? in
            switch word {
            case "$PATHS": "src"
            case "$ARGS": nil
            case "\"$SARIF_FILE\"": "x.sarif"
            default: String(word)
            }
        }
        let parsed = try ArgumentParser.parse(Array(words.dropFirst(2)), CheckCommand.spec)
        #expect(parsed.positionals == ["src"] && parsed.value("format") == "sarif" && parsed.value("output") == "x.sarif")
        #expect(check.contains("--format sarif -o \"$SARIF_FILE\""))
        #expect(steps[2].contains { $0.contains("exit-code=$status") && $0.contains("$GITHUB_OUTPUT") })
        #expect(Self.value("uses", in: steps[3]) == "github/codeql-action/upload-sarif@v3")
        #expect(Self.value("if", in: steps[3])?.contains("success() || failure()") == true, "upload even when the check found something")
        #expect(Self.value("category", in: steps[3]) == "loss-doctor")
        #expect(Self.value("if", in: steps[4]) == "${{ steps.check.outputs.exit-code != '0' }}")
        #expect(steps[4].contains { $0.trimmingWhitespace() == "exit \"$STATUS\"" })

        // Every input used is declared, and every declared input is used.
        let inputsAt = try #require(lines.firstIndex { $0 == "inputs:" })
        let declared = Set(Self.block(lines, at: inputsAt).filter { Self.indent($0) == 2 }.map { String($0.trimmingWhitespace().dropLast()) })
        let used = Set(text.matches(of: /inputs\.([a-z-]+)/).map { String($0.output.1) })
        #expect(declared == used)
        #expect(declared.isSuperset(of: ["paths", "args", "version", "package", "upload-sarif", "sarif-file"]))
    }

    @Test("one version everywhere: the binary, the Python package, and what the pre-commit hook installs")
    func versions() throws {
        let package = try Self.read("python/pyproject.toml")
        #expect(package.contains("\nversion = \"\(LossCheck.version)\"\n"))
        #expect(package.contains("\nloss-doctor = \"loss_doctor.__main__:main\"\n"), "the console script")
        #expect(try Self.read("python/loss_doctor/__init__.py").contains("\n__version__ = \"\(LossCheck.version)\"\n"))
        let hookEnvironment = try Self.read("pyproject.toml")
        #expect(hookEnvironment.contains("dependencies = [\"loss-doctor==\(LossCheck.version)\"]"))
        #expect(hookEnvironment.contains("packages = []"), "installs nothing of its own from this repository")
    }

    /// The 1-based lines of `source` that import Foundation other than as the `#else` of
    /// `#if canImport(FoundationEssentials)` / `import FoundationEssentials`.
    static func unguardedFoundationImports(_ source: String) -> [Int] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop(while: \.isWhitespace) }
        return lines.indices.filter { index in
            guard !lines[index].hasPrefix("//"), lines[index].hasSuffix("import Foundation") else { return false }
            return !(index >= 3 && lines[index - 3] == "#if canImport(FoundationEssentials)"
                     && lines[index - 2] == "import FoundationEssentials" && lines[index - 1] == "#else")
        }.map { $0 + 1 }
    }

    /// One `import Foundation` links all of Foundation, ICU data included, into the static binary the wheel
    /// ships (62 MB instead of 18 MB); FoundationEssentials has what LossDoctor needs on Linux.
    @Test("the binary's sources import FoundationEssentials, Foundation only where that is missing (Darwin)")
    func noFoundationOnLinux() throws {
        var found: [String] = []
        for target in ["LossDoctor", "loss-doctor"] {
            let directory = Self.repository + "/Sources/" + target
            for path in try FileManager.default.subpathsOfDirectory(atPath: directory).filter({ $0.hasSuffix(".swift") }).sorted() {
                let source = try String(contentsOfFile: directory + "/" + path, encoding: .utf8)
                found += Self.unguardedFoundationImports(source).map { "Sources/\(target)/\(path):\($0)" }
            }
        }
        #expect(found.isEmpty, "import FoundationEssentials under #if canImport(FoundationEssentials) instead:\n\(found.joined(separator: "\n"))")
    }

    @Test("the import scan finds a plain or @preconcurrency import Foundation, not the guarded one or a comment")
    func foundationImportScan() {
        let guarded = "#if canImport(FoundationEssentials)\nimport FoundationEssentials\n#else\nimport Foundation\n#endif\n"
        #expect(Self.unguardedFoundationImports(guarded).isEmpty)
        #expect(Self.unguardedFoundationImports("import Glibc\nimport Foundation\n") == [2])
        #expect(Self.unguardedFoundationImports("@preconcurrency import Foundation\n") == [1])
        #expect(Self.unguardedFoundationImports("#if os(Linux)\nimport FoundationEssentials\n#else\nimport Foundation\n#endif") == [4])
        #expect(Self.unguardedFoundationImports("// not: import Foundation\nimport FoundationEssentials\n").isEmpty)
    }

    @Test("two pre-commit hooks: loss-doctor installs the wheel, loss-doctor-swift builds from source")
    func preCommitHooks() throws {
        let lines = try Self.read(".pre-commit-hooks.yaml").split(separator: "\n")
        let hooks = lines.filter { !$0.hasPrefix("#") }.reduce(into: [[Substring]]()) { hooks, line in
            if line.hasPrefix("- ") { hooks.append([line]) } else if !hooks.isEmpty { hooks[hooks.count - 1].append(line) }
        }
        #expect(hooks.map { Self.value("id", in: $0) } == ["loss-doctor", "loss-doctor-swift"])
        #expect(hooks.map { Self.value("language", in: $0) } == ["python", "swift"])
        for hook in hooks {
            #expect(Self.value("entry", in: hook) == "loss-doctor check --skip-files-without-loss")
            #expect(Self.value("files", in: hook) == #"\.py$"#)
            #expect(Self.value("require_serial", in: hook) == "true", "one process checks every file, on every core")
        }
    }
}
