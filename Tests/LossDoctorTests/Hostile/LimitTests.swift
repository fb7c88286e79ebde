#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import LossDoctor

/// Each resource limit of `InterpreterLimits`: its documented default, and that passing it is a located
/// LD903 error for the loss that passed it while the file's other losses are still checked.
@Suite("Hostile input: resource limits")
struct HostileLimitTests {
    /// A healthy loss placed after the hostile one in each file: it must still be probed.
    static let healthy = "\n\ndef mse_loss(y_true, y_pred):\n    return K.mean(K.square(y_true - y_pred))\n"

    func check(_ body: String, _ configure: (inout InterpreterLimits) -> Void = { _ in }) -> SourceCheckResult {
        var options = SourceOptions()
        configure(&options.limits)
        return CheckPipeline.check(source: "from keras import backend as K\n\n\n" + body + Self.healthy, file: "limits.py", options: options)
    }

    /// The LD903 findings of the loss named `loss`, and whether `mse_loss` was probed without one.
    func outcome(_ result: SourceCheckResult) -> (limit: [Finding], healthyChecked: Bool) {
        let limit = result.reports.first { $0.loss == "hostile_loss" }?.findings.filter { $0.code == "LD903" } ?? []
        let healthy = result.reports.first { $0.loss == "mse_loss" }
        return (limit, healthy.map { $0.evidence.wasProbed && !$0.findings.contains { $0.code == "LD903" } } ?? false)
    }

    @Test("the defaults are the documented ones")
    func defaults() {
        let limits = InterpreterLimits()
        #expect(limits.steps == 200_000)
        #expect(limits.callDepth == 64)
        #expect(limits.tensorElements == 20 * 1024 * 1024)
        #expect(limits.nestingDepth == 200)
        #expect(limits.fileBytes == 1024 * 1024)
        #expect(limits.lossesPerFile == 100)
        #expect(limits.seconds == 20)
    }

    @Test("steps: a long loop passes --max-steps at the loop, the next loss is checked")
    func steps() throws {
        let source = "def hostile_loss(y_true, y_pred):\n    n = 0\n    while n < 5000:\n        n += 1\n    return K.mean(y_pred)\n"
        let (limit, healthyChecked) = outcome(check(source) { $0.steps = 1000 })
        let finding = try #require(limit.first)
        #expect(finding.message == "evaluation exceeded 1000 steps (an endless loop?)")
        #expect(finding.site.map { "\($0.line):\($0.column)" } == "7:9")
        #expect(finding.fix.contains("--max-steps"))
        #expect(healthyChecked)
        #expect(outcome(check(source) { $0.steps = 20_000 }).limit.isEmpty)
    }

    @Test("call depth: recursion deeper than --max-depth is a RecursionError at the call")
    func callDepth() throws {
        let source = "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n\n\ndef hostile_loss(y_true, y_pred):\n    return K.mean(y_pred) * depth(10)\n"
        let (limit, healthyChecked) = outcome(check(source) { $0.callDepth = 5 })
        let finding = try #require(limit.first)
        #expect(finding.message == "RecursionError: maximum recursion depth of 5 calls exceeded in depth()")
        #expect(finding.site.map { "\($0.line):\($0.column)" } == "5:33")
        #expect(healthyChecked)
        #expect(outcome(check(source) { $0.callDepth = 20 }).limit.isEmpty)
    }

    @Test("elements: tensors kept alive in a loop pass --max-elements although each one fits")
    func elements() throws {
        // Constants cannot be recomputed: they stay charged while the list holds them.
        let source = "import numpy as np\n\n\ndef hostile_loss(y_true, y_pred):\n    kept = []\n    for i in range(60):\n        kept.append(np.ones((64, 64)))\n    return K.mean(y_pred)\n"
        let (limit, healthyChecked) = outcome(check(source) { $0.tensorElements = 200_000 })
        let finding = try #require(limit.first)
        #expect(finding.message.hasPrefix("one evaluation holds"))
        #expect(finding.message.hasSuffix("over the limit of 200000 (0.763 MB)"))
        #expect(finding.site.map { "\($0.line):\($0.column)" } == "10:21")
        #expect(finding.fix.contains("--max-elements"))
        #expect(healthyChecked)
        // Results of ops on the prediction are recomputed from it when read: the budget drops their values
        // (each still costs its bookkeeping), and the loop runs (LD903 here before).
        let products = "def hostile_loss(y_true, y_pred):\n    kept = []\n    for i in range(40):\n        kept.append(y_pred * 2.0)\n    return K.mean(kept[0] + kept[39])\n"
        #expect(outcome(check(products) { $0.tensorElements = 200_000 }).limit.isEmpty)
    }

