#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where LossDoctor may read: the repository of the paths it checks. A pull request can add a symlink
/// (`losses.py -> /proc/self/environ`, `utils -> /home/runner`); every file read (checked files, imported
/// modules, configuration) is resolved with its symlinks followed and refused when it lands outside the
/// roots or on a special file, so CI secrets never reach a report.
struct ReadBoundary: Sendable, Hashable {
    /// Real paths (symlinks resolved) of the directories inside which reading is allowed.
    let roots: [String]

    /// Directories whose content is never source or configuration, even inside a root.
    static let specialPrefixes = ["/proc", "/sys", "/dev", "/run"]

    init(roots: [String]) {
        self.roots = roots.compactMap(ReadBoundary.realPath)
    }

    /// The boundary of a command line: for each path, the repository holding it (the nearest ancestor with
    /// `.git`), or without one the package it lies in (a library's file imports its own package:
    /// `kornia/losses/dice.py` reads `kornia/core/check.py`), else the directory given (a file's own directory).
    static func commandLine(_ paths: [String]) -> ReadBoundary {
        ReadBoundary(roots: paths.map { path in
            let absolute = Paths.absolute(path)
            let directory = isDirectory(absolute) ? absolute : Paths.parent(absolute)
            return Paths.repositoryRoot(from: directory) ?? packageRoot(of: directory)
        })
    }

    /// The top directory of the `__init__.py` chain `directory` is in (`site-packages/kornia` for
    /// `site-packages/kornia/losses`), or `directory` itself when it is no package. The directory above the
    /// package (site-packages, with every other package) stays outside.
    static func packageRoot(of directory: String) -> String {
        var top = directory
        for _ in 0..<64 {
            let parent = Paths.parent(top)
            guard Paths.isFile(top + "/__init__.py"), parent != top, !parent.isEmpty, Paths.isFile(parent + "/__init__.py") else { break }
            top = parent
        }
        return top
    }

    /// The boundary of one file or directory checked on its own (the library's entry points).
    static func around(_ path: String) -> ReadBoundary {
        commandLine([path])
    }

    /// Why a path is not read.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        /// It does not exist (or a symlink on the way is dangling).
        case missing
        /// It resolves outside every root, to this real path.
        case outside(String)
        /// It resolves to a device, FIFO, socket, directory or a file of /proc, /sys or /dev.
        case special(String)

        /// Lowercase, no trailing period: `resolves outside the repository: it is not read`. The target is
        /// not named: where the runner keeps things is none of the report's business.
        var description: String {
            switch self {
            case .missing: "does not exist"
            case .outside: "resolves outside the repository: it is not read"
            case .special: "is not a regular file (a device, FIFO, socket or system file): it is not read"
            }
        }
    }

    /// The real path of `path` when it may be read: inside a root and a regular file.
    func resolve(_ path: String) -> Result<String, Refusal> {
        guard let real = Self.realPath(path) else { return .failure(.missing) }
        if Self.specialPrefixes.contains(where: { real == $0 || real.hasPrefix($0 + "/") }) { return .failure(.special(real)) }
        guard contains(real) else { return .failure(.outside(real)) }
        var status = stat()
        guard stat(real, &status) == 0 else { return .failure(.missing) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.special(real)) }
        return .success(real)
    }

    /// Whether a real path lies inside a root.
    func contains(_ real: String) -> Bool {
        roots.contains { Paths.relative(real, to: $0) != nil }
    }

    /// `realpath(3)`: absolute, every symlink followed; nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard !path.utf8.contains(0) else { return nil }  // the system would read only up to the NUL
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Why a file could not be read.
    enum ReadFailure: Error, Equatable {
        case refused(Refusal)
        /// `open` or `read` failed: the system's reason (`Permission denied`).
        case unreadable(String)
        case tooLarge
    }

    /// The bytes of a regular file inside the boundary, at most `limit` of them: opened without following
    /// a symlink swapped in since `resolve`, without blocking, and read one byte past the limit so a file
    /// that grew since is caught too.
    func read(_ path: String, limit: Int) -> Result<[UInt8], ReadFailure> {
        let real: String
        switch resolve(path) {
        case .success(let resolved): real = resolved
        case .failure(let refusal): return .failure(.refused(refusal))
        }
        let descriptor = open(real, O_RDONLY | O_NONBLOCK | O_NOFOLLOW)
        guard descriptor >= 0 else { return .failure(.unreadable(Self.reason(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(Self.reason(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.refused(.special(real))) }
        guard Int(status.st_size) <= limit else { return .failure(.tooLarge) }
        let capacity = limit < Int.max ? limit + 1 : limit
        var bytes = [UInt8](repeating: 0, count: Swift.min(capacity, Int(status.st_size) + 1))
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { return .failure(.unreadable(Self.reason(errno))) }
            if got == 0 { break }
            count += got
        }
        guard count <= limit else { return .failure(.tooLarge) }
        guard count <= Int(status.st_size) else { return .failure(.unreadable("it changed while being read")) }
        return .success(Array(bytes[..<count]))
    }

    /// `Permission denied`, lowercased as messages are.
    static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }
}

/// `read(2)`, under a name the method above does not hide.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
