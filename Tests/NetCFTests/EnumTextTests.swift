import NetCF
import Testing

/// `ToString()` on the program's own enums prints the member's name, as C# does.
@Suite struct EnumTextTests {
    enum MessageType: byte {
        case Connect = 1
        case ConnectAck = 2
        case Publish = 3
    }

    enum ConnectionState: int {
        case Disconnected = 0, Connecting, Connected
    }

    enum Described: int, CustomStringConvertible {
        case One = 1
        var description: String { "first" }
    }

    @Test func theProgramsOwnEnumPrintsItsMemberName() {
        let value = MessageType(rawValue: 3)!
        #expect(value.ToString() == "Publish")
        #expect("Received: " + MessageType.ConnectAck.ToString() == "Received: ConnectAck")
        #expect(ConnectionState.Connecting.ToString() == "Connecting")
        #expect(Described.One.ToString() == "first")
    }

    @Test func aPackageEnumWithItsOwnTextKeepsIt() {
        #expect(SocketError(10054).ToString() == SocketError(10054).description)
    }
}
