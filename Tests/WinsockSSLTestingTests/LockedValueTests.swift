import Testing
import WinsockSSLTesting

@Test func lockedValueKeepsEveryUpdateFromManyThreads() throws {
    let counter = LockedValue(0)
    let threads = (0..<8).map { _ in
        BackgroundThread { for _ in 0..<1_000 { counter.withLock { $0 += 1 } } }
    }
    for thread in threads { try thread.finish(within: .seconds(30)) }
    #expect(counter.value == 8_000)
}

@Test func lockedValueWithLockReturnsWhatTheBodyReturns() {
    let lines = LockedValue<[String]>(["EHLO"])
    let count = lines.withLock { lines in
        lines.append("QUIT")
        return lines.count
    }
    #expect(count == 2)
    lines.value = []
    #expect(lines.value.isEmpty)
}
