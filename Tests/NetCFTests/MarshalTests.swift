import NetCF
import Testing
import WinsockSSL

// Marshal works on `UnmanagedHeap.shared`, which other tests use at the same time, so these tests check
// their own blocks (`block(containing:)`) rather than global counts.

@Suite struct MarshalMemoryTests {
    @Test func allocHGlobalGivesAPositive32BitAddressOfZeroedMemory() throws {
        let p = try Marshal.AllocHGlobal(16)
        defer { try? Marshal.FreeHGlobal(p) }
        #expect(p != IntPtr.Zero)
        #expect(p.ToInt32() > 0)
        #expect(try Marshal.ReadInt32(p) == 0)
        #expect(try Marshal.ReadInt32(p, 12) == 0)
    }

    @Test func freeHGlobalReleasesTheBlock() throws {
        let p = try Marshal.AllocHGlobal(8)
        #expect(UnmanagedHeap.shared.block(containing: p.address)?.size == 8)
        try Marshal.FreeHGlobal(p)
        #expect(UnmanagedHeap.shared.block(containing: p.address) == nil)
    }

    @Test func freeHGlobalOfZeroDoesNothing() throws {
        try Marshal.FreeHGlobal(IntPtr.Zero)
    }

    @Test func allocHGlobalWithANegativeSizeThrowsArgumentOutOfRange() {
        #expect(throws: ArgumentOutOfRangeException.self) { try Marshal.AllocHGlobal(-1) }
    }

    @Test func bytesWrittenReadBackWithAndWithoutOffset() throws {
        let p = try Marshal.AllocHGlobal(4)
        defer { try? Marshal.FreeHGlobal(p) }
        try Marshal.WriteByte(p, 0xA1)
        try Marshal.WriteByte(p, 3, 0xD4)
        #expect(try Marshal.ReadByte(p) == 0xA1)
        #expect(try Marshal.ReadByte(p, 3) == 0xD4)
        #expect(try Marshal.ReadByte(p, 1) == 0)
    }

    @Test func int32IsStoredLittleEndianWithAndWithoutOffset() throws {
        let p = try Marshal.AllocHGlobal(8)
        defer { try? Marshal.FreeHGlobal(p) }
        try Marshal.WriteInt32(p, 0x0102_0304)
        try Marshal.WriteInt32(p, 4, -2)
        #expect(try Marshal.ReadInt32(p) == 0x0102_0304)
        #expect(try Marshal.ReadInt32(p, 4) == -2)
        #expect(try Marshal.ReadByte(p) == 0x04)
        #expect(try Marshal.ReadByte(p, 3) == 0x01)
        #expect(try Marshal.ReadByte(p, 4) == 0xFE)
    }

    @Test func intPtrIsFourBytesAndReadsBackWithAndWithoutOffset() throws {
        #expect(IntPtr.Size == 4)
        #expect(Marshal.SizeOf(IntPtr.self) == 4)
        let p = try Marshal.AllocHGlobal(8)
        defer { try? Marshal.FreeHGlobal(p) }
        let target = try Marshal.AllocHGlobal(1)
        defer { try? Marshal.FreeHGlobal(target) }
        try Marshal.WriteIntPtr(p, target)
        try Marshal.WriteIntPtr(p, 4, IntPtr(1234))
        #expect(try Marshal.ReadIntPtr(p) == target)
        #expect(try Marshal.ReadIntPtr(p, 4) == IntPtr(1234))
        #expect(try Marshal.ReadInt32(p) == target.ToInt32())
    }

    @Test func pointerArithmeticThroughToInt32ReachesTheNextField() throws {
        // The blog's SslHelper builds SSLVALIDATECERTHOOK this way.
        let p = try Marshal.AllocHGlobal(8)
        defer { try? Marshal.FreeHGlobal(p) }
        try Marshal.WriteInt32(IntPtr(p.ToInt32() + 4), 77)
        #expect(try Marshal.ReadInt32(p, 4) == 77)
        #expect(IntPtr(p.ToInt32() + 4) == p + 4)
        #expect(IntPtr.Add(p, 4) - 4 == p)
    }

    @Test func pointerRoundTripsThroughBitConverter() throws {
        let p = try Marshal.AllocHGlobal(4)
        defer { try? Marshal.FreeHGlobal(p) }
        let bytes = BitConverter.GetBytes(p.ToInt32())
        #expect(bytes.count == 4)
        #expect(IntPtr(try BitConverter.ToInt32(bytes, 0)) == p)
        #expect(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24 == p.address)
    }

