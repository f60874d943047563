/// An operator of a task that can give back the memory it reserved when another operator of the
/// same task needs it (Spark's task memory manager spilling a task's other consumers): a partial
/// aggregation passes its groups on, a shuffle's map writer spills what it buffered.
///
/// `yieldMemory` is called on the task's own thread, from inside a reservation another operator
/// of the task makes while this one waits for its input or is idle, so it needs no locking.
protocol TaskMemoryConsumer: AnyObject {
    /// Gives back what it can of its reservation; returns the bytes released.
    func yieldMemory() throws -> Int
}
