import Foundation
import Synchronization
import Testing
import WinsockSSL

// Every test uses its own heap, so counts are exact even while other tests use `UnmanagedHeap.shared`.

@Suite struct UnmanagedHeapTests {
    @Test func addressesArePositiveInt32sThatFitIn31Bits() throws {
        let heap = UnmanagedHeap()
        for size in [0, 1, 4, 17, 4096, 1 << 20] {
            let address = try heap.allocate(size)
            #expect(address != 0)
            #expect(Int32(bitPattern: address) > 0)
            #expect(UInt64(address) + UInt64(size) <= 0x7FFF_FFFF)
        }
    }

    @Test func distinctBlocksGetDistinctAddresses() throws {
        let heap = UnmanagedHeap()
        let addresses = try (0..<100).map { _ in try heap.allocate(8) }
        #expect(Set(addresses).count == 100)
        #expect(heap.liveBlockCount == 100)
    }

    @Test func newBlocksAreZeroFilled() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(64)
        #expect(try heap.read(address, count: 64) == [UInt8](repeating: 0, count: 64))
    }

    @Test func writtenBytesReadBackAtAnyOffsetInTheBlock() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(16)
        try heap.write(address + 4, [1, 2, 3])
        #expect(try heap.read(address + 3, count: 5) == [0, 1, 2, 3, 0])
        try heap.writeUInt32(address + 12, 0x1122_3344)
        #expect(try heap.read(address + 12, count: 4) == [0x44, 0x33, 0x22, 0x11])
        #expect(try heap.readUInt32(address + 12) == 0x1122_3344)
    }

    @Test func lastByteOfABlockIsAccessible() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(10)
        try heap.write(address + 9, [0xAB])
        #expect(try heap.read(address + 9, count: 1) == [0xAB])
    }

    @Test func readingOnePastTheEndThrowsNamingTheBlock() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(10)
        let error = #expect(throws: HeapAccessError.self) { try heap.read(address + 10, count: 1) }
        #expect(error?.address == address + 10)
        #expect(error?.detail.contains("10-byte block at \(UnmanagedHeap.hex(address))") == true)
    }

    @Test func writingOnePastTheEndThrowsNamingTheBlockAndChangesNothing() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(10)
        let error = #expect(throws: HeapAccessError.self) { try heap.write(address + 8, [1, 2, 3]) }
        #expect(error?.detail.contains("10-byte block at \(UnmanagedHeap.hex(address))") == true)
        #expect(try heap.read(address, count: 10) == [UInt8](repeating: 0, count: 10))
    }

    @Test func readRunningPastTheEndThrowsNamingTheBlock() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(10)
        let error = #expect(throws: HeapAccessError.self) { try heap.read(address, count: 11) }
        #expect(error?.detail.contains("10-byte block at \(UnmanagedHeap.hex(address))") == true)
    }

    @Test func addressBeforeAnyBlockIsRefused() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(10)
        #expect(throws: HeapAccessError.self) { try heap.read(address - 1, count: 1) }
        #expect(throws: HeapAccessError.self) { try heap.read(0x7FFF_0000, count: 1) }
    }

    @Test func freeingTwiceThrowsDoubleFree() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(32)
        try heap.free(address)
        let error = #expect(throws: HeapAccessError.self) { try heap.free(address) }
        #expect(error?.detail.contains("double free") == true)
        #expect(heap.liveBlockCount == 0)
    }

    @Test func freeingAnAddressInsideABlockIsRefused() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(32)
        let error = #expect(throws: HeapAccessError.self) { try heap.free(address + 4) }
        #expect(error?.detail.contains("not the start") == true)
        #expect(heap.liveBlockCount == 1)
    }

    @Test func usingAFreedBlockThrowsUseAfterFree() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(32)
        try heap.free(address)
        let readError = #expect(throws: HeapAccessError.self) { try heap.read(address + 8, count: 4) }
        #expect(readError?.detail.contains("use after free") == true)
        let writeError = #expect(throws: HeapAccessError.self) { try heap.write(address, [1]) }
        #expect(writeError?.detail.contains("use after free") == true)
        #expect(heap.block(containing: address) == nil)
    }

    @Test func nullPointerIsRefused() {
        let heap = UnmanagedHeap()
        let readError = #expect(throws: HeapAccessError.self) { try heap.read(0, count: 4) }
        #expect(readError?.detail.contains("null pointer") == true)
        #expect(throws: HeapAccessError.self) { try heap.write(0, [1]) }
        #expect(throws: HeapAccessError.self) { try heap.readNulTerminated(0) }
        #expect(throws: HeapAccessError.self) { try heap.free(0) }
    }

    @Test func blockContainingReportsStartAndSize() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(24)
        #expect(heap.block(containing: address + 23)?.start == address)
        #expect(heap.block(containing: address + 23)?.size == 24)
        #expect(heap.block(containing: address + 24) == nil)
    }

    @Test func readNulTerminatedStopsAtTheFirstNul() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(8)
        try heap.write(address, Array("smtp".utf8) + [0, 0x41, 0])
        #expect(try heap.readNulTerminated(address) == Array("smtp".utf8))
        #expect(try heap.readNulTerminated(address + 5) == [0x41])
    }

    @Test func readNulTerminatedWithoutANulInTheBlockThrows() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(4)
        try heap.write(address, Array("abcd".utf8))
        let error = #expect(throws: HeapAccessError.self) { try heap.readNulTerminated(address) }
        #expect(error?.detail.contains("no NUL terminator") == true)
    }

    @Test func readNulTerminatedUTF16StopsAtTheZeroUnit() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(8)
        try heap.write(address, [0x68, 0, 0x69, 0, 0, 0, 0x41, 0])
        #expect(try heap.readNulTerminatedUTF16(address) == [0x68, 0x69])
    }

    @Test func registeredFunctionIsFoundAtItsAddressUntilUnregistered() throws {
        let heap = UnmanagedHeap()
        let doubled: @Sendable (Int) -> Int = { $0 * 2 }
        let address = try heap.registerFunction(doubled)
        #expect(address != 0)
        #expect(Int32(bitPattern: address) > 0)
        #expect(heap.registeredFunctionCount == 1)
        let found = heap.function(at: address) as? @Sendable (Int) -> Int
        #expect(found?(21) == 42)

        heap.unregisterFunction(address)
        #expect(heap.function(at: address) == nil)
        #expect(heap.registeredFunctionCount == 0)
    }

    @Test func functionsAndDataNeverShareAnAddress() throws {
        let heap = UnmanagedHeap()
        let function = try heap.registerFunction(0)
        let data = try heap.allocate(4)
        #expect(function != data)
        #expect(heap.function(at: data) == nil)
        let error = #expect(throws: HeapAccessError.self) { try heap.read(function, count: 1) }
        #expect(error?.detail.contains("function pointer") == true)
    }

    @Test func concurrentAllocateAndFreeKeepsTheLiveCountExact() throws {
        let heap = UnmanagedHeap()
        let threads = 8
        let rounds = 500
        // Each thread keeps every fourth block; a block shared by two threads would fail the read-back.
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for round in 0..<rounds {
                do {
                    let address = try heap.allocate(8 + round % 24)
                    let mark = [UInt8(thread), UInt8(truncatingIfNeeded: round)]
                    try heap.write(address, mark)
                    guard try heap.read(address, count: 2) == mark else {
                        Issue.record("block at \(UnmanagedHeap.hex(address)) was overwritten by another thread")
                        return
                    }
                    if round % 4 != 0 { try heap.free(address) }
                } catch {
                    Issue.record("\(error)")
                    return
                }
            }
        }
        #expect(heap.liveBlockCount == threads * rounds / 4)
    }

    // MARK: The block found last (the fast path of byte-by-byte reads)

    @Test func aByteLoopStillRefusesTheByteAfterTheBlockAndTheByteBeforeIt() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(10)
        try heap.write(address, Array(1...10))
        // Read the block byte by byte, as the CE hook copies a certificate, so the next access starts from it.
        #expect(try (0..<10).map { try heap.readByte(address + UInt32($0)) } == Array(1...10))
        let pastEnd = #expect(throws: HeapAccessError.self) { try heap.readByte(address + 10) }
        #expect(pastEnd?.detail.contains("past the end of the 10-byte block at \(UnmanagedHeap.hex(address))") == true)
        _ = try heap.readByte(address + 9)
        #expect(throws: HeapAccessError.self) { try heap.readByte(address - 1) }
        _ = try heap.readByte(address)
        let straddling = #expect(throws: HeapAccessError.self) { try heap.readUInt32(address + 8) }
        #expect(straddling?.detail.contains("runs past the end of the 10-byte block") == true)
    }

    @Test func aBlockReadJustBeforeItWasFreedIsAUseAfterFree() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(16)
        _ = try heap.readByte(address + 3)
        try heap.free(address)
        let error = #expect(throws: HeapAccessError.self) { try heap.readByte(address + 3) }
        #expect(error?.detail.contains("use after free") == true)
        #expect(throws: HeapAccessError.self) { try heap.writeByte(address, 1) }
    }

    @Test func aBlockReadJustBeforeAnotherWasAllocatedOrFreedIsStillFoundCorrectly() throws {
        let heap = UnmanagedHeap()
        let first = try heap.allocate(8)
        let second = try heap.allocate(8)
        try heap.write(first, [1, 1, 1, 1, 1, 1, 1, 1])
        try heap.write(second, [2, 2, 2, 2, 2, 2, 2, 2])
        #expect(try heap.readByte(second + 7) == 2)
        // Blocks before it come and go, moving its index in the heap's tables.
        try heap.free(first)
        #expect(try heap.readByte(second + 7) == 2)
        #expect(throws: HeapAccessError.self) { try heap.readByte(first) }
        let third = try heap.allocate(8)
        #expect(try heap.readByte(third) == 0)
        #expect(try heap.readByte(second) == 2)
        let empty = try heap.allocate(0)
        #expect(throws: HeapAccessError.self) { try heap.readByte(empty) }
        #expect(try heap.readByte(second + 1) == 2)
    }

    // MARK: Sealed blocks (what the SSL provider hands a certificate hook)

    @Test func aSealedBlockReadsBackAndRefusesEveryAddressOutsideIt() throws {
        let heap = UnmanagedHeap()
        let bytes: [UInt8] = Array(100..<110)
        let address = try heap.allocate(sealing: bytes)
        #expect(try (0..<10).map { try heap.readByte(address + UInt32($0)) } == bytes)
        #expect(try heap.read(address + 2, count: 3) == [102, 103, 104])
        #expect(try heap.readUInt32(address + 6) == 0x6D6C_6B6A)
        // The thread now holds the block; the checks still fire.
        let pastEnd = #expect(throws: HeapAccessError.self) { try heap.readByte(address + 10) }
        #expect(pastEnd?.detail.contains("past the end of the 10-byte block at \(UnmanagedHeap.hex(address))") == true)
        #expect(throws: HeapAccessError.self) { try heap.readByte(address - 1) }
        #expect(throws: HeapAccessError.self) { try heap.readUInt32(address + 7) }
        #expect(throws: HeapAccessError.self) { try heap.read(address + 9, count: 2) }
        #expect(throws: HeapAccessError.self) { try heap.read(address, count: -1) }
        #expect(throws: HeapAccessError.self) { try heap.readByte(0) }
    }

    @Test func aSealedBlockFreedAfterTheThreadReadItIsAUseAfterFree() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(sealing: [1, 2, 3, 4])
        #expect(try heap.readByte(address + 1) == 2)
        try heap.free(address)
        let error = #expect(throws: HeapAccessError.self) { try heap.readByte(address + 1) }
        #expect(error?.detail.contains("use after free") == true)
        #expect(throws: HeapAccessError.self) { try heap.read(address, count: 4) }
        #expect(throws: HeapAccessError.self) { try heap.readUInt32(address) }
    }

    @Test func writingASealedBlockIsSeenByTheNextReadOnEveryThread() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(sealing: [1, 2, 3, 4])
        #expect(try heap.readByte(address) == 1)
        let before = try onAnotherThread { try heap.readByte(address) }
        #expect(before == 1)
        try heap.writeByte(address, 9)
        #expect(try heap.readByte(address) == 9)
        #expect(try onAnotherThread { try heap.readByte(address) } == 9)
        try heap.write(address + 1, [8, 7])
        #expect(try heap.read(address, count: 4) == [9, 8, 7, 4])
    }

    @Test func sealedBlocksOfTwoHeapsAtTheSameAddressAreNotMixedUp() throws {
        let first = UnmanagedHeap(), second = UnmanagedHeap()
        let a = try first.allocate(sealing: [1, 1, 1, 1])
        let b = try second.allocate(sealing: [2, 2, 2, 2])
        #expect(a == b)
        #expect(try first.readByte(a) == 1)
        #expect(try second.readByte(b) == 2)
        #expect(try first.readByte(a + 3) == 1)
        try second.free(b)
        #expect(throws: HeapAccessError.self) { try second.readByte(b) }
        #expect(try first.readByte(a) == 1)
    }

    @Test func threadsReadingASealedBlockWhileItIsFreedGetItsBytesOrAnError() throws {
        let heap = UnmanagedHeap()
        let bytes = (0..<256).map { UInt8($0) }
        let address = try heap.allocate(sealing: bytes)
        let freed = Atomic<Bool>(false)
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 5) { worker in
            if worker == 0 {
                Thread.sleep(forTimeInterval: 0.01)
                try? heap.free(address)
                freed.store(true, ordering: .releasing)
                return
            }
            while true {
                let wasFreed = freed.load(ordering: .acquiring)
                for offset in 0..<256 {
                    do throws(HeapAccessError) {
                        if try heap.readByte(address + UInt32(offset)) != bytes[offset] { wrong.add(1, ordering: .relaxed) }
                    } catch {
                        if !error.detail.contains("use after free") { wrong.add(1, ordering: .relaxed) }
                    }
                }
                // Once the free is known to be done, every read must fail.
                if wasFreed {
                    if (try? heap.readByte(address)) != nil { wrong.add(1, ordering: .relaxed) }
                    return
                }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
        #expect(heap.liveBlockCount == 0)
    }

    /// Runs `body` on a new thread and returns its result.
    func onAnotherThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let result = Locked<Result<T, any Error>?>(nil)
        let thread = Thread { result.withLock { $0 = Result(catching: body) } }
        thread.start()
        let deadline = Date().addingTimeInterval(10)
        while result.withLock({ $0 == nil }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        return try #require(result.withLock { $0 }).get()
    }

    @Test func hexWritesEightUpperCaseDigits() {
        #expect(UnmanagedHeap.hex(0x1000_00A0) == "0x100000A0")
        #expect(UnmanagedHeap.hex(0x10) == "0x00000010")
    }
}
