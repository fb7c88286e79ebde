import Foundation
import Testing
@testable import LossDoctor

/// What GitHub code scanning requires of an uploaded SARIF file, checked structurally (no dependency on a
/// schema validator): SARIF 2.1.0's required properties, plus GitHub's own rules (a file location on every
/// result, repository-relative URIs, 1-based regions, the result limits).
enum SARIFValidator {
    /// The problems found; empty when the document is acceptable. With `requireFileLocations`, every result
    /// must have a physical location with an artifact URI (GitHub rejects the whole upload otherwise).
    static func problems(_ text: String, requireFileLocations: Bool = true) -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) { if !condition { problems.append(message()) } }
        if text.utf8.count > 10_000_000 { problems.append("over GitHub's size limit") }
        guard let root = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return ["not a JSON object"]
        }
        check(root["version"] as? String == "2.1.0", "version must be \"2.1.0\"")
        check((root["$schema"] as? String)?.hasPrefix("https://") == true, "$schema must be an https URI")
        guard let runs = root["runs"] as? [[String: Any]], !runs.isEmpty else { return problems + ["runs must be a non-empty array"] }
        for (r, run) in runs.enumerated() {
            guard let driver = (run["tool"] as? [String: Any])?["driver"] as? [String: Any] else {
                problems.append("runs[\(r)].tool.driver is required"); continue
            }
            check(!(driver["name"] as? String ?? "").isEmpty, "runs[\(r)].tool.driver.name is required")
            check(driver["version"] is String || driver["semanticVersion"] is String, "runs[\(r)].tool.driver needs a version")
            if let uri = driver["informationUri"] { check((uri as? String)?.contains("://") == true, "informationUri must be an absolute URI") }
            let rules = driver["rules"] as? [[String: Any]] ?? []
            var ids: [String] = []
            for (i, rule) in rules.enumerated() {
                let at = "runs[\(r)].tool.driver.rules[\(i)]"
                let id = rule["id"] as? String ?? ""
                check(!id.isEmpty, "\(at).id is required")
                ids.append(id)
                check(!(rule["name"] as? String ?? "").isEmpty, "\(at).name")
                for key in ["shortDescription", "fullDescription", "help"] {
                    check(!((rule[key] as? [String: Any])?["text"] as? String ?? "").isEmpty, "\(at).\(key).text is required")
                }
                if let markdown = (rule["help"] as? [String: Any])?["markdown"] { check(markdown is String, "\(at).help.markdown must be a string") }
                let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
                check(["error", "warning", "note", "none"].contains(level ?? ""), "\(at).defaultConfiguration.level")
            }
            check(Set(ids).count == ids.count, "rule ids must be unique")
            guard let results = run["results"] as? [[String: Any]] else { problems.append("runs[\(r)].results must be an array"); continue }
            check(results.count <= 25_000, "over GitHub's 25,000 results per run")
            for (i, result) in results.enumerated() {
                let at = "runs[\(r)].results[\(i)]"
                let ruleId = result["ruleId"] as? String ?? ""
                check(ids.contains(ruleId), "\(at).ruleId '\(ruleId)' is not among the driver's rules")
                if let index = result["ruleIndex"] as? Int { check(ids.indices.contains(index) && ids[index] == ruleId, "\(at).ruleIndex") }
                check(["error", "warning", "note", "none"].contains(result["level"] as? String ?? ""), "\(at).level")
                check(!((result["message"] as? [String: Any])?["text"] as? String ?? "").isEmpty, "\(at).message.text is required")
                check(result["partialFingerprints"] == nil, "\(at): partialFingerprints must match GitHub's algorithm; omit them")
                let locations = result["locations"] as? [[String: Any]] ?? []
                check(locations.count <= 10, "\(at): at most 10 locations")
                if requireFileLocations { check(!locations.isEmpty, "\(at): GitHub needs at least one location") }
                for (l, location) in locations.enumerated() {
                    guard let physical = location["physicalLocation"] as? [String: Any] else {
                        if requireFileLocations { problems.append("\(at).locations[\(l)]: GitHub needs a physicalLocation") }
                        continue
                    }
                    let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
                    check(!uri.isEmpty, "\(at): artifactLocation.uri is required")
                    check(!uri.hasPrefix("/") && !uri.contains("://") && !uri.hasPrefix("./"), "\(at): uri '\(uri)' must be repository-relative")
                    check(!uri.contains(" ") && !uri.contains("\\"), "\(at): uri '\(uri)' must be a URI (encoded, forward slashes)")
                    guard let region = physical["region"] as? [String: Any] else { continue }
                    let start = region["startLine"] as? Int ?? 0, column = region["startColumn"] as? Int ?? 1
                    check(start >= 1 && column >= 1, "\(at): region lines and columns are 1-based")
                    if let end = region["endLine"] as? Int { check(end >= start, "\(at): endLine before startLine") }
                    if let endColumn = region["endColumn"] as? Int {
                        check(endColumn >= 1 && ((region["endLine"] as? Int ?? start) > start || endColumn >= column), "\(at): endColumn")
                    }
                }
            }
        }
        return problems
    }
}

