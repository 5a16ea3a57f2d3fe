import NetCF
import Testing

@Suite struct ArrayCopyTests {
    @Test func copyWithLengthCopiesThePrefix() throws {
        let source: [UInt8] = [1, 2, 3, 4, 5]
        var destination = [UInt8](repeating: 0, count: 6)
        try Array.Copy(source, &destination, 4)
        #expect(destination == [1, 2, 3, 4, 0, 0])
    }

    @Test func copyWithIndicesBuildsTheCertificateHookBuffer() throws {
        // SslHelper: two 4-byte pointers copied into an 8-byte buffer.
        var inBuffer = [UInt8](repeating: 0, count: 8)
        try Array.Copy(BitConverter.GetBytes(Int32(0x0001_0000)), 0, &inBuffer, 0, 4)
        try Array.Copy(BitConverter.GetBytes(Int32(0x1000_0010)), 0, &inBuffer, 4, 4)
        #expect(inBuffer == [0x00, 0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x10])
    }

    @Test func copyOfZeroElementsAtTheEndIsAllowed() throws {
        var destination: [Int] = [7]
        try Array.Copy([Int](), 0, &destination, 1, 0)
        #expect(destination == [7])
    }

    @Test func copyWithinOneArrayBehavesAsThroughATemporary() throws {
        var values = [1, 2, 3, 4, 5]
        try Array.Copy(values, 0, &values, 1, 4)
        #expect(values == [1, 1, 2, 3, 4])
    }

    @Test func copyRejectsANegativeLength() {
        var destination = [0, 0]
        let error = #expect(throws: ArgumentOutOfRangeException.self) { try Array.Copy([1, 2], &destination, -1) }
        #expect(error?.ParamName == "length")
        #expect(error?.Message.contains("Non-negative number required.") == true)
    }

    @Test func copyRejectsNegativeIndices() {
        var destination = [0, 0]
        let source = #expect(throws: ArgumentOutOfRangeException.self) { try Array.Copy([1, 2], -1, &destination, 0, 1) }
        #expect(source?.ParamName == "srcIndex")
        let destinationError = #expect(throws: ArgumentOutOfRangeException.self) { try Array.Copy([1, 2], 0, &destination, -1, 1) }
        #expect(destinationError?.ParamName == "dstIndex")
    }

    @Test func copyRejectsASourceThatIsTooShortAndCopiesNothing() {
        var destination = [0, 0, 0, 0]
        let error = #expect(throws: ArgumentException.self) { try Array.Copy([1, 2, 3], 1, &destination, 0, 3) }
        #expect(error?.Message.contains("Source array was not long enough") == true)
        #expect(destination == [0, 0, 0, 0])
    }

    @Test func copyRejectsADestinationThatIsTooShortAndCopiesNothing() {
        var destination = [0, 0, 0]
        let error = #expect(throws: ArgumentException.self) { try Array.Copy([1, 2, 3, 4], &destination, 4) }
        #expect(error?.Message.contains("Destination array was not long enough") == true)
        #expect(destination == [0, 0, 0])
    }
}
