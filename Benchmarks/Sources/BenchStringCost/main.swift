import Glibc

// What one `String` costs, next to the C line reader's way of handing out a line (a pointer into its
// buffer). .NET's `StreamReader.ReadLine()` returns a new string per line, so the NetCF reader must make
// one; this prints what that costs on this machine, for the reasoning in ../../BENCHMARKS.md.
//
//   swift run -c release --package-path Benchmarks BenchStringCost

/// A 70-byte SMTP reply line, the average length of the benchmark server's lines.
let line = Array("250-01234 mail relay queue accepted message bench localhost status ok!".utf8)
let iterations = 5_000_000

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// `value` with one decimal.
func tenths(_ value: Double) -> String {
    let scaled = Int((value * 10).rounded())
    return "\(scaled / 10).\(scaled % 10)"
}

/// Nanoseconds per call of `body`, best of five runs.
func measure(_ body: () -> Int) -> (nanoseconds: Double, checksum: Int) {
    var best = Double.infinity
    var checksum = 0
    for _ in 0..<5 {
        let started = now()
        checksum &+= body()
        best = min(best, (now() - started) / Double(iterations) * 1e9)
    }
    return (best, checksum)
}

line.withUnsafeBufferPointer { bytes in
    let string = measure {
        var total = 0
        for _ in 0..<iterations { total &+= String(decoding: bytes, as: UTF8.self).utf8.count }
        return total
    }
    let copy = measure {
        var total = 0
        for _ in 0..<iterations {
            let block = malloc(bytes.count)!
            memcpy(block, bytes.baseAddress!, bytes.count)
            total &+= Int(block.load(as: UInt8.self))
            free(block)
        }
        return total
    }
    let borrowed = measure {
        var total = 0
        for _ in 0..<iterations {
            // What the C reader does per line: find the end, hand out a pointer and a length.
            let end = memchr(bytes.baseAddress!, 0x21, bytes.count)!
            total &+= UnsafeRawPointer(end) - UnsafeRawPointer(bytes.baseAddress!)
        }
        return total
    }
    print("\(bytes.count)-byte line, best of 5 runs of \(iterations):")
    print("  String(decoding:as: UTF8.self), then released  \(tenths(string.nanoseconds)) ns")
    print("  malloc + memcpy + free                         \(tenths(copy.nanoseconds)) ns"
          + " (the String costs \(tenths(string.nanoseconds / copy.nanoseconds))x this)")
    print("  memchr to the end, no copy (the C reader)      \(tenths(borrowed.nanoseconds)) ns")
    if string.checksum == 0 || copy.checksum == 0 || borrowed.checksum == 0 { print("(checksums are zero)") }
}
