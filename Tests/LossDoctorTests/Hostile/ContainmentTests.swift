import Foundation
import Testing
@testable import LossDoctor

/// Issue 16, step 1: a pull request's symlinks, FIFOs and unreadable folders never make LossDoctor read
/// (and print) anything outside the repository, and never stop the scan of the rest.
@Suite("Reading stays inside the repository")
struct ContainmentTests {
    /// A temporary tree: `repo/` (with `.git`) and `outside/secret.py`, removed when the test ends.
    final class Tree {
        let root = FileManager.default.temporaryDirectory.path + "/loss-doctor-containment-\(UInt64.random(in: 0...UInt64.max))"
        var repo: String { root + "/repo" }
        init() throws {
            for directory in ["/repo/.git", "/repo/pkg", "/outside/folder"] {
                try FileManager.default.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
            }
            try write("/outside/secret.py", "SECRET = 'hunter2-outside'\n")
            try write("/outside/folder/secret.py", "SECRET = 'hunter2-folder'\n")
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
        func write(_ path: String, _ text: String) throws {
            try text.write(toFile: root + path, atomically: true, encoding: .utf8)
        }
        func link(_ path: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(atPath: root + path, withDestinationPath: target)
        }
    }

    static let loss = "import torch\n\ndef my_loss(pred, target):\n    return ((pred - target) ** 2).mean()\n"

    @Test("a .py symlink to /proc/self/environ is refused unread: the environment never reaches the report")
    func environmentFile() throws {
        let tree = try Tree()
        try tree.link("/repo/env.py", to: "/proc/self/environ")
        setenv("LOSSDOCTOR_TEST_SECRET", "hunter2-environment", 1)
        let result = CLI.run(["check", tree.repo + "/env.py", "--no-simulate"])
        #expect(!result.stdout.contains("hunter2"))
        #expect(result.stdout.contains("env.py is not a regular file (a device, FIFO, socket or system file): it is not read"))
    }

    @Test("a .py symlink out of the repository is refused with a located error")
    func fileOutside() throws {
        let tree = try Tree()
        try tree.link("/repo/stolen.py", to: tree.root + "/outside/secret.py")
        let result = CheckPipeline.check(path: tree.repo + "/stolen.py", display: "stolen.py")
        #expect(result.fileErrors.map(\.message) == ["stolen.py resolves outside the repository: it is not read"])
        #expect(result.fileErrors.first?.site.map { "\($0.file):\($0.line)" } == "stolen.py:1")
    }

    @Test("a symlinked module or folder cannot import a file from outside the repository")
    func importOutside() throws {
        let tree = try Tree()
        try tree.link("/repo/pkg/secret.py", to: tree.root + "/outside/secret.py")
        try tree.link("/repo/pkg/folder", to: tree.root + "/outside/folder")
        for (name, statement) in [("module", "from secret import SECRET"), ("folder", "from folder.secret import SECRET")] {
            try tree.write("/repo/pkg/\(name).py", statement + "\n" + Self.loss.replacingOccurrences(of: ".mean()", with: ".mean() * len(SECRET)"))
            let file = SourceChecker.prepare(path: tree.repo + "/pkg/\(name).py", display: "\(name).py")
            let findings = file.losses.compactMap(\.source).flatMap(\.moduleFindings)
            let refusal = findings.first { $0.message.hasPrefix("ImportError") }
            #expect(refusal?.message.hasSuffix("secret.py resolves outside the repository: it is not read") == true, "\(name): \(findings.map(\.message))")
            #expect(refusal?.site.map { "\($0.file):\($0.line):\($0.column)" } == "\(name).py:1:1", "\(name): located at the import")
            #expect(!findings.map(\.message).joined().contains("hunter2"))
        }
    }

    @Test("a pyproject.toml symlinked to /proc/self/environ is refused unread (exit 2, nothing of it printed)")
    func configurationOutside() throws {
        let tree = try Tree()
        try tree.write("/repo/pkg/loss.py", Self.loss)
        try tree.link("/repo/pyproject.toml", to: "/proc/self/environ")
        setenv("LOSSDOCTOR_TEST_SECRET", "hunter2-environment", 1)
        let result = CLI.run(["check", tree.repo + "/pkg/loss.py", "--no-simulate"])
        #expect(result.exitCode == 2)
        #expect(!(result.stdout + result.stderr).contains("hunter2"))
        #expect(result.stderr.contains("the configuration file is not a regular file"))
        try FileManager.default.removeItem(atPath: tree.repo + "/pyproject.toml")
        try tree.write("/outside/pyproject.toml", "[tool.loss-doctor]\nselect = [\"hunter2\"]\n")
        try tree.link("/repo/pyproject.toml", to: tree.root + "/outside/pyproject.toml")
        let outside = CLI.run(["check", tree.repo + "/pkg/loss.py", "--no-simulate"])
        #expect(outside.exitCode == 2)
        #expect(outside.stderr.contains("the configuration file resolves outside the repository: it is not read"))
        #expect(!outside.stderr.contains("hunter2"))
    }

