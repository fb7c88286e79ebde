import Foundation
import Testing
@testable import LossDoctor

/// A directory of files made for one test, removed when the test ends.
final class TemporaryProject {
    let root: String

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appending(path: "lossdoctor-\(UUID().uuidString)").path
        for (path, text) in files {
            let url = URL(filePath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Runs the CLI without the test cache (the cache keys reports by loss name; these files reuse names).
    func run(_ arguments: [String]) -> CLI.Result {
        let result = CommandLineTool.run(arguments, check: CommandContext.defaultCheck)
        return CLI.Result(stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode)
    }

    /// The codes reported for the files, by `--format json`.
    func codes(_ arguments: [String]) throws -> [String] {
        let result = run(["check"] + arguments + ["--no-simulate", "--format", "json"])
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        return result.findingCodes
    }

    /// The Keras Dice with the seed's floor division: LD101, LD105 and LD405.
    static let floorDice = """
        from tensorflow.keras import backend as K

        def dice_loss(y_true, y_pred):
            i = K.sum(y_true * y_pred)
            return 1 - (2 * i + 1) // (K.sum(y_true) + K.sum(y_pred) + 1)

        """
}

extension CLI.Result {
    /// The codes of the findings in a `--format json` report, sorted.
    var findingCodes: [String] {
        let document = (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
        let losses = document?["losses"] as? [[String: Any]] ?? []
        return losses.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }.sorted()
    }
}

@Suite("Configuration: [tool.loss-doctor] in pyproject.toml")
struct ConfigurationTests {
    @Test("without configuration: the floor-division Dice reports LD101, LD105, LD405 and exits 1")
    func baseline() throws {
        let project = try TemporaryProject(["losses.py": TemporaryProject.floorDice])
        #expect(try project.codes([project.path("losses.py")]) == ["LD101", "LD105", "LD405"])
        #expect(project.run(["check", project.path("losses.py"), "--no-simulate"]).exitCode == 1)
    }

    @Test("select, ignore and fail-on apply; found by walking up from the file, past a pyproject.toml without the table")
    func applies() throws {
        let project = try TemporaryProject([
            "pyproject.toml": """
                [project]
                name = "demo"

                [tool.loss-doctor]
                ignore = ["floor-division"]   # by name
                fail-on = "warning"
                """,
            "src/pkg/pyproject.toml": "[tool.ruff]\nline-length = 100\n",
            "src/pkg/losses.py": TemporaryProject.floorDice,
        ])
        let file = project.path("src/pkg/losses.py")
        #expect(try project.codes([file]) == ["LD105", "LD405"])
        #expect(project.run(["check", file, "--no-simulate"]).exitCode == 1, "fail-on warning: LD105 fails")
        // Flags override: --fail-on error passes; --select re-enables what the file ignores.
        #expect(project.run(["check", file, "--no-simulate", "--fail-on", "error"]).exitCode == 0)
        #expect(try project.codes([file, "--select", "LD1"]) == ["LD101", "LD105"])
        #expect(try project.codes([file, "--ignore", "LD4"]) == ["LD105"], "--ignore adds to the configuration's ignores")
    }

    @Test("per-file-ignores by glob, relative to the configuration's directory")
    func perFileIgnores() throws {
        let project = try TemporaryProject([
            "pyproject.toml": """
                [tool.loss-doctor]
                select = ["LD1", "LD4"]

                [tool.loss-doctor.per-file-ignores]
                "experiments/**/*.py" = ["LD1"]
                "legacy_*.py" = ["LD405"]
                """,
            "experiments/a/losses.py": TemporaryProject.floorDice,
            "legacy_dice.py": TemporaryProject.floorDice,
            "losses.py": TemporaryProject.floorDice,
        ])
        #expect(try project.codes([project.path("losses.py")]) == ["LD101", "LD105", "LD405"])
        #expect(try project.codes([project.path("experiments/a/losses.py")]) == ["LD405"])
        #expect(try project.codes([project.path("legacy_dice.py")]) == ["LD101", "LD105"])
        // Inline-table form, and --config naming the file explicitly.
        let inline = try TemporaryProject([
            "settings.toml": "[tool.loss-doctor]\nper-file-ignores = { \"*.py\" = [\"LD1\", \"LD405\"] }\n",
            "losses.py": TemporaryProject.floorDice,
        ])
        #expect(try inline.codes([inline.path("losses.py"), "--config", inline.path("settings.toml")]) == [])
    }

    @Test("input and layout defaults reach the file's losses; flags override them")
    func domainAndLayout() throws {
        let project = try TemporaryProject([
            "pyproject.toml": "[tool.loss-doctor]\ninput = \"logits\"\nlayout = \"NCHW\"\n",
            "losses.py": TemporaryProject.floorDice,
        ])
        let text = project.run(["check", project.path("losses.py"), "--no-simulate"]).stdout
        #expect(text.contains("logits, NCHW)"), "\(text.prefix(300))")
        #expect(text.contains("input logits (\(project.path("pyproject.toml"))), layout NCHW (\(project.path("pyproject.toml")))"))
        let flagged = project.run(["check", project.path("losses.py"), "--no-simulate", "--input", "probs", "--layout", "NHWC"]).stdout
        #expect(flagged.contains("probabilities, NHWC)") && flagged.contains("input probs (--input), layout NHWC (--layout)"))
    }

    @Test("a malformed configuration is an error with its file and line, exit 2, even with --exit-zero", arguments: [
        ("[tool.loss-doctor]\nselect = [\"LD101\"\n", "pyproject.toml:2: invalid TOML: unterminated array (opened here)"),
        ("[tool.loss-doctor]\n\nselct = [\"LD101\"]\n", "pyproject.toml:3: unknown key 'selct' in [tool.loss-doctor] (known keys: select, ignore, fail-on, per-file-ignores, layout, input, simulate, target, classes, ignore-index, volume). Did you mean 'select'?"),
        ("[tool.loss-doctor]\nignore = [\n  \"LD101\",\n  \"LD9999\",\n]\n", "pyproject.toml:4: unknown rule 'LD9999' in 'ignore'"),
        ("[tool.loss-doctor]\nfail-on = \"warn\"\n", "pyproject.toml:2: invalid value 'warn' for 'fail-on' (use one of: error, warning, info, never)"),
        ("[tool.loss-doctor]\nselect = \"LD1\"\n", "pyproject.toml:2: 'select' must be an array of rule codes or names, not a string"),
        ("[tool.loss-doctor]\nsimulate = \"no\"\n", "pyproject.toml:2: 'simulate' must be true or false, not a string"),
        ("[tool]\nloss-doctor = 3\n", "pyproject.toml:2: [tool.loss-doctor] must be a table, not an integer"),
    ] as [(String, String)])
    func malformed(config: String, message: String) throws {
        let project = try TemporaryProject(["pyproject.toml": config, "losses.py": TemporaryProject.floorDice])
        let result = project.run(["check", project.path("losses.py"), "--no-simulate", "--exit-zero"])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Error: invalid configuration: "), "\(result.stderr)")
        #expect(first.contains(message), "\(first)")
        #expect(!result.stderr.contains("Usage:"), "a broken file is not a usage error")
    }

    @Test("--config must name a file with the table")
    func explicitConfig() throws {
        let project = try TemporaryProject(["empty.toml": "[tool.other]\nx = 1\n", "losses.py": TemporaryProject.floorDice])
        let missing = project.run(["check", project.path("losses.py"), "--config", project.path("nope.toml")])
        #expect(missing.exitCode == 2 && missing.stderr.hasPrefix("Error: no such configuration file"))
        let empty = project.run(["check", project.path("losses.py"), "--config", project.path("empty.toml")])
        #expect(empty.exitCode == 2 && empty.stderr.contains("has no [tool.loss-doctor] table"))
    }

    @Test("built-in losses ignore the project's pyproject.toml but follow --config")
    func builtins() throws {
        let project = try TemporaryProject(["c.toml": "[tool.loss-doctor]\nignore = [\"LD1\"]\nfail-on = \"never\"\n"])
        let result = CLI.run(["check", "--loss", "dice-floor", "--no-simulate", "--config", project.path("c.toml"), "--format", "json"])
        #expect(result.exitCode == 0)
        #expect(result.findingCodes == ["LD405"])
    }
}

@Suite("Rule selection: --select / --ignore")
struct RuleSelectionTests {
    @Test("selectors: codes, names, prefixes; nothing else")
    func selectors() {
        #expect(RuleSelector("LD101")?.prefix == "LD101")
        #expect(RuleSelector("floor-division")?.prefix == "LD101")
        #expect(RuleSelector("ld1")?.prefix == "LD1")
        #expect(RuleSelector("LD")?.prefix == "LD")
        #expect(RuleSelector("LD7") == nil, "no LD7xx rule")
        #expect(RuleSelector("LD1011") == nil)
        #expect(RuleSelector("floor") == nil)
    }

    @Test("layers: a later select replaces, ignores add")
    func layers() throws {
        let config = RuleSelection.Layer(select: [RuleSelector("LD1")!], ignore: [RuleSelector("LD105")!])
        let selection = RuleSelection([config])
        #expect(selection.includes("LD101") && !selection.includes("LD105") && !selection.includes("LD201"))
        let flags = RuleSelection([config, RuleSelection.Layer(select: [RuleSelector("LD105")!, RuleSelector("LD2")!])])
        #expect(flags.includes("LD105") && flags.includes("LD201") && !flags.includes("LD101"))
    }

    @Test("on the command line, comma-separated or repeated; the exit status follows what is left")
    func commandLine() {
        let ignored = CLI.run("check --loss dice-floor --no-simulate --ignore LD101,piecewise-constant --format json")
        #expect(ignored.exitCode == 0, "only the info LD405 is left")
        #expect(ignored.findingCodes == ["LD405"])
        let selected = CLI.run("check --loss dice-floor --no-simulate --select LD1 --select LD4 --ignore LD105")
        #expect(selected.stdout.contains("error[LD101]") && !selected.stdout.contains("[LD105]") && selected.stdout.contains("info[LD405]"))
        let typo = CLI.run("check --loss dice-floor --select flor-division")
        #expect(typo.exitCode == 2)
        #expect(typo.stderr.hasPrefix("Error: unknown rule 'flor-division' in '--select'. Did you mean 'floor-division'?"))
    }
}

@Suite("pre-commit: named files without a loss")
struct SkipFilesWithoutLossTests {
    @Test("a named file that defines no loss fails the check, unless --skip-files-without-loss")
    func skip() throws {
        let project = try TemporaryProject(["helpers.py": "def scale(x):\n    return 2 * x\n", "losses.py": TemporaryProject.floorDice])
        #expect(project.run(["check", project.path("helpers.py"), "--no-simulate"]).exitCode == 1)
        let skipped = project.run(["check", project.path("helpers.py"), "--no-simulate", "--skip-files-without-loss"])
        #expect(skipped.exitCode == 0)
        #expect(skipped.stdout.hasSuffix("0 files, 0 losses: 0 errors, 0 warnings\n"))
        let both = project.run(["check", project.path("helpers.py"), project.path("losses.py"), "--no-simulate", "--skip-files-without-loss"])
        #expect(both.exitCode == 1)
        #expect(both.stdout.hasSuffix("1 file, 1 loss: 1 error, 0 warnings\n"), "LD105 is a note of LD101")
    }
}