    @Test("elements: one tensor larger than --max-elements fails at its op, before it is allocated")
    func singleTensor() throws {
        let source = "def hostile_loss(y_true, y_pred):\n    return K.mean(K.reshape(y_pred, (-1, 1)) * K.reshape(y_pred, (1, -1)))\n"
        let (limit, healthyChecked) = outcome(check(source))
        let finding = try #require(limit.first)
        #expect(finding.message == "a tensor of 268435456 elements exceeds the limit of 20971520 elements")
        #expect(finding.site.map { "\($0.line):\($0.column)" } == "5:46")
        #expect(healthyChecked)
    }

    @Test("nesting: code nested deeper than --max-nesting is a syntax error, not a stack overflow")
    func nesting() throws {
        let deep = "def hostile_loss(y_true, y_pred):\n    return " + String(repeating: "(", count: 30) + "y_pred" + String(repeating: ")", count: 30) + "\n"
        let result = check(deep) { $0.nestingDepth = 20 }
        #expect(result.couldNotAnalyse)
        #expect(result.fileErrors.first?.message == "SyntaxError: too many nested parentheses")
        #expect(result.fileErrors.first?.site.map { "\($0.line):\($0.column)" } == "5:32")
        #expect(!check(deep) { $0.nestingDepth = 40 }.couldNotAnalyse)
    }

