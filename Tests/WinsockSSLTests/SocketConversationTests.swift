import Testing
import WinsockSSL

@Suite struct SocketConversationTests {
    @Test func linesSplitAcrossEventsComeOutWholeAndTheCloseIsNotedOnce() {
        let conversation = SocketConversation()
        #expect(conversation.lines(for: .received(Array("220 ready\r\n250-A".utf8), secure: false)) == ["S: 220 ready"])
        #expect(conversation.lines(for: .received(Array("BC\r\n250 OK\n".utf8), secure: false)) == ["S: 250-ABC", "S: 250 OK"])
        #expect(conversation.lines(for: .sent(Array("EHLO\r\n".utf8), secure: true)) == ["C: (TLS) EHLO"])
        #expect(conversation.recentServerLines == ["220 ready", "250-ABC", "250 OK"])
        #expect(!conversation.serverClosed)
        #expect(conversation.lines(for: .received([], secure: false)) == ["   the server closed the connection"])
        #expect(conversation.lines(for: .received([], secure: false)) == [])
        #expect(conversation.serverClosed)
    }
}
