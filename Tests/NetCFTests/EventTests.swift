import NetCF
import Testing

/// C# events ported following MIGRATION.md 7.1: `event` fields, `+=`, the three raising idioms, the
/// program's own delegate types, and the lifetime of an instance method subscribed to an object its class owns.
@Suite struct EventTests {
    /// A publisher as C# declares one: `public event EventHandler Connected;`, an event of its own delegate type.
    final class Publisher {
        typealias PublicationReceivedHandler = (_ topic: string, _ payload: string) throws -> Void
        var Connected = Event<EventHandler<EventArgs>>()
        var MessageReceived = Event<PublicationReceivedHandler>()
        var DataReceived = Event<EventHandler<DataEventArgs>>()

        func RaiseChecked() throws {
            if Connected != nil { try Connected(self, EventArgs.Empty) }
        }

        func RaiseWithInvoke() throws {
            if Connected != nil { try Connected.Invoke(self, EventArgs.Empty) }
        }

        func RaiseThroughLocal(_ topic: string, _ payload: string) throws {
            let handler = MessageReceived
            if handler != nil { try handler(topic, payload) }
        }
    }

    final class DataEventArgs: EventArgs {
        let Data: [byte]
        init(_ data: [byte]) { Data = data }
    }

    /// A subscriber whose handlers are instance methods, recording what they saw.
    final class Subscriber {
        var log: [String] = []
        func OnConnected(_ sender: object?, _ e: EventArgs) { log.append("connected") }
        func OnConnectedAgain(_ sender: object?, _ e: EventArgs) throws { log.append("again") }
        func OnMessage(_ topic: string, _ payload: string) { log.append(topic + "=" + payload) }
        func OnData(_ sender: object?, _ e: DataEventArgs) { log.append("data \(e.Data.count)") }
    }

    @Test func handlersRunInSubscriptionOrderWithTheSenderAndData() throws {
        let publisher = Publisher()
        let subscriber = Subscriber()
        var senders: [ObjectIdentifier] = []
        publisher.Connected += subscriber.OnConnected
        publisher.Connected += { sender, _ in senders.append(ObjectIdentifier(sender! as AnyObject)) }
        publisher.Connected += subscriber.OnConnectedAgain
        publisher.Connected += subscriber.OnConnected
        try publisher.RaiseChecked()
        #expect(subscriber.log == ["connected", "again", "connected"])
        #expect(senders == [ObjectIdentifier(publisher)])
        try publisher.RaiseWithInvoke()
        #expect(subscriber.log.count == 6)
        #expect(publisher.Connected.GetInvocationList().count == 4)

        publisher.DataReceived += subscriber.OnData
        try publisher.DataReceived(publisher, DataEventArgs([1, 2, 3]))
        #expect(subscriber.log.last == "data 3")
    }

    @Test func anEventOfTheProgramsOwnDelegateTypeIsRaisedThroughACopy() throws {
        let publisher = Publisher()
        let subscriber = Subscriber()
        try publisher.RaiseThroughLocal("t", "nobody listens")
        publisher.MessageReceived += subscriber.OnMessage
        try publisher.RaiseThroughLocal("topic", "payload")
        #expect(subscriber.log == ["topic=payload"])

        // The copy keeps the handlers it had, as a C# delegate in a local variable does.
        let before = publisher.MessageReceived
        publisher.MessageReceived += subscriber.OnMessage
        try before("a", "b")
        #expect(subscriber.log == ["topic=payload", "a=b"])
    }

    @Test func raisingAnEventWithoutHandlersThrowsNullReferenceAsCallingANullDelegate() throws {
        let publisher = Publisher()
        #expect(publisher.Connected == nil)
        #expect(!(publisher.Connected != nil))
        #expect(throws: NullReferenceException.self) { try publisher.Connected(publisher, EventArgs.Empty) }
        #expect(throws: NullReferenceException.self) { try publisher.Connected.Invoke(publisher, EventArgs.Empty) }
        try publisher.RaiseChecked()

        publisher.Connected += Subscriber().OnConnected
        #expect(publisher.Connected != nil)
        publisher.Connected = nil
        #expect(publisher.Connected == nil)
    }

    @Test func anExceptionInAHandlerReachesTheRaiserAndStopsTheLaterHandlers() throws {
        let publisher = Publisher()
        var calls: [String] = []
        publisher.Connected += { _, _ in calls.append("first") }
        publisher.Connected += { _, _ in throw InvalidOperationException("handler failed") }
        publisher.Connected += { _, _ in calls.append("third") }
        #expect(throws: InvalidOperationException("handler failed")) { try publisher.RaiseChecked() }
        #expect(calls == ["first"])
    }

    /// A class that owns its publisher and subscribes its own methods to it, as C# programs do in a constructor.
    final class Owner {
        let publisher = Publisher()
        var received = 0

        init(weakly: Bool) {
            if weakly {
                publisher.Connected += weak(self, Owner.OnConnected)
            } else {
                publisher.Connected += OnConnected
            }
        }

        func OnConnected(_ sender: object?, _ e: EventArgs) { received += 1 }
    }

    @Test func aWeakSubscriptionToAnOwnedPublisherLetsTheOwnerGo() throws {
        weak var weakOwner: Owner?
        var publisher: Publisher?
        do {
            let owner = Owner(weakly: true)
            weakOwner = owner
            publisher = owner.publisher
            try owner.publisher.RaiseChecked()
            #expect(owner.received == 1)
        }
        #expect(weakOwner == nil)
        // The handler of a freed object does nothing.
        try publisher?.RaiseChecked()
    }

    @Test func aStrongSubscriptionToAnOwnedPublisherIsACycleUntilTheEventIsCleared() throws {
        weak var weakOwner: Owner?
        do {
            let owner = Owner(weakly: false)
            weakOwner = owner
        }
        do {
            let owner = try #require(weakOwner, "the strong subscription should keep its owner alive (a cycle)")
            owner.publisher.Connected = nil
        }
        #expect(weakOwner == nil)
    }

    @Test func removingAMethodWithMinusEqualsDoesNotCompileAndSaysWhy() throws {
        let outcome = try CompileCheck.typecheck("""
            import NetCF

            final class Client {
                var Connected = Event<EventHandler<EventArgs>>()
            }

            final class User {
                let client = Client()
                func OnConnected(_ sender: object?, _ e: EventArgs) {}
                func Detach() { client.Connected -= OnConnected }
            }
            """)
        #expect(!outcome.compiled)
        #expect(outcome.diagnostics.contains("a Swift function has no identity"))
    }
}
