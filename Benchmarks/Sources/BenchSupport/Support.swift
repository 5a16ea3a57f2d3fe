import Glibc

// What every Swift peer of the benchmark shares: timing, CPU and memory readings, the JSON line each run
// prints, and how a peer gives up. Same measurements as C/client.c.

/// The size of one write and one read in the bulk workload.
public let chunk = 64 * 1024

/// Prints "PROGRAM: message" on standard error and exits 1; `Benchmarks/run` shows it and goes on.
public func fail(_ message: String) -> Never {
    let program = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? "bench"
    let text = "\(program): \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(1)
}

/// Seconds on the monotonic clock.
public func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// User plus system CPU seconds of this process so far (`getrusage`), all threads included.
public func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

/// Resident memory in KiB, from `/proc/self/statm`.
public func residentKB() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { fail("statm") }
    defer { fclose(file) }
    var pages = 0, resident = 0
    guard withUnsafeMutablePointer(to: &pages, { p in withUnsafeMutablePointer(to: &resident) { r in
        withVaList([p, r]) { vfscanf(file, "%ld %ld", $0) } } }) == 2 else { fail("statm") }
    return resident * sysconf(Int32(_SC_PAGESIZE)) / 1024
}

/// The whole file as text (the CA certificate PEM).
public func readFile(_ path: String) -> String {
    guard let file = fopen(path, "r") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Prints one JSON object (values already JSON) on one line: the result `report.py` reads.
public func emit(_ fields: [(String, String)]) {
    print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}
