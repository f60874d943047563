import Foundation

/// The few system calls spill files need, with errors that name the file.
enum SpillIO {
    static func failure(_ path: String, _ action: String) -> ExecutionError {
        SpillDirectory.waitIfTerminating()
        return .output(path: path, detail: "cannot \(action) spill file: \(String(cString: strerror(errno)))")
    }

    /// Creates a new file for writing (never an existing one), readable by the owner only.
    static func create(_ path: String) throws -> Int32 {
        SpillDirectory.waitIfTerminating()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path, "create") }
        return fd
    }

    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            SpillDirectory.waitIfTerminating()
            throw ExecutionError.input(path: path, detail: "cannot open spill file: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// Writes all of `bytes`, retrying partial writes and interruptions.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(path, "write")
            }
            offset += written
        }
    }

    /// Reads exactly `buffer.count` bytes at `offset`; a short file is an error.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws {
        var done = 0
        while done < buffer.count {
            let got = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                throw ExecutionError.input(path: path, detail: "cannot read spill file: \(String(cString: strerror(errno)))")
            }
            if got == 0 { throw ExecutionError.input(path: path, detail: "spill file ends at byte \(offset + done), \(buffer.count - done) bytes early") }
            done += got
        }
    }

    /// The file's size in bytes.
    static func size(_ fd: Int32, path: String) throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ExecutionError.input(path: path, detail: "cannot stat spill file: \(String(cString: strerror(errno)))") }
        return Int(info.st_size)
    }
}