    @Test("file size: a file over --max-file-size is not read, from disk or from memory")
    func fileSize() throws {
        let source = "def hostile_loss(y_true, y_pred):\n    return K.mean(y_pred)\n" + String(repeating: "# padding\n", count: 200)
        let result = check(source) { $0.fileBytes = 1000 }
        #expect(result.couldNotAnalyse)
        #expect(result.fileErrors.map(\.code) == ["LD903"])
        #expect(result.fileErrors.first?.message == "limits.py is larger than the limit of 1000 bytes: it is not checked")
        #expect(result.fileErrors.first?.fix.contains("--max-file-size") == true)

        let path = FileManager.default.temporaryDirectory.path + "/loss-doctor-limits-\(UInt64.random(in: 0...UInt64.max)).py"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(source.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = SourceOptions()
        options.limits.fileBytes = 1000
        let fromDisk = CheckPipeline.check(path: path, display: "big.py", options: options)
        #expect(fromDisk.fileErrors.first?.message == "big.py is larger than the limit of 1000 bytes: it is not checked")
        #expect(fromDisk.couldNotAnalyse)
    }

    @Test("elements: values a loss keeps across its evaluations (a module-level cache) are bounded too")
    func retained() throws {
        let source = "import tensorflow as tf\n\ncache = []\n\n\ndef hostile_loss(y_true, y_pred):\n    cache.append(tf.ones((512, 1024)))\n    return K.mean(y_pred)\n"
        let (limit, healthyChecked) = outcome(check(source))
        let finding = try #require(limit.first)
        #expect(finding.message.hasPrefix("values kept across evaluations of the loss"))
        #expect(finding.message.hasSuffix("over the limit of 20971520"))
        #expect(finding.site.map { "\($0.line):\($0.column)" } == "10:5")
        #expect(healthyChecked)
        // A list made and filled inside the call is freed with it: no limit, however many probes.
        let local = "def hostile_loss(y_true, y_pred):\n    terms = []\n    for i in range(40):\n        terms.append(y_pred * 2.0)\n    return K.mean(terms[0])\n"
        #expect(outcome(check(local)).limit.isEmpty)
    }

    @Test("elements: the limit bounds live tensors: a loop dropping its temporaries runs, a 1,000-iteration loop keeping one or two full-size tensors an iteration runs")
    func liveElements() throws {
        // Before freed tensors gave their elements back and reductions were charged their output (not their
        // input), each of the first two ended with LD903 on the first probe. Time is not under test here.
        let dropping = "def hostile_loss(y_true, y_pred):\n    for i in range(1500):\n        last = K.mean(y_pred * y_true)\n    return last\n"
        #expect(outcome(check(dropping) { $0.seconds = 600 }).limit.isEmpty)
        // The graph keeps each product (16,384 elements on 4x1x64x64 probes): 16.5M elements in all.
        let keeping = "def hostile_loss(y_true, y_pred):\n    total = 0.0\n    for i in range(1000):\n        total = total + K.mean(y_pred * y_true) * 0.001\n    return total\n"
        let result = check(keeping) { $0.seconds = 600 }
        let loop = try #require(result.reports.first { $0.loss == "hostile_loss" })
        #expect(loop.evidence.wasProbed)
        #expect(!loop.findings.contains { $0.code == "LD903" })
        // A difference and its square kept an iteration: 33M elements, over the default of 20M (LD903 in
        // 0.3 s before the budget dropped intermediates' values). It now gets what one iteration gets.
        let twice = keeping.replacingOccurrences(of: "K.mean(y_pred * y_true)", with: "K.mean(K.square(y_pred - y_true))")
        let once = "def hostile_loss(y_true, y_pred):\n    return K.mean(K.square(y_pred - y_true))\n"
        let looped = try #require(check(twice) { $0.seconds = 600 }.reports.first { $0.loss == "hostile_loss" })
        let single = try #require(check(once).reports.first { $0.loss == "hostile_loss" })
        #expect(looped.evidence.wasProbed)
        #expect(looped.findings.map(\.code) == single.findings.map(\.code))
    }

    @Test("elements: the module's top-level code shares one budget, whatever the number of statements")
    func moduleMemory() throws {
        let statements = (0..<40).map { "t\($0) = tf.ones((1024, 1024))" }.joined(separator: "\n")
        let result = check("import tensorflow as tf\n" + statements + "\n")
        let healthy = try #require(result.reports.first { $0.loss == "mse_loss" })
        #expect(healthy.evidence.wasProbed)
        #expect(healthy.findings.contains { $0.code == "LD903" && $0.message.hasPrefix("the file's top-level code and loss discovery allocated") })
    }

    @Test("elements: the top-level code of all the files checked together is bounded too (the CLI keeps them all)")
    func modulesTogether() throws {
        var options = SourceOptions()
        // 2M elements for all the modules alive (in this process: other tests' count too, so only the last file is sure to pass it).
        options.limits.tensorElements = 1 << 20
        let source = "import tensorflow as tf\nkeep = tf.ones((700, 1024))\n\n\ndef loss(y_true, y_pred):\n    return tf.reduce_mean(tf.square(y_true - y_pred))\n"
        let files = (0..<4).map { SourceChecker.prepare(source: source, file: "m\($0).py", options: options) }
        let over = files.flatMap { $0.losses.compactMap(\.source).flatMap(\.moduleFindings) }.filter { $0.code == "LD903" }
        #expect(over.count >= 1)
        #expect(over.first?.message.hasPrefix("the top-level code of the files checked together holds") == true)
    }

    @Test("elements: the modules a file imports share its budget: their globals live on after their code ran")
    func importedModules() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/loss-doctor-modules-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // 4 modules of 700k elements each: 2.8M held at once, over the 2M all module code may hold.
        for index in 0..<4 {
            #expect(FileManager.default.createFile(atPath: directory + "/m\(index).py", contents: Data("import tensorflow as tf\nkeep = tf.ones((700, 1024))\n".utf8)))
        }
        let source = "import tensorflow as tf\nimport m0\nimport m1\nimport m2\nimport m3\n\n\ndef loss(y_true, y_pred):\n    return tf.reduce_mean(tf.square(y_true - y_pred))\n"
        var options = SourceOptions()
        options.limits.tensorElements = 1 << 20
        let result = CheckPipeline.check(source: source, file: "main.py", directory: directory, options: options)
        let over = result.reports.flatMap(\.findings).filter { $0.code == "LD903" }
        #expect(over.contains { $0.message.hasPrefix("the top-level code of the files checked together holds") })
    }

    @Test("losses: a file of many losses has only the first --max-losses checked, and says so")
    func losses() throws {
        let source = (0..<5).map { "def loss_\($0)(y_true, y_pred):\n    return K.mean(K.square(y_true - y_pred))\n" }.joined(separator: "\n\n")
        let result = check(source) { $0.lossesPerFile = 3 }
        #expect(result.reports.map(\.loss) == ["loss_0", "loss_1", "loss_2"])
        let finding = try #require(result.reports.first?.findings.first { $0.code == "LD903" })
        #expect(finding.message == "the file defines 6 losses: only the first 3 are checked")
        #expect(finding.site.map { "\($0.line):\($0.column)" } == "16:5")
        #expect(finding.fix.contains("--max-losses"))
    }

