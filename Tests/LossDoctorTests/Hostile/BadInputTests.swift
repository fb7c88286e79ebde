#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import LossDoctor

/// The issue's table of bad inputs. Each row is a file that a pull request could contain; LossDoctor must
/// answer each with a clear, located message and the documented exit status, never a crash or a hang:
///
/// - `couldNotAnalyse`: nothing in the file could be probed (no loss, a syntax error, every probe failed);
///   its LD603/LD90x errors are findings like any other, so the CLI exits 1 (ruff's exit codes);
/// - `errorFinding`: the file was analysed and a finding is an error (exit 1).
///
/// Rows are checked twice: through `SourceChecker` (codes, messages, places) and through the CLI in-process
/// (`loss-doctor check FILE --no-simulate`, its exit status).
@Suite("Hostile input: the bad-input table")
struct HostileBadInputTests {
    enum Outcome: Sendable {
        /// Exit 1: the file could not be analysed (its errors say why).
        case couldNotAnalyse
        /// Exit 1: analysed, with an error finding.
        case errorFinding
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let outcome: Outcome
        /// The code of the finding that explains the outcome.
        let code: String
        /// A part of its message.
        let message: String
        /// Its place, `line:column`.
        let place: String?
        var function: String?

        init(_ name: String, _ source: String, _ outcome: Outcome, _ code: String, _ message: String, at place: String?, function: String? = nil) {
            self.init(name, Array(source.utf8), outcome, code, message, at: place, function: function)
        }

        init(_ name: String, _ bytes: [UInt8], _ outcome: Outcome, _ code: String, _ message: String, at place: String?, function: String? = nil) {
            self.name = name
            self.bytes = bytes
            self.outcome = outcome
            self.code = code
            self.message = message
            self.place = place
            self.function = function
        }

        var testDescription: String { name }
    }

    static let mse = "from keras import backend as K\n\n\ndef loss(y_true, y_pred):\n"

