import NetCF
import Testing
import WinsockSSL

private final class Capture: Sendable {
    private let chunks = Locked<[String]>([])
    var text: String { chunks.withLock { $0.joined() } }
    var output: Debug.Output { { [self] chunk in chunks.withLock { $0.append(chunk) } } }
}

@Suite struct DebugTests {
    @Test func writeLineEndsEachMessageWithANewLine() {
        let capture = Capture()
        Debug.withOutput(capture.output) {
            Debug.WriteLine("success")
            Debug.Write("a")
            Debug.Write("b")
            Debug.WriteLine("")
        }
        #expect(capture.text == "success\nab\n")
    }

    @Test func writeLineOfAValueUsesItsDescriptionAndNilIsEmpty() {
        let capture = Capture()
        let missing: String? = nil
        Debug.withOutput(capture.output) {
            Debug.WriteLine(42 as Any?)
            Debug.WriteLine(missing)
            Debug.WriteLine("connected", "SslHelper")
        }
        #expect(capture.text == "42\n\nSslHelper: connected\n")
    }

    @Test func conditionalWritesOnlyWriteWhenTrue() {
        let capture = Capture()
        Debug.withOutput(capture.output) {
            Debug.WriteLineIf(false, "hidden")
            Debug.WriteLineIf(true, "shown")
            Debug.WriteIf(false, "hidden")
        }
        #expect(capture.text == "shown\n")
    }

    @Test func failedAssertReportsAndCarriesOn() {
        let capture = Capture()
        Debug.withOutput(capture.output) {
            Debug.Assert(true, "not printed")
            Debug.Assert(false, "handshake not done")
            Debug.Assert(false)
            Debug.Assert(false, "bad", "detail")
            Debug.Fail("unreachable")
        }
        #expect(capture.text == "Assertion failed: handshake not done\nAssertion failed\nAssertion failed: bad\ndetail\nAssertion failed: unreachable\n")
    }

    @Test func setOutputRedirectsOutputFromOtherThreadsUntilReset() async {
        let capture = Capture()
        Debug.setOutput(capture.output)
        await Task.detached { Debug.WriteLine("from another task 7f3a") }.value
        Debug.resetOutput()
        #expect(capture.text.contains("from another task 7f3a\n"))
        Debug.WriteLine("after reset 7f3a")
        #expect(!capture.text.contains("after reset 7f3a"))
    }
}