    @Test("a relative import never leaves the repository of the checked file (its directory outside one)")
    func importsStayInside() throws {
        let root = FileManager.default.temporaryDirectory.path + "/loss-doctor-imports-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for directory in ["/repo/.git", "/repo/pkg/sub", "/plain/pkg/sub"] {
            try FileManager.default.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
        }
        for file in ["/repo/pkg/sub/a.py", "/repo/pkg/b.py", "/b.py", "/plain/pkg/sub/a.py", "/plain/pkg/b.py"] {
            #expect(FileManager.default.createFile(atPath: root + file, contents: Data("x = 1\n".utf8)))
        }
        let inRepository = ModuleLoader(directory: root + "/repo/pkg/sub", limits: InterpreterLimits())
        #expect(inRepository.file(for: "a", level: 1) != nil)
        #expect(inRepository.file(for: "b", level: 2) != nil)  // `from .. import b`, inside the repository
        #expect(inRepository.file(for: "b", level: 4) == nil)  // would be <root>/b.py: outside it
        #expect(inRepository.file(for: "etc.passwd", level: 40) == nil)
        let outside = ModuleLoader(directory: root + "/plain/pkg/sub", limits: InterpreterLimits())
        #expect(outside.file(for: "a", level: 1) != nil)
        #expect(outside.file(for: "b", level: 2) == nil)  // no repository: not above the checked file's directory
    }

    @Test("a path that is not a regular file is not read (a symlink to /dev/zero would never end)")
    func specialFile() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/loss-doctor-limits-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(atPath: directory + "/zero.py", withDestinationPath: "/dev/zero")
        let result = CheckPipeline.check(path: directory + "/zero.py", display: "zero.py")
        #expect(result.couldNotAnalyse)
        #expect(result.fileErrors.first?.message == "zero.py is not a regular file (a device, FIFO, socket or system file): it is not read")
    }

    @Test("time: a loss slower than --timeout stops with LD903, the next loss has its own budget")
    func time() throws {
        let source = "def hostile_loss(y_true, y_pred):\n    s = K.mean(y_pred)\n    for i in range(20000):\n        s = s + 1.0\n    return s\n"
        let clock = ContinuousClock()
        var result: SourceCheckResult?
        let elapsed = clock.measure { result = check(source) { $0.seconds = 0.2 } }
        let (limit, healthyChecked) = outcome(try #require(result))
        let finding = try #require(limit.first)
        #expect(finding.message == "checking the loss took longer than 0.2 s")
        #expect(finding.fix.contains("--timeout"))
        #expect((4...9).contains(finding.site?.line ?? 0), "\(String(describing: finding.site))")  // wherever the clock ran out, in the loss
        #expect(healthyChecked)
        #expect(elapsed < .seconds(10))
    }

    @Test("module code that passes a limit is reported, and the file's losses are still checked")
    func moduleLevel() throws {
        let result = check("while True:\n    pass\n")
        let healthy = try #require(result.reports.first { $0.loss == "mse_loss" })
        #expect(healthy.evidence.wasProbed)
        #expect(healthy.findings.contains { $0.code == "LD903" && $0.message.contains("200000 steps") && (4...5).contains($0.site?.line ?? 0) })
    }

    @Test("the CLI maps --max-steps, --max-elements, --max-depth, --max-nesting, --max-file-size and --timeout")
    func flags() throws {
        let path = FileManager.default.temporaryDirectory.path + "/loss-doctor-flags-\(UInt64.random(in: 0...UInt64.max)).py"
        let source = "from keras import backend as K\n\n\ndef loss(y_true, y_pred):\n    n = 0\n    while n < 5000:\n        n += 1\n    return K.mean(K.square(y_true - y_pred))\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(source.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cases: [([String], String?)] = [
            (["--max-steps", "1K"], "evaluation exceeded 1024 steps"),
            (["--max-elements", "1000"], "a tensor of 16384 elements exceeds the limit of 1000 elements"),
            (["--max-nesting", "2"], "SyntaxError: expression nested too deeply"),
            (["--max-file-size", "100"], "is larger than the limit of 100 bytes"),
            (["--timeout", "0.000001"], "checking the loss took longer than 1e-06 s"),
            (["--max-steps", "100000", "--max-elements", "16M", "--max-depth", "8", "--timeout", "60"], nil),
        ]
        for (flags, message) in cases {
            let run = CommandLineTool.run(["check", path, "--no-simulate"] + flags)
            if let message {
                #expect(run.exitCode == 1, "\(flags)")  // LD903 is an error finding like any other (ruff's exit codes)
                #expect(run.stdout.contains(message), "\(flags):\n\(run.stdout)")
            } else {
                #expect(run.exitCode != 2, "\(flags):\n\(run.stdout)\(run.stderr)")
            }
        }
        let invalid = CommandLineTool.run(["check", "--all", "--max-depth", "-3"])
        #expect(invalid.exitCode == 2)
        #expect(invalid.stderr.contains("Error: the value '-3' is invalid for '--max-depth <n>': expected a positive integer"))
    }

    @Test("a loss that passed a limit fails its remaining probes at once")
    func failsFast() throws {
        let clock = ContinuousClock()
        var result: SourceCheckResult?
        let elapsed = clock.measure { result = check("def hostile_loss(y_true, y_pred):\n    while True:\n        pass\n") }
        let report = try #require(result?.reports.first { $0.loss == "hostile_loss" })
        #expect(!report.evidence.failures.isEmpty)
        #expect(report.evidence.failures.allSatisfy { $0.code == "LD903" && $0.site?.line == 5 })
        #expect(elapsed < .seconds(10))  // one step budget spent, not one per probe
    }
}

