#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Path arithmetic on `/`-separated strings: what configuration discovery, per-file ignores and
/// repository-relative SARIF locations need.
enum Paths {
    /// The current directory.
    static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    /// `path` made absolute against `base` and normalised (no `.`, `..` or doubled slashes).
    static func absolute(_ path: String, base: String = currentDirectory) -> String {
        normalized(path.hasPrefix("/") ? path : base + "/" + path)
    }

    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The directory holding `path` (an absolute, normalised path); `/` for `/`.
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// `path` relative to `directory` when it lies inside it (both absolute and normalised), else nil.
    static func relative(_ path: String, to directory: String) -> String? {
        if directory == "/" { return String(path.dropFirst()) }
        if path == directory { return "." }
        guard path.hasPrefix(directory + "/") else { return nil }
        return String(path.dropFirst(directory.count + 1))
    }

    /// A path for messages: relative to the current directory when inside it, else as given.
    static func display(_ path: String) -> String {
        relative(absolute(path), to: normalized(currentDirectory)) ?? path
    }

    static func isFile(_ path: String) -> Bool {
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        return type == .typeRegular || type == .typeSymbolicLink
    }

    /// The root of the repository holding `directory`: the nearest ancestor with a `.git` entry; nil when
    /// there is none.
    static func repositoryRoot(from directory: String = currentDirectory) -> String? {
        var current = normalized(directory)
        while true {
            if FileManager.default.fileExists(atPath: current == "/" ? "/.git" : current + "/.git") { return current }
            if current == "/" { return nil }
            current = parent(current)
        }
    }
}
