#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The number of online processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
public enum ProcessInfoCores {
    public static let count: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