/// Parsing and evaluation must not overflow the stack of whatever thread calls them: they move to a
/// thread with a large stack (`LargeStack`). Here they are called from a thread with 512 KB, macOS's
/// default for secondary threads, with code at the nesting and call-depth limits.
@Suite("Hostile input: stack depth")
struct HostileStackTests {
    static let cases: [(String, String)] = {
        let d = 195
        let nested = String(repeating: "(1 + ", count: 66) + "f(n - 1)" + String(repeating: ")", count: 66)
        var blocks = "def loss(y_true, y_pred):\n"
        for i in 1..<99 { blocks += String(repeating: "    ", count: i) + "if True:\n" }
        blocks += String(repeating: "    ", count: 99) + "return y_pred\n"
        return [
            ("parentheses", "def loss(y_true, y_pred):\n    return " + String(repeating: "(", count: d) + "y_pred" + String(repeating: ")", count: d) + "\n"),
            ("unary operators", "def loss(y_true, y_pred):\n    return " + String(repeating: "-", count: 198) + "y_pred\n"),
            ("calls", "def f(x):\n    return x\n\n\ndef loss(y_true, y_pred):\n    return " + String(repeating: "f(", count: 99) + "y_pred" + String(repeating: ")", count: 99) + "\n"),
            ("recursion through deep expressions", "def f(n):\n    if n == 0:\n        return 0\n    return \(nested)\n\n\ndef loss(y_true, y_pred):\n    return y_pred * f(62)\n"),
            ("blocks", blocks),
        ]
    }()

    @Test("deep code checked from a thread with a 512 KB stack", arguments: cases.map(\.0))
    func deep(_ name: String) throws {
        let source = try #require(Self.cases.first { $0.0 == name }?.1)
        let result = onSmallStack { checkSource(source) }
        #expect(result.reports.count == 1)
        #expect(result.allFindings.allSatisfy { $0.code != "LD903" && $0.code != "LD603" }, "\(result.allFindings.map(\.message))")
    }

    /// Runs `body` on a new thread with a 512 KB stack and returns its result.
    func onSmallStack<T>(_ body: @escaping () -> T) -> T {
        var result: T?
        let job = ThreadJob { result = body() }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 512 * 1024)
        let context = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        pthread_create(&thread, &attributes, { context in
            #if canImport(Darwin)
            Unmanaged<ThreadJob>.fromOpaque(context).takeRetainedValue().body()
            #else
            Unmanaged<ThreadJob>.fromOpaque(context!).takeRetainedValue().body()
            #endif
            return nil
        }, context)
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
        return result!
    }
}

/// Work for a thread made with pthread_create.
final class ThreadJob: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
