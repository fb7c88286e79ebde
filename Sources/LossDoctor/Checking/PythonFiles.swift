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

/// The Python files a list of paths names, the first step of a check: files as given, directories searched
/// for `*.py` (hidden folders, virtual environments and caches skipped), in a stable order. A directory named
/// on the command line may be a symlink; links to directories met while searching are not followed (no
/// cycles), links to files are listed and refused at reading if they leave the repository.
enum PythonFiles {
    /// Folders never searched: they hold other people's code.
    static let skipped: Set<String> = ["venv", "env", "site-packages", "__pycache__", "node_modules", "build", "dist"]

    /// A file to check, or a folder that could not be searched (a finding for that path; the scan goes on).
    struct Entry: Equatable {
        let path: String
        /// Named on the command line itself, rather than found in a directory.
        let named: Bool
        /// Why the folder could not be listed, when it could not.
        var unreadable: String? = nil
    }

    /// A path that names nothing: the run fails as a whole (the CLI exits 2).
    struct NotFound: Error, Equatable {
        let path: String
    }

    /// The files, each with whether it was named itself (rather than found in a directory).
    static func expand(_ paths: [String]) throws(NotFound) -> [Entry] {
        var entries: [Entry] = []
        for path in paths {
            // The system reads a path up to its first NUL: "sub\0x" would be "sub", and every folder
            // found in it "sub" again, without end.
            guard !path.utf8.contains(0), let kind = kind(path, follow: true) else {
                throw NotFound(path: path)
            }
            guard kind == .directory else {
                entries.append(Entry(path: path, named: true))
                continue
            }
            let base = path.hasSuffix("/") ? path : path + "/"
            var found: [Entry] = []
            search(base, "", into: &found)
            entries += found.sorted { $0.path < $1.path }.map { Entry(path: base + $0.path, named: false, unreadable: $0.unreadable) }
        }
        return entries
    }

    enum Kind { case directory, file, link }

    /// What is at `path`: with `follow`, what a symlink points to.
    static func kind(_ path: String, follow: Bool) -> Kind? {
        var status = stat()
        guard (follow ? stat(path, &status) : lstat(path, &status)) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .link
        default: return .file
        }
    }

    /// Adds the `.py` files below `base + relative` (relative paths), depth first; an explicit stack, so a
    /// deep tree cannot overflow ours.
    private static func search(_ base: String, _ relative: String, into found: inout [Entry]) {
        var pending = [relative]
        while let folder = pending.popLast() {
            // Deeper than any project: a loop the walk did not see (bind mounts) must still end.
            guard folder.utf8.count <= 4096 else { continue }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: base + folder)
            } catch {
                found.append(Entry(path: String(folder.dropLast()), named: false,
                                   unreadable: reason(base + folder)))
                continue
            }
            for name in names where !name.hasPrefix(".") && !skipped.contains(name) {
                let path = folder + name
                switch kind(base + path, follow: false) {
                case .directory: pending.append(path + "/")
                case .file, .link: if name.hasSuffix(".py") { found.append(Entry(path: path, named: false)) }
                case nil: found.append(Entry(path: path, named: false, unreadable: reason(base + path)))
                }
            }
        }
    }

    /// Why a folder cannot be listed: the system's reason (`permission denied`).
    private static func reason(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK)
        if descriptor >= 0 { close(descriptor); return "it cannot be listed" }
        return ReadBoundary.reason(errno)
    }
}
