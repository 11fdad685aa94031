import Foundation
import Glibc

/// CPU seconds spent in a process's or thread's own code (user) and in the kernel on its
/// behalf (system): every benchmark's CPU figure comes from here.
struct CPUTimes {
    var user: Double
    var system: Double

    var total: Double { user + system }

    func subtracting(_ earlier: CPUTimes) -> CPUTimes {
        CPUTimes(user: user - earlier.user, system: system - earlier.system)
    }

    /// Another process's times so far, from /proc (in clock ticks).
    static func ofProcess(_ pid: Int32) -> CPUTimes {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return CPUTimes(user: 0, system: 0) }
        // Fields after the command name; utime and stime are the 14th and 15th of the line.
        let fields = text[text.index(after: close)...].split(separator: " ")
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        return CPUTimes(user: (Double(fields[11]) ?? 0) / tick, system: (Double(fields[12]) ?? 0) / tick)
    }

    /// This process's times so far.
    static func ofThisProcess() -> CPUTimes {
        usage(RUSAGE_SELF.rawValue)
    }

    /// The calling thread's times so far. The split is tick-sampled by the kernel, so it means
    /// something only over many milliseconds.
    static func ofThisThread() -> CPUTimes {
        // RUSAGE_THREAD (1) is Linux's, and Glibc does not export it to Swift.
        usage(__rusage_who_t(1))
    }

    private static func usage(_ who: __rusage_who_t) -> CPUTimes {
        var usage = rusage()
        getrusage(who, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return CPUTimes(user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
    }
}
