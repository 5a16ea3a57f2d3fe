import NetCF
import Testing

/// The small .NET members ported networking code uses: `Buffer.BlockCopy`, `Array.CopyTo`, the byte-order
/// conversions of `IPAddress`, and `MaxValue`/`MinValue`.
@Suite struct LibraryMembersTests {
    // MARK: Buffer.BlockCopy

    @Test func blockCopyCopiesBytesBetweenByteArrays() throws {
        let source: [byte] = [1, 2, 3, 4, 5, 6]
        var destination = [byte](repeating: 0, count: 8)
        try Buffer.BlockCopy(source, 2, &destination, 1, 3)
        #expect(destination == [0, 3, 4, 5, 0, 0, 0, 0])
        try Buffer.BlockCopy(source, 0, &destination, 0, source.Length)
        #expect(destination == [1, 2, 3, 4, 5, 6, 0, 0])
        try Buffer.BlockCopy(source, 6, &destination, 8, 0)
        #expect(destination == [1, 2, 3, 4, 5, 6, 0, 0])
    }

    @Test func blockCopyWithinOneArrayActsAsThroughATemporary() throws {
        var buffer: [byte] = [1, 2, 3, 4, 5]
        try Buffer.BlockCopy(buffer, 0, &buffer, 1, 4)
        #expect(buffer == [1, 1, 2, 3, 4])
    }

    @Test func blockCopyOffsetsAreBytesForWiderElements() throws {
        let words: [int] = [0x0403_0201, 0x0807_0605]
        var bytes = [byte](repeating: 0, count: 6)
        try Buffer.BlockCopy(words, 1, &bytes, 0, 6)
        #expect(bytes == [2, 3, 4, 5, 6, 7])
        var shorts = [ushort](repeating: 0, count: 2)
        try Buffer.BlockCopy([byte](arrayLiteral: 0x34, 0x12, 0x78, 0x56), 0, &shorts, 0, 4)
        #expect(shorts == [0x1234, 0x5678])
        #expect(Buffer.ByteLength(words) == 8)
    }

    @Test func blockCopyRefusesBadRangesAsDotNetDoesAndCopiesNothing() throws {
        let source: [byte] = [1, 2, 3]
        var destination: [byte] = [0, 0, 0]
        let negative = #expect(throws: ArgumentOutOfRangeException.self) { try Buffer.BlockCopy(source, -1, &destination, 0, 1) }
        #expect(negative?.ParamName == "srcOffset")
        #expect(throws: ArgumentOutOfRangeException.self) { try Buffer.BlockCopy(source, 0, &destination, -1, 1) }
        let count = #expect(throws: ArgumentOutOfRangeException.self) { try Buffer.BlockCopy(source, 0, &destination, 0, -1) }
        #expect(count?.ParamName == "count")
        let tooLong = #expect(throws: ArgumentException.self) { try Buffer.BlockCopy(source, 1, &destination, 0, 3) }
        #expect(tooLong?.Message.hasPrefix("Offset and length were out of bounds") == true)
        #expect(throws: ArgumentException.self) { try Buffer.BlockCopy(source, 0, &destination, 2, 2) }
        #expect(destination == [0, 0, 0])
    }

    // MARK: Array.CopyTo

    @Test func copyToCopiesTheWholeArrayAtTheIndex() throws {
        let encodings: [int] = [5, 1, 0]
        var target = [int](repeating: -1, count: 5)
        try encodings.CopyTo(&target, 1)
        #expect(target == [-1, 5, 1, 0, -1])
        let tooShort = #expect(throws: ArgumentException.self) { try encodings.CopyTo(&target, 3) }
        #expect(tooShort?.Message.hasPrefix("Destination array was not long enough") == true)
        #expect(throws: ArgumentOutOfRangeException.self) { try encodings.CopyTo(&target, -1) }
        #expect(target == [-1, 5, 1, 0, -1])
    }

    enum Encoding32: int {
        case Raw = 0, CopyRect = 1, Hextile = 5
    }

    @Test func copyToCastsEachElementOfAnObjectArray() throws {
        let objects: [Any] = [Encoding32.Hextile, Encoding32.Raw]
        var encodings = [Encoding32](repeating: Encoding32(rawValue: 0)!, count: 3)
        try objects.CopyTo(&encodings, 1)
        #expect(encodings == [.Raw, .Hextile, .Raw])
        let mixed: [Any] = [Encoding32.CopyRect, "text"]
        let error = #expect(throws: InvalidCastException.self) { try mixed.CopyTo(&encodings, 0) }
        #expect(error?.Message.hasPrefix("At least one element") == true)
        #expect(encodings == [.Raw, .Hextile, .Raw])
        #expect(throws: ArgumentException.self) { try objects.CopyTo(&encodings, 2) }
    }

    // MARK: Byte order

    @Test func networkToHostOrderSwapsByTheStaticType() throws {
        #expect(IPAddress.NetworkToHostOrder(int(0x0102_0304)) == 0x0403_0201)
        #expect(IPAddress.NetworkToHostOrder(short(0x0102)) == 0x0201)
        #expect(IPAddress.NetworkToHostOrder(long(0x0102_0304_0506_0708)) == 0x0807_0605_0403_0201)
        #expect(IPAddress.HostToNetworkOrder(short(-2)) == short(bitPattern: 0xFEFF))
        #expect(IPAddress.HostToNetworkOrder(1) == 0x0100_0000)
        let port: short = 25
        #expect(BitConverter.GetBytes(IPAddress.HostToNetworkOrder(port)) == [0, 25])
        #expect(try IPAddress.NetworkToHostOrder(BitConverter.ToInt32([0, 0, 1, 0], 0)) == 256)
    }

    // MARK: MaxValue and MinValue

    @Test func maxValueAndMinValueHaveTheTypeTheyAreReadOn() {
        #expect(ushort.MaxValue == 65535 && ushort.MinValue == 0)
        #expect(short.MaxValue == 32767 && short.MinValue == -32768)
        #expect(int.MaxValue == 2_147_483_647 && int.MinValue == -2_147_483_648)
        #expect(Int32.MaxValue == int.MaxValue)
        #expect(uint.MaxValue == 4_294_967_295)
        #expect(long.MaxValue == 9_223_372_036_854_775_807 && long.MinValue == Int64.min)
        #expect(UInt64.MaxValue == 18_446_744_073_709_551_615)
        #expect(byte.MaxValue == 255 && sbyte.MinValue == -128)
        #expect(double.MaxValue == 1.7976931348623157e308 && double.MinValue == -1.7976931348623157e308)
        #expect(float.MaxValue == 3.4028235e38)
        var id: ushort = 65534
        id = id == ushort.MaxValue ? 1 : id + 1
        #expect(id == 65535)
        #expect(DateTime.MaxValue.Year == 9999)
    }
}
