/// Which group each row of a batch belongs to, as seen by accumulator kernels.
///
/// Kernels are generic over it so that the global aggregate (every row in group 0) and the
/// grouped one share a loop body and both get a specialised loop.
protocol GroupMapping {
    func group(_ row: Int) -> Int
}

/// Every row in group 0: aggregates without GROUP BY.
struct SingleGroup: GroupMapping {
    @inline(__always) func group(_ row: Int) -> Int { 0 }
}

/// One group id per row.
struct GroupIDs: GroupMapping {
    let ids: UnsafePointer<Int32>
    @inline(__always) func group(_ row: Int) -> Int { Int(ids[row]) }
}