    @Test func copyMovesBytesToAndFromUnmanagedMemory() throws {
        let p = try Marshal.AllocHGlobal(6)
        defer { try? Marshal.FreeHGlobal(p) }
        try Marshal.Copy([9, 1, 2, 3, 4, 9], 1, p + 1, 4)
        var back = [UInt8](repeating: 0xEE, count: 8)
        try Marshal.Copy(p, &back, 2, 6)
        #expect(back == [0xEE, 0xEE, 0, 1, 2, 3, 4, 0])
    }

    @Test func copyWithABadManagedRangeThrowsArgumentException() throws {
        let p = try Marshal.AllocHGlobal(4)
        defer { try? Marshal.FreeHGlobal(p) }
        #expect(throws: ArgumentException.self) { try Marshal.Copy([1, 2], 1, p, 2) }
        var small = [UInt8](repeating: 0, count: 2)
        #expect(throws: ArgumentException.self) { try Marshal.Copy(p, &small, 0, 3) }
    }
}

@Suite struct MarshalStringTests {
    @Test func ansiStringRoundTripsWithATerminatingNul() throws {
        let p = try Marshal.StringToHGlobalAnsi("smtp.live.com")
        defer { try? Marshal.FreeHGlobal(p) }
        #expect(UnmanagedHeap.shared.block(containing: p.address)?.size == 14)
        #expect(try Marshal.ReadByte(p, 13) == 0)
        #expect(try Marshal.PtrToStringAnsi(p) == "smtp.live.com")
        #expect(try Marshal.PtrToStringAnsi(p, 4) == "smtp")
    }

    @Test func ansiTurnsNonAsciiIntoQuestionMarks() throws {
        let p = try Marshal.StringToHGlobalAnsi("Jo\u{E3}o")
        defer { try? Marshal.FreeHGlobal(p) }
        #expect(try Marshal.PtrToStringAnsi(p) == "Jo?o")
    }

    @Test func unicodeStringRoundTripsAsUTF16LittleEndian() throws {
        let p = try Marshal.StringToHGlobalUni("Jo\u{E3}o \u{1F600}")
        defer { try? Marshal.FreeHGlobal(p) }
        #expect(try Marshal.ReadByte(p) == 0x4A)
        #expect(try Marshal.ReadByte(p, 1) == 0x00)
        #expect(try Marshal.ReadInt16(p, 4) == 0xE3)
        #expect(try Marshal.PtrToStringUni(p) == "Jo\u{E3}o \u{1F600}")
    }

    @Test func nullPointerGivesANullString() throws {
        #expect(try Marshal.PtrToStringAnsi(IntPtr.Zero) == nil)
        #expect(try Marshal.PtrToStringUni(IntPtr.Zero) == nil)
    }
}

@Suite struct MarshalAccessViolationTests {
    @Test func readingPastTheEndThrowsAccessViolation() throws {
        let p = try Marshal.AllocHGlobal(4)
        defer { try? Marshal.FreeHGlobal(p) }
        let error = #expect(throws: AccessViolationException.self) { try Marshal.ReadInt32(p, 1) }
        #expect(error?.Message.hasPrefix("Attempted to read or write protected memory.") == true)
        #expect(error?.heapError?.detail.contains(UnmanagedHeap.hex(p.address)) == true)
        #expect(throws: AccessViolationException.self) { try Marshal.ReadByte(p, 4) }
        #expect(throws: AccessViolationException.self) { try Marshal.WriteByte(p, 4, 1) }
        #expect(throws: AccessViolationException.self) { try Marshal.Copy([1, 2, 3, 4, 5], 0, p, 5) }
    }

    @Test func freeingTwiceThrowsAccessViolation() throws {
        let p = try Marshal.AllocHGlobal(4)
        try Marshal.FreeHGlobal(p)
        let error = #expect(throws: AccessViolationException.self) { try Marshal.FreeHGlobal(p) }
        #expect(error?.heapError?.detail.contains("double free") == true)
    }

    @Test func usingFreedMemoryThrowsAccessViolation() throws {
        let p = try Marshal.AllocHGlobal(4)
        try Marshal.FreeHGlobal(p)
        let error = #expect(throws: AccessViolationException.self) { try Marshal.ReadInt32(p) }
        #expect(error?.heapError?.detail.contains("use after free") == true)
        #expect(throws: AccessViolationException.self) { try Marshal.WriteInt32(p, 1) }
        #expect(throws: AccessViolationException.self) { try Marshal.PtrToStringAnsi(p) }
    }