@Suite("SARIF for GitHub code scanning")
struct SARIFTests {
    static let seed = fixturesDirectory + "/losses/seed_keras_dice.py"

    /// The document with the driver's `rules` array replaced by `[...]`.
    static func elidingRules(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasSuffix("\"rules\": [") }) else { return text }
        let indent = String(lines[start].prefix { $0 == " " })
        guard let end = lines[start...].firstIndex(where: { $0 == indent + "]" || $0 == indent + "]," }) else { return text }
        lines.replaceSubrange(start...end, with: [indent + "\"rules\": [...]" + (lines[end].hasSuffix(",") ? "," : "")])
        return lines.joined(separator: "\n")
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("the seed's SARIF has every field GitHub requires, with the LD101 result at its line and columns")
    func seedFile() throws {
        let result = CLI.run(["check", Self.seed, "--no-simulate", "--format", "sarif"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.isEmpty)
        #expect(SARIFValidator.problems(result.stdout) == [])
        // The rules' help texts are pinned by docs/rules.md (the same pages): the golden elides them.
        try Golden.check(Self.elidingRules(result.stdout), "check-seed-sarif.txt")

        let run = try #require((try Self.json(result.stdout)["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "loss-doctor")
        #expect(driver["version"] as? String == LossCheck.version)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == RuleRegistry.all.map(\.description.code))
        let ld101 = try #require(rules.first)
        #expect(ld101["name"] as? String == "floor-division")
        #expect((ld101["help"] as? [String: Any])?["markdown"] as? String == RulePage.page(FloorDivisionRule().description, markdown: true))
        #expect((ld101["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
        #expect(rules.first { $0["id"] as? String == "LD405" }.flatMap { ($0["defaultConfiguration"] as? [String: Any])?["level"] as? String } == "note")

        let results = try #require(run["results"] as? [[String: Any]])
        let floor = try #require(results.first { $0["ruleId"] as? String == "LD101" })
        #expect(floor["level"] as? String == "error")
        let location = try #require((floor["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "Tests/Fixtures/losses/seed_keras_dice.py")
        let region = try #require(location["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 9 && region["startColumn"] as? Int == 35)
        #expect(region["endLine"] as? Int == 9 && region["endColumn"] as? Int == 37, "`//` spans columns 35-36; endColumn is exclusive")
        #expect((results.map { $0["level"] as? String }).contains("note"), "info findings are notes")
    }

    @Test("files that cannot be analysed, or raise, still give located results")
    func failingFiles() {
        let files = ["syntax_error.py", "name_error.py", "unsupported_scipy.py"].map { fixturesDirectory + "/losses/" + $0 }
        let result = CLI.run(["check"] + files + ["--no-simulate", "--format", "sarif"])
        #expect(result.exitCode == 1)
        #expect(SARIFValidator.problems(result.stdout) == [])
        #expect(result.stdout.contains("\"LD603\""))
    }

    @Test("built-in losses have no file: valid SARIF whose results name the loss by a logical location only")
    func builtins() throws {
        let result = CLI.run("check --loss dice-floor --format sarif --no-simulate")
        #expect(SARIFValidator.problems(result.stdout, requireFileLocations: false) == [])
        #expect(!SARIFValidator.problems(result.stdout).isEmpty, "GitHub would refuse it: documented in SARIFRenderer and docs/ci.md")
        let run = try #require((try Self.json(result.stdout)["runs"] as? [[String: Any]])?.first)
        let first = try #require((run["results"] as? [[String: Any]])?.first)
        let logical = (first["locations"] as? [[String: Any]])?.first?["logicalLocations"] as? [[String: Any]]
        #expect(logical?.first?["name"] as? String == "dice-floor")
    }

    @Test("URIs: repository-relative and percent-encoded")
    func uris() {
        #expect(RepositoryPath.relative("/repo/src/losses.py", root: "/repo") == "src/losses.py")
        #expect(RepositoryPath.relative("./src/losses.py", root: nil) == "src/losses.py")
        #expect(RepositoryPath.relative("/elsewhere/a.py", root: "/repo") == "/elsewhere/a.py")
        #expect(SARIFRenderer.uri("my losses/dice #2.py") == "my%20losses/dice%20%232.py")
        #expect(SARIFRenderer.uri("données/perte.py") == "donn%C3%A9es/perte.py")
    }

    @Test("the validator catches what GitHub rejects")
    func validatorCatches() {
        let bad = """
            {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [{"tool": {"driver": {"name": "x", "version": "1",
             "rules": [{"id": "A", "name": "a", "shortDescription": {"text": "s"}, "fullDescription": {"text": "f"}, "help": {"text": "h"},
                        "defaultConfiguration": {"level": "error"}}]}},
             "results": [{"ruleId": "B", "level": "fatal", "message": {"text": ""},
                          "locations": [{"physicalLocation": {"artifactLocation": {"uri": "/abs/x.py"}, "region": {"startLine": 0}}}]},
                         {"ruleId": "A", "level": "error", "message": {"text": "m"}}]}]}
            """
        let problems = SARIFValidator.problems(bad)
        #expect(problems.count == 6, "\(problems)")
    }
}

