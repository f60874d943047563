import Foundation
import Testing

/// `sparrow sql --memory-limit`: a GROUP BY whose shuffle is several times the limit spills,
/// answers right, reports the spill, and leaves spark.local.dir as it found it, also when the
/// query fails after spilling.
@Suite struct SpillCLITests {
    static let rows = 200_000
    static let keys = 50_021

    /// Row `i`: k = i * 7919 mod 50021, v = i mod 1000 (the expected sums are plain arithmetic).
    static func writeInput() throws -> String {
        let path = SparrowProcess.temporaryPath("spill-input.csv")
        var text = "k,v\n"
        text.reserveCapacity(rows * 12)
        for i in 0..<rows { text += "\(i * 7919 % keys),\(i % 1000)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func expectedCSV() -> String {
        var counts = [Int](repeating: 0, count: keys)
        var sums = [Int](repeating: 0, count: keys)
        for i in 0..<rows {
            counts[i * 7919 % keys] += 1
            sums[i * 7919 % keys] += i % 1000
        }
        var lines = ["k,n,s"]
        for k in 0..<keys where counts[k] > 0 { lines.append("\(k),\(counts[k]),\(sums[k])") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func makeLocalDir() throws -> String {
        let path = SparrowProcess.temporaryPath("local-dir")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    /// Runs `body` with the input (`writeInput`) and an empty `spark.local.dir`, both removed after.
    static func withInputAndLocalDir(_ body: (_ input: String, _ localDir: String) throws -> Void) throws {
        let input = try writeInput()
        defer { try? FileManager.default.removeItem(atPath: input) }
        let localDir = try makeLocalDir()
        defer { try? FileManager.default.removeItem(atPath: localDir) }
        try body(input, localDir)
    }

    /// `sparrow sql --analyze` over the input as `t`, CSV out, two threads, spilling into `localDir`.
    static func analyze(_ query: String, input: String, localDir: String, limit: String = "128k",
                        partitions: Int) throws -> SparrowProcess.Result {
        try SparrowProcess.run([
            "sql", "--table", "t=\(input)", "--memory-limit", limit, "--conf", "spark.local.dir=\(localDir)",
            "--conf", "spark.sql.shuffle.partitions=\(partitions)", "--threads", "2", "--format", "csv", "--analyze", query,
        ], timeout: 300)
    }

    /// The size after `label` in --analyze output, in bytes (`shuffle write 1.2 MiB` after
    /// "shuffle write ", `spill=1.2 MiB` after "spill=").
    static func bytes(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        let words = text[range.upperBound...].split(separator: " ", maxSplits: 2)
        guard words.count >= 2, let value = Double(words[0]) else { return nil }
        let unit = words[1].trimmingCharacters(in: CharacterSet(charactersIn: ",()"))
        let scale: [String: Double] = ["B": 1, "KiB": 1024, "MiB": 1_048_576, "GiB": 1_073_741_824]
        return scale[unit].map { value * $0 }
    }

    @Test func groupByOverAShuffleLargerThanTheLimitSpillsAndCleansUp() throws {
        try Self.withInputAndLocalDir { input, localDir in
            let limit = 128 * 1024
            let result = try Self.analyze("SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k ORDER BY k",
                                          input: input, localDir: localDir, partitions: 4)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == Self.expectedCSV())
            let written = try #require(Self.bytes(after: "shuffle write ", in: result.stderr), "\(result.stderr)")
            #expect(written > 4 * Double(limit), "the shuffle should be several times the limit")
            let spilled = try #require(Self.bytes(after: ", spill ", in: result.stderr), "\(result.stderr)")
            #expect(spilled > 0)
            #expect(result.stderr.contains("spill="))
            #expect(try FileManager.default.contentsOfDirectory(atPath: localDir).isEmpty)
        }
    }

    /// A shuffled join whose build side is several times the limit: each task's build rows go to
    /// hash buckets on disk with its probe rows (Grace hash join), the answer is right, the join
    /// reports its spill, and no files remain. The dimension `d` holds the even keys, w = k mod 97.
    @Test func joinWithABuildSideLargerThanTheLimitSpillsAndCleansUp() throws {
        try Self.withInputAndLocalDir { input, localDir in
            let dimension = SparrowProcess.temporaryPath("spill-dimension.csv")
            defer { try? FileManager.default.removeItem(atPath: dimension) }
            try ("k,w\n" + stride(from: 0, to: Self.keys, by: 2).map { "\($0),\($0 % 97)\n" }.joined())
                .write(toFile: dimension, atomically: true, encoding: .utf8)
            var (sum, matched, dimensionSum) = (0, 0, 0)
            for i in 0..<Self.rows {
                let k = i * 7919 % Self.keys
                sum += i % 1000
                if k % 2 == 0 { matched += 1; dimensionSum += k % 97 }
            }
            let result = try SparrowProcess.run([
                "sql", "--table", "t=\(input)", "--table", "d=\(dimension)", "--memory-limit", "128k",
                "--conf", "spark.local.dir=\(localDir)", "--conf", "spark.sql.autoBroadcastJoinThreshold=-1",
                "--conf", "spark.sql.shuffle.partitions=2", "--threads", "2", "--format", "csv", "--analyze",
                "SELECT count(*) AS n, sum(v) AS s, count(w) AS m, sum(w) AS sw FROM t LEFT JOIN d ON t.k = d.k",
            ], timeout: 300)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "n,s,m,sw\n\(Self.rows),\(sum),\(matched),\(dimensionSum)\n")
            let join = try #require(result.stderr.split(separator: "\n").first { $0.contains("ShuffledHashJoinExec") }, "\(result.stderr)")
            #expect(join.contains("BuildSide.right"), "\(join)")
            let spilled = try #require(Self.bytes(after: "spill=", in: String(join)), "\(join)")
            #expect(spilled > 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: localDir).isEmpty)
        }
    }

    /// COUNT(DISTINCT) over more distinct values than the limit holds, alone and beside other
    /// aggregates: the values are grouped first (as Spark plans one distinct argument) by an
    /// aggregation that spills, and the answer is right.
    /// - alone: a two-phase aggregation by group and value, whose final phase spills;
    /// - beside `sum(v)` and `count(*)`: the others' states grouped by group and value, merged
    ///   after the exchange (mode=merge, which spills), then regrouped by group.
    @Test(arguments: [false, true])
    func distinctAggregateOverTheLimitSpills(besideOthers: Bool) throws {
        try Self.withInputAndLocalDir { input, localDir in
            var distinct = [Set<Int>](repeating: [], count: 7)
            var (sums, counts) = ([Int](repeating: 0, count: 7), [Int](repeating: 0, count: 7))
            for i in 0..<Self.rows {
                let g = i % 1000 % 7
                distinct[g].insert(i * 7919 % Self.keys)
                sums[g] += i % 1000
                counts[g] += 1
            }
            let query = besideOthers
                ? "SELECT v % 7 AS g, count(DISTINCT k) AS n, sum(v) AS s, count(*) AS c FROM t GROUP BY 1 ORDER BY 1"
                : "SELECT v % 7 AS g, count(DISTINCT k) AS n, sum(DISTINCT k) AS s FROM t GROUP BY 1 ORDER BY 1"
            let result = try Self.analyze(query, input: input, localDir: localDir, partitions: 2)
            #expect(result.status == 0, "\(result.stderr)")
            let expected = besideOthers
                ? "g,n,s,c\n" + (0..<7).map { "\($0),\(distinct[$0].count),\(sums[$0]),\(counts[$0])\n" }.joined()
                : "g,n,s\n" + (0..<7).map { "\($0),\(distinct[$0].count),\(distinct[$0].reduce(0, +))\n" }.joined()
            #expect(result.stdout == expected)
            let grouping = "HashAggregateExec (mode=\(besideOthers ? "merge" : "final"), keys=[_key0, _key1]"
            let byValue = result.stderr.split(separator: "\n").filter { $0.contains(grouping) }
            #expect(byValue.count == 1 && byValue.allSatisfy { $0.contains("spill=") }, "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: localDir).isEmpty)
        }
    }

    /// COUNT(DISTINCT) over two arguments beside `count(*)`: planned as one argument beside others
    /// is, over the rows expanded once per argument (ExpandExec); the merge spills, nothing runs
    /// in complete mode, and the answer is right.
    @Test func distinctAggregatesOverTwoArgumentsSpill() throws {
        try Self.withInputAndLocalDir { input, localDir in
            var (keys, values) = ([Set<Int>](repeating: [], count: 7), [Set<Int>](repeating: [], count: 7))
            var counts = [Int](repeating: 0, count: 7)
            for i in 0..<Self.rows {
                let g = i % 1000 % 7
                keys[g].insert(i * 7919 % Self.keys)
                values[g].insert(i % 1000)
                counts[g] += 1
            }
            let result = try Self.analyze(
                "SELECT v % 7 AS g, count(DISTINCT k) AS n, count(DISTINCT v) AS m, count(*) AS c FROM t GROUP BY 1 ORDER BY 1",
                input: input, localDir: localDir, partitions: 2)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "g,n,m,c\n" + (0..<7).map { "\($0),\(keys[$0].count),\(values[$0].count),\(counts[$0])\n" }.joined())
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.contains { $0.contains("ExpandExec") }, "\(result.stderr)")
            #expect(lines.contains { $0.contains("HashAggregateExec (mode=merge, keys=[_key0, _key1, _key2]") && $0.contains("spill=") },
                    "\(result.stderr)")
            #expect(!lines.contains { $0.contains("mode=complete") }, "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: localDir).isEmpty)
        }
    }

    /// DISTINCT beside other aggregates over 50,021 groups: the regrouping by `k` above the merge
    /// step (in the same task) gives its memory back when the merge needs it, so the merge splits
    /// its input once, at most a file per bucket and partition. Before, the regrouping kept the
    /// memory while the merge worked through its buckets, and each bucket split again: 179 files
    /// at this limit. (Every (k, v) pair is distinct: 200,000 of them, and the sum of i mod 1000
    /// over 200,000 rows is 200 × 499,500.)
    @Test func mergeStepSplitsOnceWhileTheRegroupingAboveGivesWay() throws {
        try Self.withInputAndLocalDir { input, localDir in
            let result = try Self.analyze(
                "SELECT count(*) AS groups, sum(n) AS pairs, sum(s) AS total FROM (SELECT k, count(DISTINCT v) AS n, sum(v) AS s, count(*) AS c FROM t GROUP BY k)",
                input: input, localDir: localDir, limit: "1m", partitions: 2)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "groups,pairs,total\n50021,200000,99900000\n")
            let merge = result.stderr.split(separator: "\n").first { $0.contains("HashAggregateExec (mode=merge") }.map(String.init) ?? ""
            let files = merge.firstMatch(of: /spill=[^(]*\((\d+) files?\)/).flatMap { Int($0.1) }
            #expect(files != nil && files! <= 2 * 16, "\(merge)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: localDir).isEmpty)
        }
    }

    /// The reduce stage overflows after the map stage spilled: exit 1, the error, no files.
    @Test func queryFailingAfterSpillingLeavesNoFiles() throws {
        try Self.withInputAndLocalDir { input, localDir in
            let result = try SparrowProcess.run([
                "sql", "--table", "t=\(input)", "--memory-limit", "128k", "--conf", "spark.local.dir=\(localDir)",
                "--threads", "2", "--format", "csv",
                "SELECT k, sum(v) * 9223372036854775807 AS overflow FROM t GROUP BY k",
            ], timeout: 300)
            #expect(result.status == 1)
            #expect(!result.crashed)
            #expect(result.stderr.contains("overflow"), "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: localDir).isEmpty)
        }
    }

    /// Ctrl-C while the query spills: the process ends by the signal and its spill directory goes.
    /// `sparrow sql` arguments for a GROUP BY over `input` that spills into `localDir`.
    static func spillingQuery(input: String, localDir: String) -> [String] {
        ["sql", "--table", "t=\(input)", "--memory-limit", "64k", "--conf", "spark.local.dir=\(localDir)",
         "--threads", "2", "--format", "null", "SELECT k, count(*), sum(v) FROM t GROUP BY k ORDER BY k"]
    }

    /// Runs `sparrow arguments` and sends it `signal` once its spill directory appears in
    /// `localDir`; returns the ended process and the directory's name (nil if the query ended
    /// first). A process that does not end after the signal is stopped after a minute.
    static func signalWhileSpilling(_ signal: Int32, _ arguments: [String], localDir: String) throws -> (Process, String?) {
        let process = Process()
        process.executableURL = SparrowProcess.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(120)
        var directory: String?
        while process.isRunning && ContinuousClock.now < deadline {
            if let name = try FileManager.default.contentsOfDirectory(atPath: localDir).first(where: { $0.hasPrefix("sparrow-spill-") }) {
                directory = name
                kill(process.processIdentifier, signal)
                break
            }
            usleep(2000)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { process.terminate() } }
        process.waitUntilExit()
        return (process, directory)
    }

    @Test func interruptedQueryLeavesNoFiles() throws {
        try Self.withInputAndLocalDir { input, localDir in
            let (process, directory) = try Self.signalWhileSpilling(SIGINT, Self.spillingQuery(input: input, localDir: localDir), localDir: localDir)
            try #require(directory != nil, "the query ended before it could be interrupted while spilling")
            // Ended by SIGINT itself (or, where the signal cannot be re-raised, with status 128 + 2).
            let endedBySignal = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT
            #expect(endedBySignal || (process.terminationReason == .exit && process.terminationStatus == 130),
                    "\(process.terminationReason) \(process.terminationStatus)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: localDir).isEmpty)
        }
    }

    /// A process killed outright leaves its spill directory behind; the next process to spill into
    /// the same parent removes it, and leaves those of running processes and of other hosts.
    @Test func theNextQueryRemovesTheDirectoryOfAKilledOne() throws {
        try Self.withInputAndLocalDir { input, localDir in
            let arguments = Self.spillingQuery(input: input, localDir: localDir)
            let (process, abandoned) = try Self.signalWhileSpilling(SIGKILL, arguments, localDir: localDir)
            let name = try #require(abandoned, "the query ended before it could be killed while spilling")
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
            #expect(FileManager.default.fileExists(atPath: localDir + "/" + name), "SIGKILL leaves the directory")

            // sparrow-spill-<host>-<pid>-<uuid>: a directory of this (running) test process, and one
            // of the killed process's id under another host key, stay.
            let host = String(name.dropFirst("sparrow-spill-".count).prefix { $0 != "-" })
            #expect(name.hasPrefix("sparrow-spill-\(host)-\(process.processIdentifier)-"))
            let running = "sparrow-spill-\(host)-\(getpid())-kept"
            let otherHost = "sparrow-spill-\(host == "00000000" ? "11111111" : "00000000")-\(process.processIdentifier)-kept"
            for kept in [running, otherHost] { try FileManager.default.createDirectory(atPath: localDir + "/" + kept, withIntermediateDirectories: false) }
            let next = try SparrowProcess.run(arguments)
            #expect(next.status == 0, "\(next.stderr)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: localDir)) == [running, otherHost])
        }
    }

    @Test func badLimitsAreUsageErrors() throws {
        for bad in ["0", "12q", "-5m"] {
            let result = try SparrowProcess.run(["sql", "--memory-limit", bad, "SELECT 1"])
            #expect(result.status != 0)
            #expect(!result.crashed)
            #expect(result.stderr.contains("--memory-limit"))
        }
        let missing = try SparrowProcess.run(["sql", "--memory-limit", "64k", "--conf", "spark.local.dir=/nonexistent/dir",
                                              "--table", "o=\(SparrowProcess.repositoryRoot.path)/Fixtures/sql/data/lineitem.parquet",
                                              "SELECT l_orderkey, count(*) FROM o GROUP BY 1"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/dir"))
    }
}