    @Test func readingThroughANullPointerThrowsAccessViolation() {
        #expect(throws: AccessViolationException.self) { try Marshal.ReadInt32(IntPtr.Zero) }
        #expect(throws: AccessViolationException.self) { try Marshal.WriteByte(IntPtr.Zero, 1) }
    }

    @Test func ansiStringWithoutANulThrowsAccessViolation() throws {
        let p = try Marshal.AllocHGlobal(3)
        defer { try? Marshal.FreeHGlobal(p) }
        try Marshal.Copy(Array("abc".utf8), 0, p, 3)
        #expect(throws: AccessViolationException.self) { try Marshal.PtrToStringAnsi(p) }
    }
}

@Suite struct MarshalDelegateTests {
    @Test func certificateHookDelegateRoundTripsThroughItsFunctionPointer() throws {
        let calls = Locked<[UInt32]>([])
        let hook: SSLVALIDATECERTFUNC = { dwType, pvArg, dwChainLen, pCertChain, dwFlags in
            calls.withLock { $0 = [dwType, pvArg.address, dwChainLen, pCertChain.address, dwFlags] }
            return 7
        }
        let p = try Marshal.GetFunctionPointerForDelegate(hook)
        defer { Marshal.ReleaseFunctionPointer(p) }
        #expect(p != IntPtr.Zero)
        #expect(p.ToInt32() > 0)

        let d = try Marshal.GetDelegateForFunctionPointer(p, SSLVALIDATECERTFUNC.self)
        #expect(try d(1, IntPtr(0x1000), 2, IntPtr(0x2000), 3) == 7)
        #expect(calls.withLock { $0 } == [1, 0x1000, 2, 0x2000, 3])
    }

    @Test func functionPointerPacksIntoAHookStructureWithBitConverter() throws {
        let hook: SSLVALIDATECERTFUNC = { _, _, _, _, _ in 0 }
        let p = try Marshal.GetFunctionPointerForDelegate(hook)
        defer { Marshal.ReleaseFunctionPointer(p) }
        let structure = BitConverter.GetBytes(p.ToInt32()) + BitConverter.GetBytes(Int32(0))
        let unpacked = IntPtr(try BitConverter.ToInt32(structure, 0))
        #expect(unpacked == p)
        #expect(try Marshal.GetDelegateForFunctionPointer(unpacked, SSLVALIDATECERTFUNC.self)(0, .Zero, 0, .Zero, 0) == 0)
    }

    @Test func releasedFunctionPointerCanNoLongerBeTurnedIntoADelegate() throws {
        let hook: SSLVALIDATECERTFUNC = { _, _, _, _, _ in 0 }
        let p = try Marshal.GetFunctionPointerForDelegate(hook)
        Marshal.ReleaseFunctionPointer(p)
        #expect(throws: ArgumentException.self) { try Marshal.GetDelegateForFunctionPointer(p, SSLVALIDATECERTFUNC.self) }
    }

    @Test func dataPointerIsNotAFunctionPointer() throws {
        let p = try Marshal.AllocHGlobal(4)
        defer { try? Marshal.FreeHGlobal(p) }
        let error = #expect(throws: ArgumentException.self) { try Marshal.GetDelegateForFunctionPointer(p, SSLVALIDATECERTFUNC.self) }
        #expect(error?.ParamName == "ptr")
    }

    @Test func delegateAskedForAsAnotherTypeIsRefused() throws {
        let p = try Marshal.GetFunctionPointerForDelegate({ _, _, _, _, _ in 0 } as SSLVALIDATECERTFUNC)
        defer { Marshal.ReleaseFunctionPointer(p) }
        let error = #expect(throws: ArgumentException.self) { try Marshal.GetDelegateForFunctionPointer(p, ((Int) -> Int).self) }
        #expect(error?.ParamName == "t")
    }

    @Test func functionPointerIsNotReadableAsData() throws {
        let hook: SSLVALIDATECERTFUNC = { _, _, _, _, _ in 0 }
        let p = try Marshal.GetFunctionPointerForDelegate(hook)
        defer { Marshal.ReleaseFunctionPointer(p) }
        #expect(throws: AccessViolationException.self) { try Marshal.ReadInt32(p) }
    }
}