    @Test("discovery does not read a pyproject.toml above the repository's root")
    func configurationAboveRepository() throws {
        let tree = try Tree()
        try tree.write("/repo/pkg/loss.py", Self.loss)
        try tree.write("/pyproject.toml", "[tool.loss-doctor]\nfail-on = 'bogus'\n")
        let result = CLI.run(["check", tree.repo + "/pkg/loss.py", "--no-simulate", "--function", "my_loss"])
        #expect(result.exitCode != 2 && result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test("a FIFO named .py is not opened for reading (it would block forever)")
    func fifo() throws {
        let tree = try Tree()
        #expect(mkfifo(tree.repo + "/pipe.py", 0o644) == 0)
        let result = CheckPipeline.check(path: tree.repo + "/pipe.py", display: "pipe.py")
        #expect(result.fileErrors.first?.message.hasPrefix("pipe.py is not a regular file") == true)
    }

    @Test("a symlink to a folder named on the command line is scanned, within the same rule")
    func folderLinkScanned() throws {
        let tree = try Tree()
        try tree.write("/repo/pkg/loss.py", Self.loss)
        try tree.link("/repo/linked", to: tree.repo + "/pkg")
        try tree.link("/repo/escape", to: tree.root + "/outside/folder")
        let inside = CLI.run(["check", tree.repo + "/linked", "--no-simulate"])
        #expect(inside.stdout.contains("linked/loss.py"))
        #expect(!inside.stdout.contains("it is not read"))
        let escape = CLI.run(["check", tree.repo + "/escape", "--no-simulate"])
        #expect(escape.stdout.contains("secret.py resolves outside the repository: it is not read"))
        #expect(!escape.stdout.contains("hunter2"))
    }

    @Test("an unreadable file or folder is a finding for that path; the scan goes on")
    func unreadable() throws {
        let tree = try Tree()
        try tree.write("/repo/pkg/loss.py", Self.loss)
        try tree.link("/repo/pkg/dangling.py", to: tree.repo + "/nowhere.py")
        try FileManager.default.createDirectory(atPath: tree.repo + "/pkg/locked", withIntermediateDirectories: true)
        try tree.write("/repo/pkg/locked/hidden.py", Self.loss)
        chmod(tree.repo + "/pkg/locked", 0)
        defer { chmod(tree.repo + "/pkg/locked", 0o755) }
        let result = CLI.run(["check", tree.repo + "/pkg", "--no-simulate"])
        #expect(result.stdout.contains("pkg/loss.py"))
        #expect(result.stdout.contains("dangling.py does not exist"))
        if geteuid() != 0 {  // root lists any folder
            #expect(result.stdout.contains("cannot read the folder \(tree.repo)/pkg/locked: permission denied"))
        }
    }

    @Test("the boundary: a repository's root, or the directories named outside one; special prefixes never")
    func boundary() throws {
        let tree = try Tree()
        let repository = ReadBoundary.commandLine([tree.repo + "/pkg"])
        #expect(repository.roots == [ReadBoundary.realPath(tree.repo)!])
        let plain = ReadBoundary.commandLine([tree.root + "/outside/secret.py"])
        #expect(plain.roots == [ReadBoundary.realPath(tree.root + "/outside")!])
        // Outside a repository, a file of a package reads its package (the top `__init__.py` directory), not
        // the directory holding that package (site-packages, with every other package in it).
        for directory in ["/site/lib/losses", "/site/lib/core", "/site/other"] {
            try FileManager.default.createDirectory(atPath: tree.root + directory, withIntermediateDirectories: true)
        }
        for package in ["/site/lib/__init__.py", "/site/lib/losses/__init__.py"] { try tree.write(package, "") }
        // A module of the package imports beside itself: `.check` is lib/core/check.py, not lib/losses/check.py.
        try tree.write("/site/lib/core/__init__.py", "from .check import check\n")
        try tree.write("/site/lib/core/check.py", "def check(x):\n    return x\n")
        try tree.write("/site/other/secret.py", "SECRET = 'hunter2-site'\n")
        try tree.write("/site/lib/losses/dice.py", """
            from lib.core import check


            def packaged_dice_loss(y_true, y_pred):
                y_pred = check(y_pred)
                return 1 - (2 * (y_true * y_pred).sum() + 1) / (y_true.sum() + y_pred.sum() + 1)

            """)
        let package = ReadBoundary.commandLine([tree.root + "/site/lib/losses/dice.py"])
        #expect(package.roots == [ReadBoundary.realPath(tree.root + "/site/lib")!])
        #expect(package.resolve(tree.root + "/site/other/secret.py") == .failure(.outside(ReadBoundary.realPath(tree.root + "/site/other/secret.py")!)))
        let checked = CLI.run(["check", tree.root + "/site/lib/losses/dice.py", "--no-simulate"])
        #expect(!checked.stdout.contains("ImportError"), "\(checked.stdout)")
        #expect(checked.stdout.contains("checking packaged_dice_loss"), "\(checked.stdout)")
        #expect(ReadBoundary(roots: ["/"]).resolve("/proc/self/status") == .failure(.special(ReadBoundary.realPath("/proc/self/status")!)))
        #expect(ReadBoundary(roots: ["/"]).resolve("/dev/null") == .failure(.special("/dev/null")))
    }
}

/// Found by the flags fuzzer: a path with a NUL byte named a folder the system read only up to the NUL,
/// and the walk descended into "sub" forever (2 GB within seconds).
@Suite("Paths with NUL bytes")
struct NulPathTests {
    @Test("a path holding a NUL byte does not exist, and nothing is read through it")
    func nul() {
        let result = CLI.run(["check", fixturesDirectory + "/losses\u{0}\u{0}x", "--no-simulate"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("no such file or directory"))
        #expect(ReadBoundary.realPath("/tmp\u{0}x") == nil)
    }
}
