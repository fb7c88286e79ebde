import Testing
@testable import LossDoctor

@Suite("CLI exit status")
struct CLIExitStatusTests {
    @Test("0 nothing at or above --fail-on, 1 something is, 2 could not run", arguments: [
        ("check --loss soft-dice", 0),
        ("check --loss dice-floor", 1),
        ("check --loss no-such-loss", 2),
        ("check --loss dice-floor --fail-on never", 0),
        ("check --loss soft-dice --fail-on warning", 0),
        ("check --loss soft-dice --fail-on info", 1),
        ("check --loss dice-large-smooth", 0),
        ("check --loss dice-large-smooth --fail-on warning", 1),
        ("check --loss dice-floor --exit-zero", 0),
        ("check --loss dice-floor --format json --exit-zero", 0),
        ("check --loss no-such-loss --exit-zero", 2),
        ("check --loss dice-floor --exit-zero --bogus", 2),
        ("check --loss soft-dice --fail-on sometimes", 2),
        ("check", 2),
        ("frobnicate", 2),
        ("", 0),
        ("--version", 0),
    ] as [(String, Int32)])
    func exitStatus(arguments: String, expected: Int32) {
        let result = CLI.run(arguments)
        #expect(result.exitCode == expected, "\(arguments): \(result.stderr)")
        if expected == 2 {
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("Error: "))
        }
    }

    @Test("the exit status rule on its own")
    func exitStatusRule() {
        let floor = CLI.report("dice-floor")
        #expect(CheckCommand.exitStatus([floor], failOn: "error", exitZero: false) == 1)
        #expect(CheckCommand.exitStatus([floor], failOn: "never", exitZero: false) == 0)
        #expect(CheckCommand.exitStatus([floor], failOn: "error", exitZero: true) == 0)
        #expect(CheckCommand.exitStatus([], failOn: "info", exitZero: false) == 0)
    }
}

@Suite("CLI errors and suggestions")
struct CLIErrorTests {
    @Test("a misspelt name or option gets 'Did you mean'", arguments: [
        ("check --loss dice-flor", "Error: unknown loss 'dice-flor'. Did you mean 'dice-floor'?"),
        ("check --loss soft-dice --formt json", "Error: unknown option '--formt'. Did you mean '--format'?"),
        ("check --loss soft-dice --format jsn", "Error: the value 'jsn' is invalid for '--format <format>'. Did you mean 'json'?"),
        ("chek --loss soft-dice", "Error: unknown subcommand 'chek'. Did you mean 'check'?"),
        ("explain LD10", "Error: unknown rule 'LD10'. Did you mean 'LD101'?"),
        ("explain flor-division", "Error: unknown rule 'flor-division'. Did you mean 'floor-division'?"),
        ("list rule", "Error: cannot list 'rule'. Did you mean 'rules'?"),
        ("--verison", "Error: unknown option '--verison'. Did you mean '--version'?"),
    ])
    func didYouMean(arguments: String, firstLine: String) {
        let result = CLI.run(arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == firstLine)
    }

