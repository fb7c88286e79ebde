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

/// The same input gives the same bytes: `check --all` and every fixture, as JSON (every number, probe and
/// finding), once in this process and twice as separate `loss-doctor` processes. Each process seeds
/// Swift's hashing at random, so output that followed a dictionary's or a set's order would differ
/// (LD310's fit once summed its probes in dictionary order and changed in the last digits).
@Suite("Hostile input: determinism")
struct HostileDeterminismTests {
    static let commands: [[String]] = [
        ["check", "--all", "--format", "json"],
        ["check", fixturesDirectory + "/losses", fixturesDirectory + "/hostile", "--format", "json"],
    ]

    @Test("the same check gives the same JSON bytes, in this process and in two others", arguments: commands)
    func sameBytes(_ arguments: [String]) throws {
        let inProcess = CommandLineTool.run(arguments)
        #expect(inProcess.stdout.count > 10_000)
        guard let binary = Self.executable else {
            // Only this process's output can be compared with itself (the binary was not built).
            #expect(CommandLineTool.run(arguments).stdout == inProcess.stdout)
            return
        }
        let first = try #require(Self.output(of: binary, arguments))
        let second = try #require(Self.output(of: binary, arguments))
        #expect(first.status == inProcess.exitCode)
        // Compared as Bools: a failed comparison of the arrays themselves would print a megabyte of bytes.
        let processesAgree = first.stdout == second.stdout
        #expect(processesAgree, "two processes disagree:\n\(Self.firstDifference(first.stdout, second.stdout))")
        let processAndTestAgree = first.stdout == Array(inProcess.stdout.utf8)
        #expect(processAndTestAgree, "a process and the test disagree:\n\(Self.firstDifference(first.stdout, Array(inProcess.stdout.utf8)))")
    }

    /// The `loss-doctor` executable built beside the test bundle, if any.
    static let executable: String? = {
        let bundle = CommandLine.arguments.first ?? ""
        let directory = String(bundle.reversed().drop { $0 != "/" }.reversed())
        for candidate in [directory + "loss-doctor", directory + "../../../loss-doctor"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }()

    /// Runs `binary` with `arguments`, its standard output into a temporary file; nil if it cannot start.
    /// Also gives the process's peak resident memory in bytes.
    static func output(of binary: String, _ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, stdout: [UInt8], peakBytes: Int)? {
        let path = FileManager.default.temporaryDirectory.path + "/loss-doctor-determinism-\(UInt64.random(in: 0...UInt64.max)).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, binary, &actions, nil, argv, envp) == 0 else { return nil }
        // The child's own high-water mark, read from /proc while it runs: wait4's ru_maxrss would also count
        // this test process, whose memory a spawned child shares until it execs.
        var status: Int32 = 0
        var peak = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { return nil }
            peak = Swift.max(peak, Self.highWaterMark(of: pid) ?? 0)
            usleep(5_000)
        }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return ((status >> 8) & 0xFF, Array(data), peak)
    }

    /// VmHWM of a running process in bytes (Linux), nil elsewhere or once it has gone.
    static func highWaterMark(of pid: pid_t) -> Int? {
        guard let file = fopen("/proc/\(pid)/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmHWM:"), let kilobytes = Int(text.dropFirst(6).filter(\.isNumber)) { return kilobytes * 1024 }
        }
        return nil
    }

    /// The first line where two outputs differ, for the failure message.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let linesA = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let linesB = String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (x, y)) in zip(linesA, linesB).enumerated() where x != y {
            return "line \(index + 1):\n  \(x)\n  \(y)"
        }
        return "lengths \(linesA.count) and \(linesB.count) lines"
    }
}

/// Peak resident memory of a whole `loss-doctor` process (its VmHWM, polled while it runs): `check --all`
/// (the budget, 200 MB) and the hostile fixtures, whose memory the element limits bound.
@Suite("Hostile input: memory")
struct HostileMemoryTests {
    static let budget = 200 * 1024 * 1024

    @Test("check --all and the hostile fixtures stay under 200 MB", arguments: [
        ["check", "--all"],
        ["check", fixturesDirectory + "/hostile"],
    ])
    func peak(_ arguments: [String]) throws {
        // Measured through /proc (Linux); without the binary or /proc there is nothing to measure.
        guard let binary = HostileDeterminismTests.executable, FileManager.default.fileExists(atPath: "/proc/self/status") else { return }
        // One thread: the element limits bound what one loss at a time may hold.
        let run = try #require(HostileDeterminismTests.output(of: binary, arguments, environment: ["LOSS_DOCTOR_THREADS": "1"]))
        #expect(run.peakBytes > 0)
        #expect(run.peakBytes < Self.budget, "peak \(run.peakBytes / 1_048_576) MB")
    }

    @Test("on two threads (files checked in parallel) the hostile fixtures stay under the budget per thread")
    func peakInParallel() throws {
        guard let binary = HostileDeterminismTests.executable, FileManager.default.fileExists(atPath: "/proc/self/status") else { return }
        let run = try #require(HostileDeterminismTests.output(of: binary, ["check", fixturesDirectory + "/hostile"],
                                                              environment: ["LOSS_DOCTOR_THREADS": "2"]))
        #expect(run.peakBytes > 0)
        #expect(run.peakBytes < 2 * Self.budget, "peak \(run.peakBytes / 1_048_576) MB")
    }
}
