import Foundation
import Testing
import Sparrow

/// The memory and spill settings: Spark's byte strings (binary units) and `spark.local.dir`.
@Suite struct MemoryConfigTests {
    @Test func memoryLimitTakesSparkSizes() throws {
        let session = Session(threads: 2)
        try session.setConf("sparrow.memory.limit", "512m")
        #expect(session.conf.execution.memoryLimit == 512 * 1024 * 1024)
        try session.setConf("sparrow.memory.limit", "2g")
        #expect(session.conf.execution.memoryLimit == 2 * 1024 * 1024 * 1024)
        #expect(session.conf.get("sparrow.memory.limit") == "2g")
        for bad in ["0", "-1m", "lots", ""] {
            #expect(throws: SessionError.self) { try session.setConf("sparrow.memory.limit", bad) }
        }
        #expect(session.conf.execution.memoryLimit == 2 * 1024 * 1024 * 1024)
    }

    @Test func localDirTakesTheFirstOfAList() throws {
        let session = Session(threads: 2)
        #expect(session.conf.execution.spillDirectory == FileManager.default.temporaryDirectory.path)
        try session.setConf("spark.local.dir", "/data/a, /data/b")
        #expect(session.conf.execution.spillDirectory == "/data/a")
        #expect(throws: SessionError.self) { try session.setConf("spark.local.dir", " , ") }
        #expect(session.conf.execution.spillCompression)
        try session.setConf("spark.shuffle.spill.compress", "false")
        #expect(!session.conf.execution.spillCompression)
        #expect(throws: SessionError.self) { try session.setConf("spark.shuffle.spill.compress", "maybe") }
    }

    @Test func setStatementChangesTheLimit() throws {
        let session = Session(threads: 2)
        _ = try session.sql("SET sparrow.memory.limit=64k")
        #expect(session.conf.execution.memoryLimit == 65536)
    }
}