    @Test("a usage error ends with the usage line and where to get help")
    func usageAndHelpPointer() {
        let lines = CLI.run("check --loss soft-dice --nope").stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "Error: unknown option '--nope'")
        #expect(lines.dropLast().last?.hasPrefix("Usage: loss-doctor check ") == true)
        #expect(lines.last == "  See 'loss-doctor check --help' for more information.")
    }

    @Test("a nonsense name gets no suggestion")
    func noWildGuess() {
        #expect(!CLI.run("check --loss xyzzy-plugh").stderr.contains("Did you mean"))
    }

    @Test("a missing file is a usage error, even with --exit-zero")
    func missingFile() {
        let result = CLI.run("check no-such-losses.py --exit-zero")
        #expect(result.exitCode == 2)
        #expect(result.stderr.hasPrefix("Error: no such file or directory: 'no-such-losses.py'"))
    }

    @Test("a source file is checked: the seed exits 1 with the floor division at its line and column")
    func sourceFile() {
        let seed = fixturesDirectory + "/losses/seed_keras_dice.py"
        let result = CLI.run(["check", seed, "--no-simulate"])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("--> \(seed):9:35"))
        #expect(result.stdout.contains("this loss cannot train: floor-division (LD101)"))
        // LD105 is a note of LD101 (one warning fewer than before).
        #expect(result.stdout.hasSuffix("1 file, 1 loss: 3 errors, 2 warnings\n"))  // LD601: Keras 3 lacks K.flatten (2 calls) and K.sum (3): one each
    }

    @Test("a file that cannot be analysed is an error finding like any other (ruff's exit codes): 1, 0 with --exit-zero or --fail-on never")
    func unanalysableFile() {
        let file = fixturesDirectory + "/losses/syntax_error.py"
        let result = CLI.run(["check", file])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("SyntaxError: expected ':'"))
        #expect(result.stdout.hasSuffix("1 file, 0 losses, 1 could not be analysed: 1 error, 0 warnings\n"))
        #expect(CLI.run(["check", file, "--exit-zero"]).exitCode == 0)
        #expect(CLI.run(["check", file, "--fail-on", "never"]).exitCode == 0)
        let mixed = CLI.run(["check", file, fixturesDirectory + "/losses/seed_keras_dice.py", "--no-simulate"])
        #expect(mixed.exitCode == 1)
        #expect(mixed.stdout.hasSuffix("2 files, 1 loss, 1 could not be analysed: 4 errors, 2 warnings\n"))  // LD105 is a note of LD101; LD601 x2: Keras 3 lacks K.flatten and K.sum
    }

    @Test("conflicting or missing inputs", arguments: [
        ("check --all --loss bce", "Error: '--all' cannot be combined with '--loss'"),
        ("check", "Error: nothing to check: give a file, --loss <name> or --all"),
        ("check --loss", "Error: missing value for '--loss <name>'"),
        ("check --all=yes", "Error: option '--all' takes no value"),
        ("explain", "Error: missing expected argument '<rule>'"),
        ("explain LD101 --all", "Error: give a rule or '--all', not both"),
        ("list rules losses", "Error: unexpected argument 'losses'"),
    ])
    func inputErrors(arguments: String, firstLine: String) {
        let result = CLI.run(arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == firstLine)
    }
}

@Suite("CLI simulation switch")
struct CLISimulationTests {
    @Test("--no-simulate skips the training rules, and the built-ins still match what they can produce")
    func noSimulate() {
        let fast = CLI.report("dice-floor", options: CheckOptions(simulate: false))
        #expect(fast.evidence.simulation == nil)
        #expect(!fast.codes.contains { $0.hasPrefix("LD5") })
        #expect(CLI.report("dice-floor").codes.contains("LD501"))
        let text = CLI.run("check --loss dice-floor --no-simulate").stdout
        #expect(!text.contains("simulated training"))
        #expect(CLI.run("check --loss dice-floor").stdout.contains("simulated training"))
        let checked = CheckedLoss(input: CheckInput(builtin: ReferenceLosses.named("dice-floor")!), report: fast)
        #expect(checked.expectedCodes == ["LD101", "LD105", "LD405"])
        #expect(checked.matchesExpected == true)
    }
}

@Suite("CLI list")
struct CLIListTests {
    @Test("list apis names the interpreter's modules and the legend of short names")
    func apis() {
        let result = CLI.run("list apis")
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("K = keras.backend"))
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("K ") && $0.contains(" abs ") })
    }

    @Test("list without a kind prints the rules, then the losses")
    func both() {
        let result = CLI.run("list")
        #expect(result.stdout == "Rules\n\n" + CLI.run("list rules").stdout + "\nBuilt-in losses\n\n" + CLI.run("list losses").stdout)
    }
}

@Suite("CLI help")
struct CLIHelpTests {
    @Test("every command has help in swift-argument-parser's layout, by -h, --help and 'help'",
          arguments: ["check", "compare", "list", "explain", "bench"])
    func help(command: String) {
        let long = CLI.run("\(command) --help")
        #expect(long.exitCode == 0)
        #expect(long.stdout.hasPrefix("OVERVIEW: "))
        #expect(long.stdout.contains("\nUSAGE: loss-doctor \(command)"))
        #expect(long.stdout.contains("\nOPTIONS:\n"))
        #expect(long.stdout.contains("  -h, --help              Show help information."))
        #expect(CLI.run("\(command) -h").stdout == long.stdout)
        #expect(CLI.run("help \(command)").stdout == long.stdout)
        // Help wins over anything else on the line, even an error.
        #expect(CLI.run("\(command) --bogus -h").stdout == long.stdout)
    }

