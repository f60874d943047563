import Foundation
import Testing
@testable import Execution

/// A task's operators give memory back to one another: `TaskContext.reserve` asks the task's
/// other consumers, the last registered first, before it gives up.
@Suite struct TaskMemoryConsumerTests {
    /// Holds a reservation and gives it all back when asked.
    final class Holder: TaskMemoryConsumer {
        let context: TaskContext
        let name: String
        var held: Int
        var log: (String) -> Void

        init(_ name: String, holding bytes: Int, in context: TaskContext, log: @escaping (String) -> Void) {
            self.name = name
            self.context = context
            held = bytes
            self.log = log
            #expect(context.memory.tryReserve(bytes))
            context.register(self)
        }

        func yieldMemory() throws -> Int {
            log(name)
            defer { held = 0 }
            context.memory.release(held)
            return held
        }
    }

    func context(limit: Int) throws -> (TaskContext, StageScheduler, String) {
        let parent = try ShuffleTestSupport.makeSpillParent()
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 1), memoryLimit: limit, spillParent: parent)
        return (ShuffleTestSupport.context(scheduler), scheduler, parent)
    }

    @Test func theTasksOtherConsumersGiveBackTheLastRegisteredFirst() throws {
        let (context, scheduler, parent) = try context(limit: 1100)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        var asked: [String] = []
        let writer = Holder("writer", holding: 400, in: context) { asked.append($0) }
        let partial = Holder("partial", holding: 500, in: context) { asked.append($0) }
        let requester = Holder("requester", holding: 100, in: context) { asked.append($0) }

        // 100 bytes are free: no one is asked.
        #expect(try context.reserve(100, for: requester))
        #expect(asked.isEmpty)
        // 300 more: the partial (registered last apart from the requester) is enough.
        #expect(try context.reserve(300, for: requester))
        #expect(asked == ["partial"])
        #expect(partial.held == 0 && writer.held == 400 && requester.held == 100)
        // 500 more: only the writer is left to ask; the requester never is.
        #expect(try context.reserve(500, for: requester))
        #expect(asked == ["partial", "partial", "writer"])
        // Nothing left to give: the reservation fails and reserves nothing.
        #expect(try !context.reserve(200, for: requester))
        #expect(asked == ["partial", "partial", "writer", "partial", "writer"])
        #expect(scheduler.memory.usedBytes == 100 + 100 + 300 + 500)
        scheduler.memory.release(scheduler.memory.usedBytes)
    }

    /// The context holds its consumers weakly: one that is gone is not asked (and not kept alive).
    @Test func aConsumerThatIsGoneIsNotAsked() throws {
        let (context, scheduler, parent) = try context(limit: 1000)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        var asked: [String] = []
        weak var gone: Holder?
        do {
            let holder = Holder("gone", holding: 0, in: context) { asked.append($0) }
            gone = holder
        }
        #expect(gone == nil)
        #expect(scheduler.memory.tryReserve(1000))
        #expect(try !context.reserve(1, for: context))
        #expect(asked.isEmpty)
        scheduler.memory.release(1000)
    }
}
