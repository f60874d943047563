/// Memory that its holder can write to disk when another operator of the query needs the room.
public protocol SpillableMemory: AnyObject, Sendable {
    /// Writes what it holds in memory to disk and releases its reservation; returns the bytes
    /// released (0 when there was nothing to spill, or another spill is under way).
    func spillToDisk() throws -> Int
}
