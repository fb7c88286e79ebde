#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Python files a command line names: files as given, directories searched for `*.py` (hidden
/// folders, virtual environments and caches skipped), in a stable order.
enum PythonFiles {
    /// Folders never searched: they hold other people's code.
    static let skipped: Set<String> = ["venv", "env", "site-packages", "__pycache__", "node_modules", "build", "dist"]

    /// The files, each with whether it was named itself (rather than found in a directory).
    static func expand(_ paths: [String]) throws(CLIError) -> [(path: String, named: Bool)] {
        var files: [(path: String, named: Bool)] = []
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CLIError(message: "no such file or directory: '\(path)'")
            }
            let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            guard type == .typeDirectory, let subpaths = try? FileManager.default.subpathsOfDirectory(atPath: path) else {
                files.append((path, true))
                continue
            }
            let found = subpaths
                .filter { relative in
                    let parts = relative.split(separator: "/")
                    return relative.hasSuffix(".py")
                        && !parts.contains { $0.hasPrefix(".") || skipped.contains(String($0)) }
                }
                .sorted()
            files += found.map { ((path.hasSuffix("/") ? path : path + "/") + $0, false) }
        }
        return files
    }
}