    @Test("the root help lists every subcommand")
    func rootHelp() {
        let help = CLI.run("--help").stdout
        for command in ["check", "list", "explain", "bench"] { #expect(help.contains("\n  \(command) ")) }
        #expect(help.contains("SUBCOMMANDS:"))
        #expect(CLI.run("").stdout == help)
    }

    @Test("bench takes the PyTorch time its own last line advertises, and refuses one that is not a time",
          arguments: ["abc", "0", "-3", "nan"])
    func benchPyTorchValue(value: String) {
        #expect(CLI.run("bench --help").stdout.contains("--pytorch <ms>"))
        let result = CLI.run(["bench", "--pytorch=\(value)"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("the value '\(value)' is invalid for '--pytorch <ms>'"))
    }

    @Test("--version prints the library's version")
    func version() {
        #expect(CLI.run("--version").stdout == "loss-doctor \(LossCheck.version)\n")
    }
}

@Suite("CLI colour")
struct CLIColourTests {
    @Test("auto colours a terminal unless NO_COLOR is set or TERM is dumb", arguments: [
        (true, [:], true),
        (true, ["NO_COLOR": "1"], false),
        (true, ["NO_COLOR": ""], true),
        (true, ["TERM": "dumb"], false),
        (false, [:], false),
    ] as [(Bool, [String: String], Bool)])
    func auto(tty: Bool, environment: [String: String], colour: Bool) {
        #expect(TextStyle.colorEnabled("auto", stdoutIsTTY: tty, environment: environment) == colour)
    }

    @Test("--color always and never override the terminal")
    func explicit() {
        #expect(TextStyle.colorEnabled("always", stdoutIsTTY: false, environment: ["NO_COLOR": "1"]))
        #expect(!TextStyle.colorEnabled("never", stdoutIsTTY: true, environment: [:]))
    }

    @Test("escape codes reach stdout only when colour is on; JSON never has them")
    func endToEnd() {
        let escape = "\u{1B}["
        #expect(CLI.run("check --loss dice-floor", stdoutIsTTY: true).stdout.contains(escape))
        #expect(!CLI.run("check --loss dice-floor", environment: ["NO_COLOR": "1"], stdoutIsTTY: true).stdout.contains(escape))
        #expect(CLI.run("check --loss dice-floor --color always").stdout.contains(escape))
        #expect(!CLI.run("check --loss dice-floor --format json --color always").stdout.contains(escape))
        // Colour changes nothing but the escape codes.
        let plain = CLI.run("check --loss dice-floor").stdout
        let coloured = CLI.run("check --loss dice-floor --color always").stdout
        #expect(coloured.replacing(/\x{1B}\[[0-9;]*m/, with: "") == plain)
    }
}

@Suite("CLI parser")
struct ArgumentParserTests {
    static let spec = CommandSpec(
        path: ["tool", "sub"], overview: "Test.", usage: "tool sub",
        arguments: [ArgumentSpec(name: "files", repeating: true, help: "Files.")],
        options: [.value("format", "format", choices: ["text", "json"], default: "text", help: "Format."),
                  .value("loss", "name", repeating: true, help: "Loss."), .flag("all", help: "All.")]
    )

    @Test("--name value, --name=value, repeats, defaults, and -- ending the options")
    func forms() throws {
        let parsed = try ArgumentParser.parse(["--loss", "a", "--loss=b", "x.py", "--all", "--", "--format"], Self.spec)
        #expect(parsed.all("loss") == ["a", "b"])
        #expect(parsed.flag("all"))
        #expect(parsed.value("format") == "text")
        #expect(parsed.positionals == ["x.py", "--format"])
        #expect(try ArgumentParser.parse(["--format=json", "--format", "text"], Self.spec).value("format") == "text")
    }

    @Test("a value that looks like an option is missing, not taken")
    func missingValue() {
        #expect(throws: CLIError(message: "missing value for '--loss <name>'")) {
            try ArgumentParser.parse(["--loss", "--all"], Self.spec)
        }
    }
}