    static let rows: [Row] = [
        Row("empty file", "", .couldNotAnalyse, "LD603", "no loss function found in bad.py", at: "1:1"),
        Row("binary garbage", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x3E, 0x00, 0x01, 0x0F],
            .couldNotAnalyse, "LD603", "SyntaxError: invalid syntax", at: "1:1"),
        Row("invalid UTF-8", Array("def loss(y_true, y_pred):\n    return y_pred  # caf".utf8) + [0xE9, 0x0A],
            .couldNotAnalyse, "LD603", "SyntaxError: bad.py is not valid UTF-8: byte 0xe9 at offset 50 cannot be decoded", at: "2:25"),
        Row("tabs mixed with spaces", "def loss(y_true, y_pred):\n    a = y_pred\n\treturn a\n",
            .couldNotAnalyse, "LD603", "SyntaxError: inconsistent use of tabs and spaces in indentation", at: "3:2"),
        Row("10,000-deep parentheses", mse + "    return " + String(repeating: "(", count: 10_000) + "y_pred" + String(repeating: ")", count: 10_000) + "\n",
            .couldNotAnalyse, "LD603", "SyntaxError: too many nested parentheses", at: "5:212"),
        Row("while True: pass", mse + "    while True:\n        pass\n    return y_pred\n",
            .couldNotAnalyse, "LD903", "evaluation exceeded 200000 steps", at: "5:5"),
        Row("recursion without end", "def f(x):\n    return f(x)\n\n\ndef loss(y_true, y_pred):\n    return f(y_pred)\n",
            .couldNotAnalyse, "LD903", "RecursionError: maximum recursion depth of 64 calls exceeded in f()", at: "2:12"),
        Row("10^10 elements by broadcasting", "import tensorflow as tf\n\n\ndef loss(y_true, y_pred):\n    a = tf.ones((100000, 1)) * tf.ones((1, 100000))\n    return tf.reduce_mean(a * y_pred)\n",
            .couldNotAnalyse, "LD903", "a tensor of 10000000000 elements exceeds the limit of 20971520 elements", at: "5:30"),
        Row("returns a string", mse + "    return 'loss'\n", .couldNotAnalyse, "LD603", "the loss returns str, not a tensor", at: "4:5"),
        Row("returns None", mse + "    pass\n", .couldNotAnalyse, "LD603", "the loss returns NoneType, not a tensor", at: "4:5"),
        Row("returns a tuple", mse + "    return y_pred, y_true\n", .couldNotAnalyse, "LD603", "the loss returns tuple, not a tensor", at: "4:5"),
        Row("no parameters", "def loss():\n    return 0.0\n", .couldNotAnalyse, "LD603", "no loss function found in bad.py", at: "1:1"),
        Row("one parameter", "def loss(y_pred):\n    return y_pred\n", .couldNotAnalyse, "LD603", "no loss function found in bad.py", at: "1:1"),
        Row("five parameters", "def loss(a, b, c, d, e):\n    return a\n", .couldNotAnalyse, "LD603", "no loss function found in bad.py", at: "1:1"),
        Row("five parameters, named with --function", "def loss(a, b, c, d, e):\n    return a\n", .couldNotAnalyse, "LD603",
            "`loss` does not take two tensors (target and prediction)", at: "1:5", function: "loss"),
        Row("NaN literal", mse + "    return K.mean(K.square(y_true - y_pred)) * float('nan')\n",
            .errorFinding, "LD201", "the loss is nan on probe empty/perfect", at: "4:5"),
        Row("Inf literal", mse + "    return K.mean(K.square(y_true - y_pred)) + float('inf')\n",
            .errorFinding, "LD201", "the loss is inf on probe empty/perfect", at: "4:5"),
        Row("huge integer literal", mse + "    big = " + String(repeating: "9", count: 400) + "\n    return K.mean(K.square(y_true - y_pred)) * (big - big + 1)\n",
            .couldNotAnalyse, "LD901", "the integer literal 999999999999... (400 digits) is beyond the numbers LossDoctor evaluates", at: "5:11"),
        Row("shapes that do not broadcast", "import tensorflow as tf\n\n\ndef loss(y_true, y_pred):\n    return tf.reduce_mean(y_pred + tf.ones((3, 5)))\n",
            .couldNotAnalyse, "LD603", "ValueError: shapes (4, 64, 64, 1) and (3, 5) do not broadcast in `+`", at: "5:34"),
        Row("import os; os.system", "import os\n\n\ndef loss(y_true, y_pred):\n    os.system('touch /tmp/loss-doctor-hostile-marker')\n    return y_pred\n",
            .couldNotAnalyse, "LD902", "`os.system` is not a call LossDoctor knows", at: "5:5"),
    ]

    @Test("each bad input gives its message, place and outcome", arguments: rows)
    func row(_ row: Row) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/bad.py"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(row.bytes)))

        let result = CheckPipeline.check(path: path, display: "bad.py", options: SourceOptions(function: row.function))
        let summary = result.allFindings.map { "\($0.code) \($0.site.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)" }.joined(separator: "\n")
        let finding = result.allFindings.first { $0.code == row.code && $0.message.contains(row.message) }
        #expect(finding != nil, "\(row.name): no \(row.code) finding saying \"\(row.message)\":\n\(summary)")
        if let place = row.place {
            #expect(finding?.site.map { "\($0.line):\($0.column)" } == place, "\(row.name):\n\(summary)")
        }
        #expect(finding?.severity == .error)
        switch row.outcome {
        case .couldNotAnalyse: #expect(result.couldNotAnalyse, "\(row.name):\n\(summary)")
        case .errorFinding: #expect(!result.couldNotAnalyse, "\(row.name):\n\(summary)")
        }

        var arguments = ["check", path, "--no-simulate"]
        if let function = row.function { arguments += ["--function", function] }
        let cli = CommandLineTool.run(arguments)
        #expect(cli.exitCode == 1, "\(row.name): exit \(cli.exitCode)\n\(cli.stdout)\(cli.stderr)")
        #expect((cli.stdout + cli.stderr).contains(row.message.replacing("bad.py", with: path)),
                "\(row.name): the CLI does not show the message\n\(cli.stdout)\(cli.stderr)")
    }

    @Test("an integer literal beyond 64 bits is approximated by a double, as long as one holds it")
    func wideIntegerLiteral() throws {
        let interpreter = Interpreter(file: "t.py")
        #expect(interpreter.run(try parseModule("n = 123456789012345678901234567890 // 10 ** 29\nm = -9223372036854775808 // -1\n")).isEmpty)
        #expect(interpreter.display(interpreter.globals["n"] ?? .none) == "1")
        #expect(interpreter.display(interpreter.globals["m"] ?? .none) == "9.22337e+18")
    }

    @Test("os.system in a loss runs nothing")
    func noProcessIsRun() throws {
        let marker = FileManager.default.temporaryDirectory.path + "/loss-doctor-hostile-\(UInt64.random(in: 0...UInt64.max))"
        let result = checkSource("import os\nimport subprocess\n\n\ndef loss(y_true, y_pred):\n    os.system('touch \(marker)')\n    subprocess.run(['touch', '\(marker)'])\n    open('\(marker)', 'w').write('x')\n    return y_pred\n")
        #expect(result.couldNotAnalyse)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// A fresh directory under the system's temporary directory.
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/loss-doctor-hostile-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
