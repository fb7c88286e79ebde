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

/// What a user waits for: whole `loss-doctor` processes, started from this one's executable, timed from
/// spawn to exit (start-up, one full check, a 50-file directory on one thread and on every core).
enum ProcessBenchmark {
    /// The issue's targets.
    static let startTarget = 20.0, fullCheckTarget = 100.0

    /// This process's executable when it is `loss-doctor` (not a test runner), else nil.
    static var executable: String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        let path = CommandLine.arguments[0]
        #endif
        return path.hasSuffix("/loss-doctor") || path == "loss-doctor" ? path : nil
    }

    /// Runs `executable arguments` with standard output and error to /dev/null, `environment` added to
    /// this process's; returns its exit status.
    @discardableResult
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) -> Int32 {
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid = pid_t()
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xff
    }

    /// A directory of `count` loss files: the healthy references' Keras and PyTorch sources, in turn, and
    /// a copy of the seed's floor-division Dice every tenth file; nil if it cannot be written. The caller removes it.
    static func lossDirectory(count: Int) -> String? {
        let directory = FileManager.default.temporaryDirectory.path + "/loss-doctor-bench-\(getpid())"
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else { return nil }
        let sources = ReferenceSource.names.flatMap { name in
            ReferenceSource.Framework.allCases.compactMap { ReferenceSource.source(name, $0) }
        }
        let seed = """
            from keras import backend as K

            def dice_coef(y_true, y_pred):
                y_true_f = K.flatten(y_true)
                y_pred_f = K.flatten(y_pred)
                intersection = K.sum(y_true_f * y_pred_f)
                return (2 * intersection + 1) // (K.sum(y_true_f) + K.sum(y_pred_f) + 1)

            def dice_coef_loss(y_true, y_pred):
                return 1 - dice_coef(y_true, y_pred)

            """
        for index in 0..<count {
            let text = index % 10 == 9 || sources.isEmpty ? seed : sources[index % sources.count]
            let path = directory + "/loss_\(index < 10 ? "0" : "")\(index).py"
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { return nil }
        }
        return directory
    }
}
