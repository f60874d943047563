import Columnar
import Synchronization


/// A key that fits in a machine integer: the whole key row of up to 16 bytes.
protocol TableKey: FixedWidthInteger, UnsignedInteger, BitwiseCopyable {
    var tableHash: UInt64 { get }
}

extension UInt64: TableKey {
    @inline(__always) var tableHash: UInt64 { ValueHashing.mix(self) }
}

extension UInt128: TableKey {
    @inline(__always) var tableHash: UInt64 { ValueHashing.mix(self) }
}

/// The key row of each group, in group order, and the group that NULL keys form: what the
/// fixed-width key tables keep beside their slots.
final class GroupKeyList<Key: TableKey> {
    let keys = StateArray(elementWidth: MemoryLayout<Key>.size)
    private(set) var count = 0
    private(set) var nullGroup: Int?

    /// Adds a group with this key row; returns its id.
    func add(_ key: Key) -> Int {
        precondition(count < Int(Int32.max), "more than 2^31 groups")
        let group = count
        keys.grow(to: group + 1)
        keys.pointer(as: Key.self)[group] = key
        count += 1
        return group
    }

    /// The NULL group's id, created on first use.
    func nullGroupID() -> Int32 {
        if let nullGroup { return Int32(nullGroup) }
        let group = add(0)
        nullGroup = group
        return Int32(group)
    }
}

/// How the tables look up rows: a block at a time, each row's slot (and what it points to) read
/// for the whole block first. Those are independent loads whose cache misses overlap, where the
/// lookups proper, which may insert, would take them one after another: a quarter less time for
/// tables much larger than the cache (millions of DISTINCT pairs).
enum TableBlock {
    static let rows = 64
    /// Tables of at most this many slots stay in a core's cache: their rows are looked up one
    /// by one, since touching the slots first would only cost a second load of each.
    static let cachedSlots = 8192

    /// `ids[row]`: the NULL group for rows whose bit in `present` is clear, else `find(row, hash(row))`,
    /// after `touch(hash(row))` for every row of the row's block unless the table of `slotCount`
    /// slots is `cachedSlots` or fewer.
    @inline(__always)
    static func lookUp(count: Int, present: UnsafeRawPointer?, ids: UnsafeMutablePointer<Int32>, slotCount: Int,
                       hash: (Int) -> UInt64, touch: (UInt64) -> UInt64,
                       find: (Int, UInt64) -> Int32, nullGroup: () -> Int32) {
        if slotCount <= cachedSlots {
            for row in 0..<count {
                if let present, !Bitmap.isSet(present, row) {
                    ids[row] = nullGroup()
                } else {
                    ids[row] = find(row, hash(row))
                }
            }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: rows) { hashes in
            let hashes = hashes.baseAddress!
            var start = 0
            while start < count {
                let end = min(count, start &+ rows)
                var touched: UInt64 = 0
                for row in start..<end {
                    let h = hash(row)
                    hashes[row &- start] = h
                    touched ^= touch(h)
                }
                keep(touched)
                for row in start..<end {
                    if let present, !Bitmap.isSet(present, row) {
                        ids[row] = nullGroup()
                    } else {
                        ids[row] = find(row, hashes[row &- start])
                    }
                }
                start = end
            }
        }
    }

    /// Keeps a value computed only for its memory reads from being optimised away.
    @inline(never)
    static func keep(_ value: UInt64) { if value == 0x5EED_5EED_5EED_5EED { sink.add(1, ordering: .relaxed) } }
    private static let sink = Atomic<Int>(0)
}

/// Open-addressing (linear probing) map from key rows of up to 16 bytes to dense group ids.
///
/// Slots hold the key itself next to the group id, so a probe touches one cache line and
/// never the per-group key array. The table stays at most half full.
///
/// In front of the slots, while the table is small, a window of `windowSize` keys around the
/// first one maps a key straight to its group: keys from a small range (years, flags, a
/// dimension's codes) skip the hash and the probe (what DuckDB's perfect hash aggregate does,
/// without needing the range in advance).
final class FixedKeyTable<Key: TableKey> {
    private struct Slot {
        var key: Key
        /// Group id + 1; 0 marks an empty slot (so zeroed memory is an empty table).
        var groupPlusOne: UInt32
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    /// Group id + 1 of key `windowLow + i` at `window[i]`, 0 until the key is first seen; one more
    /// entry, always 0, for keys outside the window.
    private let window: UnsafeMutablePointer<UInt32>
    private var windowLow: Key?
    static var windowSize: Int { 1024 }
    private let groups = GroupKeyList<Key>()
    /// Each group's key row, in group order.
    var keys: StateArray { groups.keys }
    var groupCount: Int { groups.count }
    var nullGroup: Int? { groups.nullGroup }

    init() {
        mask = 255
        slots = .allocate(capacity: 256)
        UnsafeMutableRawPointer(slots).initializeMemory(as: UInt8.self, repeating: 0, count: 256 * MemoryLayout<Slot>.stride)
        window = .allocate(capacity: Self.windowSize + 1)
        window.initialize(repeating: 0, count: Self.windowSize + 1)
    }