@Suite("GitHub Actions annotations")
struct GitHubAnnotationTests {
    @Test("escaping: % CR LF in messages; also : and , in properties")
    func escaping() {
        #expect(GitHubRenderer.escapeData("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b")
        #expect(GitHubRenderer.escapeProperty("dir:a,b/50%.py") == "dir%3Aa%2Cb/50%25.py")
        #expect(GitHubRenderer.escapeData("%0A") == "%250A", "an escape-looking text is not taken as one")
    }

    @Test("one workflow command per finding, at its file, line and columns, with the title and fix")
    func commands() throws {
        let result = CLI.run(["check", SARIFTests.seed, "--no-simulate", "--format", "github"])
        #expect(result.exitCode == 1)
        try Golden.check(result.stdout, "check-seed-github.txt")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") || $0.hasPrefix("::notice ") })
        #expect(lines.first?.hasPrefix("::error file=Tests/Fixtures/losses/seed_keras_dice.py,line=9,col=35,endLine=9,endColumn=37,title=LD101 floor-division::floor division") == true)
        #expect(lines.first?.hasSuffix("%0Afix: Use true division `/`.") == true)
        #expect(lines.contains { $0.hasPrefix("::notice ") }, "info findings are notices")
    }

    @Test("a finding whose file name holds a comma or colon keeps its properties apart")
    func awkwardPath() {
        let finding = Finding(code: "LD101", name: "floor-division", severity: .error, message: "line one\nline two",
                              site: SourceSite(file: "a,b:c.py", line: 3, column: 7, text: "//"), fix: "Use `/`.")
        let checked = CheckedLoss(input: CheckInput(builtin: ReferenceLosses.named("dice-floor")!),
                                  report: Report(loss: "dice", findings: [finding], evidence: CLI.report("dice-floor").evidence))
        #expect(GitHubRenderer().render([checked])
                == "::error file=a%2Cb%3Ac.py,line=3,col=7,endLine=3,endColumn=9,title=LD101 floor-division::line one%0Aline two (loss dice)%0Afix: Use `/`.\n")
    }

    @Test("built-ins: no file property; the loss in the title")
    func builtins() {
        let result = CLI.run("check --loss dice-floor --format github --no-simulate")
        #expect(result.stdout.hasPrefix("::error title=LD101 floor-division (dice-floor)::floor division"))
    }
}

@Suite("Output file and progress")
struct OutputTests {
    @Test("-o writes the report to the file, and nothing to standard output")
    func outputFile() throws {
        let project = try TemporaryProject([:])
        try FileManager.default.createDirectory(atPath: project.root, withIntermediateDirectories: true)
        for format in ["sarif", "json", "github", "text"] {
            let path = project.path("results.\(format)")
            let written = CLI.run(["check", "--loss", "dice-floor", "--no-simulate", "--format", format, "-o", path])
            #expect(written.exitCode == 1)
            #expect(written.stdout.isEmpty && written.stderr.isEmpty)
            let direct = CLI.run(["check", "--loss", "dice-floor", "--no-simulate", "--format", format])
            #expect(try String(contentsOfFile: path, encoding: .utf8) == direct.stdout, "\(format)")
        }
        let unwritable = CLI.run(["check", "--loss", "dice-floor", "--no-simulate", "--output", project.path("missing/dir/x.sarif")])
        #expect(unwritable.exitCode == 2 && unwritable.stderr.hasPrefix("Error: cannot write the report to"))
    }

    @Test("progress goes to standard error on a terminal; machine formats on standard output stay clean")
    func progress() throws {
        final class Streams: @unchecked Sendable { var out = "", err = "" }
        for format in ["sarif", "json", "github"] {
            let streams = Streams()
            let context = CommandContext(environment: [:], stdoutIsTTY: false, stderrIsTTY: true, check: CLI.cachedCheck,
                                         writeOut: { streams.out += $0 }, writeErr: { streams.err += $0 })
            let status = CommandLineTool.run(["check", "--loss", "dice-floor", "--loss", "soft-dice", "--no-simulate", "--format", format], context)
            #expect(status == 1)
            #expect(streams.err.contains("checking 1/2 dice-floor") && streams.err.contains("checking 2/2 soft-dice"))
            #expect(!streams.out.contains("checking 1/2") && !streams.out.contains("\u{1B}"), "\(format)")
            if format != "github" { #expect((try? JSONSerialization.jsonObject(with: Data(streams.out.utf8))) != nil) }
        }
    }
}
