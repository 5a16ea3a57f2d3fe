import NetCF
import Testing
import WinsockSSL

@Suite struct ExceptionsTests {
    @Test func argumentExceptionsAppendTheParameterName() {
        #expect(ArgumentException("Bad host.", "host").Message == "Bad host.\nParameter name: host")
        #expect(ArgumentException("Bad host.").Message == "Bad host.")
        #expect(ArgumentNullException("host").Message == "Value cannot be null.\nParameter name: host")
        #expect(ArgumentOutOfRangeException("port").Message
                == "Specified argument was out of the range of valid values.\nParameter name: port")
    }

    @Test func argumentOutOfRangeReportsTheActualValue() {
        let error = ArgumentOutOfRangeException("port", 70000, "Port out of range.")
        #expect(error.Message == "Port out of range.\nParameter name: port\nActual value was 70000.")
    }

    @Test func descriptionIsTheDotNetTypeNameAndMessage() {
        #expect(String(describing: NullReferenceException())
                == "System.NullReferenceException: Object reference not set to an instance of an object.")
        #expect(FormatException("x").ToString() == "System.FormatException: x")
        #expect(InvalidOperationException().Message == "Operation is not valid due to the current state of the object.")
        #expect(NotSupportedException().Message == "Specified method is not supported.")
    }

    @Test func objectDisposedNamesTheObjectAsDotNetDoes() {
        #expect(ObjectDisposedException("System.Net.Sockets.Socket").Message
                == "Cannot access a disposed object.\nObject name: 'System.Net.Sockets.Socket'.")
        #expect(ObjectDisposedException(nil).Message == "Cannot access a disposed object.")
        #expect(ObjectDisposedException("SslHelper").ObjectName == "SslHelper")
    }

    @Test func accessViolationCarriesTheHeapError() throws {
        let heap = UnmanagedHeap()
        let address = try heap.allocate(4)
        try heap.free(address)
        do {
            _ = try heap.read(address, count: 4)
            Issue.record("reading freed memory must fail")
        } catch {
            let exception = AccessViolationException(error)
            #expect(exception.heapError == error)
            #expect(exception.Message.hasPrefix("Attempted to read or write protected memory."))
            #expect(exception.Message.contains("use after free"))
        }
    }

    @Test func oneCatchHandlesTheWholeArgumentExceptionFamily() {
        let errors: [any Error] = [ArgumentException("a"), ArgumentNullException("b"), ArgumentOutOfRangeException("c")]
        for error in errors {
            #expect(error is any ArgumentExceptionFamily)
        }
        #expect(!(FormatException() is any ArgumentExceptionFamily))
    }
}

private struct PortedException: DotNetException {
    var Message: String { "custom" }
}

@Suite struct DotNetExceptionProtocolTests {
    @Test func aNewExceptionNeedsOnlyAMessage() {
        #expect(PortedException().description == "PortedException: custom")
        #expect(PortedException().ToString() == "PortedException: custom")
    }
}