    deinit {
        slots.deallocate()
        window.deallocate()
    }

    var memoryBytes: Int { (mask + 1) * MemoryLayout<Slot>.stride + keys.memoryBytes + (Self.windowSize + 1) * 4 }

    /// Finds or adds the group of each of `count` keys at `rows`; rows whose bit in `present` is
    /// clear belong to the NULL group instead.
    func findOrInsert(rows: UnsafeRawPointer, count: Int, present: UnsafeRawPointer?, ids: UnsafeMutablePointer<Int32>) {
        let input = rows.assumingMemoryBound(to: Key.self)
        guard count > 0 else { return }
        if mask + 1 <= TableBlock.cachedSlots {
            // A quarter of the window below the first key, the rest above it.
            let low = windowLow ?? (input[0] &- Key(Self.windowSize / 4))
            windowLow = low
            let (window, size) = (self.window, Key(Self.windowSize))
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { misses in
                // The rows the window answers, without a branch or a call; the others (NULL
                // keys, keys outside the window or not seen yet) after, in row order, so that
                // new groups still get their ids in the order the keys first appear.
                let misses = misses.baseAddress!
                var missCount = 0
                for row in 0..<count {
                    var entry = window[Int(truncatingIfNeeded: min(input[row] &- low, size))]
                    if let present { entry &= 0 &- UInt32(truncatingIfNeeded: present.load(fromByteOffset: row >> 3, as: UInt8.self) >> UInt8(row & 7) & 1) }
                    ids[row] = Int32(bitPattern: entry &- 1)
                    misses[missCount] = Int32(truncatingIfNeeded: row)
                    missCount &+= entry == 0 ? 1 : 0
                }
                for i in 0..<missCount {
                    let row = Int(misses[i])
                    if let present, !Bitmap.isSet(present, row) {
                        ids[row] = groups.nullGroupID()
                        continue
                    }
                    let key = input[row]
                    let group = find(key, hash: key.tableHash)
                    let offset = key &- low
                    if offset < size { window[Int(truncatingIfNeeded: offset)] = UInt32(truncatingIfNeeded: group &+ 1) }
                    ids[row] = group
                }
            }
            return
        }
        TableBlock.lookUp(count: count, present: present, ids: ids, slotCount: mask + 1, hash: { input[$0].tableHash }, touch: { hash in
            UInt64(slots[Int(truncatingIfNeeded: hash) & mask].groupPlusOne)
        }, find: { find(input[$0], hash: $1) }, nullGroup: groups.nullGroupID)
    }

    @inline(__always)
    private func find(_ key: Key, hash: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry.groupPlusOne == 0 { return insert(key, at: slot) }
            if entry.key == key { return Int32(truncatingIfNeeded: entry.groupPlusOne &- 1) }
            slot = (slot &+ 1) & mask
        }
    }

    @inline(never)
    private func insert(_ key: Key, at slot: Int) -> Int32 {
        let group = groups.add(key)
        slots[slot] = Slot(key: key, groupPlusOne: UInt32(group + 1))
        if (groupCount + 1) * 2 > mask + 1 { grow() }
        return Int32(group)
    }

    private func grow() {
        let capacity = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: capacity)
        UnsafeMutableRawPointer(slots).initializeMemory(as: UInt8.self, repeating: 0, count: capacity * MemoryLayout<Slot>.stride)
        mask = capacity - 1
        let stored = keys.pointer(as: Key.self)
        for group in 0..<groupCount where group != nullGroup {
            let key = stored[group]
            var slot = Int(truncatingIfNeeded: key.tableHash) & mask
            while slots[slot].groupPlusOne != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Slot(key: key, groupPlusOne: UInt32(group + 1))
        }
    }
}

/// Open-addressing map from 16-byte key rows to dense group ids, with 8-byte slots.
///
/// A slot holds 32 bits of the key's hash next to the group id; the keys themselves stay in the
/// per-group array and are read only when the hash bits match. With a quarter of the slot size
/// of a table holding the keys, big tables (DISTINCT pairs, many groups) fit in a quarter of
/// the memory and rehash faster.
final class CompactKeyTable<Key: TableKey> {
    /// Hash tag << 32 | (group id + 1); 0 marks an empty slot.
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    private let groups = GroupKeyList<Key>()
    /// Each group's key row, in group order.
    var keys: StateArray { groups.keys }
    var groupCount: Int { groups.count }
    var nullGroup: Int? { groups.nullGroup }

    init() {
        mask = 255
        slots = .allocate(capacity: 256)
        slots.initialize(repeating: 0, count: 256)
    }

    deinit { slots.deallocate() }

    var memoryBytes: Int { (mask + 1) * 8 + keys.memoryBytes }

    func findOrInsert(rows: UnsafeRawPointer, count: Int, present: UnsafeRawPointer?, ids: UnsafeMutablePointer<Int32>) {
        let input = rows.assumingMemoryBound(to: Key.self)
        let keys = self.keys
        TableBlock.lookUp(count: count, present: present, ids: ids, slotCount: mask + 1, hash: { input[$0].tableHash }, touch: { hash in
            let entry = slots[Int(truncatingIfNeeded: hash) & mask]
            // The key array moves when it grows: read where it is now.
            return entry == 0 ? 0 : UInt64(truncatingIfNeeded: keys.pointer(as: Key.self)[Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1])
        }, find: { find(input[$0], hash: $1) }, nullGroup: groups.nullGroupID)
    }

