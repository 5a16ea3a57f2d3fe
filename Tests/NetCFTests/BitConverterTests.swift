import NetCF
import Testing

@Suite struct BitConverterTests {
    @Test func reportsLittleEndianLikeACEDevice() {
        #expect(BitConverter.IsLittleEndian)
    }

    @Test func getBytesIsLittleEndianForEveryWidth() {
        #expect(BitConverter.GetBytes(Int16(0x0102)) == [0x02, 0x01])
        #expect(BitConverter.GetBytes(UInt16(0xABCD)) == [0xCD, 0xAB])
        #expect(BitConverter.GetBytes(Int32(0x0102_0304)) == [0x04, 0x03, 0x02, 0x01])
        #expect(BitConverter.GetBytes(UInt32(0xDEAD_BEEF)) == [0xEF, 0xBE, 0xAD, 0xDE])
        #expect(BitConverter.GetBytes(Int64(0x0102_0304_0506_0708)) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(BitConverter.GetBytes(UInt64.max) == [UInt8](repeating: 0xFF, count: 8))
        #expect(BitConverter.GetBytes(true) == [1])
        #expect(BitConverter.GetBytes(false) == [0])
    }

    @Test func getBytesOfNegativeValuesIsTwosComplement() {
        #expect(BitConverter.GetBytes(Int32(-1871511550)) == [0x02, 0x00, 0x73, 0x90])
        #expect(BitConverter.GetBytes(Int16(-2)) == [0xFE, 0xFF])
        #expect(BitConverter.GetBytes(Int64(-1)) == [UInt8](repeating: 0xFF, count: 8))
    }

    @Test func anIntegerLiteralIsAnInt32AsInCSharp() {
        // C#: BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE) with `const int ... = 0x0008`.
        #expect(BitConverter.GetBytes(0x0008) == [0x08, 0x00, 0x00, 0x00])
    }

    @Test func toIntegersReadLittleEndianAtTheStartIndex() throws {
        let bytes: [UInt8] = [0xAA, 0x02, 0x00, 0x73, 0x90, 0xBB]
        #expect(try BitConverter.ToInt32(bytes, 1) == -1871511550)
        #expect(try BitConverter.ToUInt32(bytes, 1) == 0x9073_0002)
        #expect(try BitConverter.ToInt16(bytes, 3) == Int16(bitPattern: 0x9073))
        #expect(try BitConverter.ToUInt16(bytes, 4) == 0xBB90)
        #expect(try BitConverter.ToInt64([1, 0, 0, 0, 0, 0, 0, 0x80], 0) == Int64.min + 1)
        #expect(try BitConverter.ToUInt64([UInt8](repeating: 0xFF, count: 8), 0) == UInt64.max)
        #expect(try BitConverter.ToBoolean([0, 7], 1))
    }

    @Test func toInt32RoundTripsGetBytes() throws {
        for value: Int32 in [0, 1, -1, .min, .max, 0x7FFF_0000] {
            #expect(try BitConverter.ToInt32(BitConverter.GetBytes(value), 0) == value)
        }
    }

    @Test func toInt32RejectsAStartIndexOutsideTheArray() {
        for index in [-1, 4, 100] {
            let error = #expect(throws: ArgumentOutOfRangeException.self) { try BitConverter.ToInt32([1, 2, 3, 4], index) }
            #expect(error?.ParamName == "startIndex")
        }
    }

    @Test func toInt32RejectsTooFewBytesAfterTheStartIndex() {
        let error = #expect(throws: ArgumentException.self) { try BitConverter.ToInt32([1, 2, 3, 4], 1) }
        #expect(error?.Message.contains("not long enough") == true)
        #expect(throws: ArgumentException.self) { try BitConverter.ToInt64([UInt8](repeating: 0, count: 7), 0) }
        #expect(throws: ArgumentOutOfRangeException.self) { try BitConverter.ToInt16([], 0) }
    }

    @Test func toStringIsUpperCaseHexPairsJoinedByHyphens() throws {
        #expect(BitConverter.ToString([0x01, 0xAB, 0xFF]) == "01-AB-FF")
        #expect(BitConverter.ToString([0x00]) == "00")
        #expect(BitConverter.ToString([]) == "")
        #expect(try BitConverter.ToString([0x01, 0xAB, 0xFF], 1) == "AB-FF")
        #expect(try BitConverter.ToString([0x01, 0xAB, 0xFF], 0, 2) == "01-AB")
        #expect(throws: ArgumentException.self) { try BitConverter.ToString([0x01, 0xAB], 1, 2) }
    }
}
