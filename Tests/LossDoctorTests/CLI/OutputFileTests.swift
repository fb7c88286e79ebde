import Foundation
import Testing
@testable import LossDoctor

/// Issue 16, steps 3 and 6: `-o` cannot destroy what it should not, and an empty rule list is no bypass.
@Suite("-o and rule options are safe")
struct OutputFileTests {
    final class Directory {
        let path = FileManager.default.temporaryDirectory.path + "/loss-doctor-output-\(UInt64.random(in: 0...UInt64.max))"
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    static let loss = "import torch\n\ndef my_loss(pred, target):\n    return ((pred - target) ** 2).mean()\n"

    @Test("-o naming the checked source is refused before anything is written (exit 2)")
    func outputIsInput() throws {
        let directory = try Directory()
        let source = directory.path + "/losses.py"
        try Self.loss.write(toFile: source, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/alias.txt", withDestinationPath: source)
        for target in [source, directory.path + "/alias.txt", directory.path + "/./losses.py"] {
            let result = CLI.run(["check", source, "--no-simulate", "-o", target])
            #expect(result.exitCode == 2, "\(target)")
            #expect(result.stderr.contains("it is one of the files checked"), "\(target)")
        }
        #expect(try String(contentsOfFile: source, encoding: .utf8) == Self.loss)
        let viaDirectory = CLI.run(["check", directory.path, "--no-simulate", "-o", source])
        #expect(viaDirectory.exitCode == 2)
        #expect(try String(contentsOfFile: source, encoding: .utf8) == Self.loss)
    }

    @Test("-o refuses a directory, a device and a symlink to one; the device is left as it is")
    func specialTargets() throws {
        let directory = try Directory()
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/null", withDestinationPath: "/dev/null")
        for target in [directory.path, "/dev/null", directory.path + "/null"] {
            let result = CLI.run(["check", "--loss", "bce", "--no-simulate", "-o", target])
            #expect(result.exitCode == 2, "\(target)")
            #expect(result.stderr.contains("it is not a regular file"), "\(target)")
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.path + "/null") == "/dev/null")
    }

    @Test("-o replaces an existing report whole, keeps its mode, writes through a symlink to a file")
    func replaces() throws {
        let directory = try Directory()
        let report = directory.path + "/report.json"
        try "old".write(toFile: report, atomically: true, encoding: .utf8)
        chmod(report, 0o640)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/latest.json", withDestinationPath: report)
        let result = CLI.run(["check", "--loss", "bce", "--no-simulate", "--format", "json", "-o", directory.path + "/latest.json"])
        #expect(result.exitCode == 0)
        #expect(try String(contentsOfFile: report, encoding: .utf8).hasPrefix("{"))
        var status = stat()
        #expect(stat(report, &status) == 0 && status.st_mode & 0o777 == 0o640)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.path + "/latest.json") == report)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["latest.json", "report.json"])
        let fresh = CLI.run(["check", "--loss", "bce", "--no-simulate", "-o", directory.path + "/new.txt"])
        #expect(fresh.exitCode == 0)
        #expect(try String(contentsOfFile: directory.path + "/new.txt", encoding: .utf8).contains("checking bce"))
    }

    @Test("an empty --select or --ignore (an unset CI variable) is a usage error, not 'no rule'",
          arguments: [["--select", ""], ["--select", " "], ["--ignore", ""], ["--select", "LD1,"], ["--select", ",LD1"]])
    func emptyRules(_ option: [String]) {
        let result = CLI.run(["check", "--loss", "dice-floor", "--no-simulate"] + option)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("an empty rule in '\(option[0])'"))
    }
}