    @inline(__always)
    private func find(_ key: Key, hash: UInt64) -> Int32 {
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        let stored = keys.pointer(as: Key.self)
        while true {
            let entry = slots[slot]
            if entry == 0 { return insert(key, hash: hash, at: slot) }
            if entry >> 32 == tag {
                let group = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                if stored[group] == key { return Int32(truncatingIfNeeded: group) }
            }
            slot = (slot &+ 1) & mask
        }
    }

    @inline(never)
    private func insert(_ key: Key, hash: UInt64, at slot: Int) -> Int32 {
        let group = groups.add(key)
        slots[slot] = (hash >> 32) << 32 | UInt64(group + 1)
        if (groupCount + 1) * 2 > mask + 1 { grow() }
        return Int32(group)
    }

    private func grow() {
        let capacity = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        mask = capacity - 1
        let stored = keys.pointer(as: Key.self)
        for group in 0..<groupCount where group != nullGroup {
            let hash = stored[group].tableHash
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = (hash >> 32) << 32 | UInt64(group + 1)
        }
    }
}

/// Open-addressing map from key rows wider than 16 bytes to dense group ids.
///
/// Slots hold 32 bits of the row's hash next to the group id; rows are compared only when
/// those match.
final class WideKeyTable {
    let stride: Int
    /// Hash tag << 32 | (group id + 1); 0 marks an empty slot.
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    let keys: StateArray
    private let hashes = StateArray(elementWidth: 8)
    private(set) var groupCount = 0
    private(set) var nullGroup: Int?

    init(stride: Int) {
        self.stride = stride
        keys = StateArray(elementWidth: stride)
        mask = 255
        slots = .allocate(capacity: 256)
        slots.initialize(repeating: 0, count: 256)
    }

    deinit { slots.deallocate() }

    var memoryBytes: Int { (mask + 1) * 8 + keys.memoryBytes + hashes.memoryBytes }

    func findOrInsert(rows: UnsafeRawPointer, count: Int, present: UnsafeRawPointer?, ids: UnsafeMutablePointer<Int32>) {
        let (stride, keys) = (self.stride, self.keys)
        TableBlock.lookUp(count: count, present: present, ids: ids, slotCount: mask + 1, hash: { ValueHashing.hash(rows + $0 &* stride, count: stride) }, touch: { hash in
            let entry = slots[Int(truncatingIfNeeded: hash) & mask]
            // The key array moves when it grows: read where it is now.
            return entry == 0 ? 0 : keys.base.load(fromByteOffset: (Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1) &* stride, as: UInt64.self)
        }, find: { find(rows + $0 &* stride, hash: $1) }, nullGroup: nullGroupID)
    }

    @inline(__always)
    private func find(_ key: UnsafeRawPointer, hash: UInt64) -> Int32 {
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return insert(key, hash: hash, at: slot) }
            if entry >> 32 == tag {
                let group = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                if Self.equalRows(keys.base + group &* stride, key, words: stride >> 3) { return Int32(truncatingIfNeeded: group) }
            }
            slot = (slot &+ 1) & mask
        }
    }

    /// Key rows are whole words (the stride is a multiple of 8), unused bytes zero.
    @inline(__always)
    private static func equalRows(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, words: Int) -> Bool {
        var difference: UInt64 = 0
        for word in 0..<words {
            difference |= a.loadUnaligned(fromByteOffset: word &* 8, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: word &* 8, as: UInt64.self)
        }
        return difference == 0
    }

    @inline(never)
    private func insert(_ key: UnsafeRawPointer, hash: UInt64, at slot: Int) -> Int32 {
        let group = addGroup(key, hash: hash)
        slots[slot] = (hash >> 32) << 32 | UInt64(group + 1)
        if (groupCount + 1) * 2 > mask + 1 { grow() }
        return Int32(group)
    }

    private func addGroup(_ key: UnsafeRawPointer?, hash: UInt64) -> Int {
        precondition(groupCount < Int(Int32.max), "more than 2^31 groups")
        let group = groupCount
        keys.grow(to: group + 1)
        hashes.grow(to: group + 1)
        if let key { (keys.base + group * stride).copyMemory(from: key, byteCount: stride) }
        hashes.pointer(as: UInt64.self)[group] = hash
        groupCount += 1
        return group
    }

    private func nullGroupID() -> Int32 {
        if let nullGroup { return Int32(nullGroup) }
        let group = addGroup(nil, hash: 0)
        nullGroup = group
        return Int32(group)
    }

    private func grow() {
        let capacity = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        mask = capacity - 1
        let stored = hashes.pointer(as: UInt64.self)
        for group in 0..<groupCount where group != nullGroup {
            let hash = stored[group]
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = (hash >> 32) << 32 | UInt64(group + 1)
        }
    }
}
