#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `check -o FILE`: the report written whole or not at all. The text goes to a temporary file beside the
/// target and is renamed into place (a reader never sees half a report, a failed write leaves the old one),
/// an existing file keeps its mode, and a target that is one of the checked inputs, a directory, a device or
/// a symlink to one is refused before anything is checked (`-o losses.py` must not overwrite the source).
enum ReportFile {
    /// The path to write to: the target with its symlinks followed when it exists (a symlink to a regular
    /// file is written through, not replaced), else the target itself.
    /// - Throws: a usage error for a target that must not be written.
    static func destination(_ target: String, inputs: [String]) throws(CLIError) -> String {
        guard let real = ReadBoundary.realPath(target) else {
            guard ReadBoundary.isDirectory(Paths.parent(Paths.absolute(target))) else {
                throw CLIError(message: "cannot write the report to '\(target)': its directory does not exist", usage: false)
            }
            var status = stat()
            if lstat(target, &status) == 0 {  // a dangling symlink: writing would create its target, anywhere
                throw CLIError(message: "cannot write the report to '\(target)': it is a symlink to nothing", usage: false)
            }
            return target
        }
        var status = stat()
        guard stat(real, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw CLIError(message: "cannot write the report to '\(target)': it is not a regular file (a directory, device or FIFO)", usage: false)
        }
        if inputs.contains(where: { ReadBoundary.realPath($0) == real }) {
            throw CLIError(message: "cannot write the report to '\(target)': it is one of the files checked")
        }
        return real
    }

    /// Writes `text` to `path` (from `destination`) through a temporary file renamed into place, keeping the
    /// mode of the file it replaces.
    static func write(_ text: String, to path: String) throws(CLIError) {
        let failure = { (reason: String) in CLIError(message: "cannot write the report to '\(path)': \(reason)", usage: false) }
        var existing = stat()
        let umaskNow = umask(0)
        umask(umaskNow)
        let mode: mode_t = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o666 & ~umaskNow
        let directory = Paths.parent(Paths.absolute(path))
        let name = String(path.split(separator: "/").last ?? "report")
        let temporary = (directory == "/" ? "" : directory) + "/.\(name).loss-doctor-\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw failure(ReadBoundary.reason(errno)) }
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let reason = ReadBoundary.reason(errno)
                close(descriptor); unlink(temporary)
                throw failure(reason)
            }
            written += count
        }
        // The mode the file had (or a new file's usual one), set before it becomes visible under its name.
        fchmod(descriptor, mode)
        guard close(descriptor) == 0, rename(temporary, path) == 0 else {
            let reason = ReadBoundary.reason(errno)
            unlink(temporary)
            throw failure(reason)
        }
    }
}

/// `write(2)`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
