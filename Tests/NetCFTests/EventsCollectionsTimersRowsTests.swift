import NetCF
import Testing

// Every Swift line of MIGRATION.md section 7.1, as written there, in the classes a port puts them in: this file
// compiling is the type check; the tests run the lines that have an effect to see it.

/// The declarations of the rows, in a namespace of their own so their names stay local to this file.
enum Section71 {
    public typealias PublicationReceivedHandler = (_ topic: string, _ payload: string) throws -> Void

    final class DataEventArgs: EventArgs { var Data: [byte]! }

    /// The publisher side of the event rows.
    final class RowsClient {
        public var Connected = Event<EventHandler<EventArgs>>()
        public var DataReceived = Event<EventHandler<DataEventArgs>>()
        public var MessageReceived = Event<PublicationReceivedHandler>()

        func RaiseConnected() throws {
            if Connected != nil { try Connected(self, EventArgs.Empty) }
        }

        func RaiseThroughCopy(_ e: EventArgs) throws {
            let handler = Connected; if handler != nil { try handler(self, e) }
        }

        func RaiseWithInvoke() throws {
            if Connected != nil { try Connected.Invoke(self, EventArgs.Empty) }
        }

        func Reset() {
            Connected = nil
        }
    }

    final class RowsSubscriptions {
        var Added = Event<EventHandler<EventArgs>>()
    }

    enum MessageType: byte { case Connect = 1, Publish = 3 }

    struct RowsHeader { var MessageType = Section71.MessageType.Publish }

    enum RfbEncoding: int { case Raw = 0, CopyRect = 1 }

    /// The subscriber side: the rows that live in the class that owns the publisher and the timers.
    final class MQTTClient {
        private var m_subscriptions = RowsSubscriptions()
        private var m_pingTimer: Timer!
        private let PingPeriod: int = 60_000
        var log: [String] = []

        init() throws {
            m_subscriptions.Added += weak(self, MQTTClient.Subscriptions_Added)
            m_pingTimer = try Timer(weak(self, MQTTClient.PingTimerProc), nil, PingPeriod, PingPeriod)
        }

        /// `client` is not kept in a field: the plain `+=` row.
        func Attach(_ client: RowsClient) {
            client.Connected += OnConnected
        }

        func OnConnected(_ sender: object?, _ e: EventArgs) { log.append("connected") }

        func Subscriptions_Added(_ sender: object?, _ e: EventArgs) { log.append("added") }

        func PingTimerProc(_ state: object?) { log.append("ping") }

        func Tick(_ state: object?) {}

        func RaiseAdded() throws { try m_subscriptions.Added(self, EventArgs.Empty) }

        func TimerRows(_ state: object?) throws {
            let other = try Timer(Tick, state, 0, 1000)
            try m_pingTimer.Change(Timeout.Infinite, Timeout.Infinite); m_pingTimer.Dispose()
            other.Dispose()
        }
    }
}

@Suite struct EventsCollectionsTimersRowsTests {
    @Test func theEventRowsSubscribeAndRaise() throws {
        let owner = try Section71.MQTTClient()
        let client = Section71.RowsClient()
        owner.Attach(client)
        try client.RaiseConnected()
        try client.RaiseThroughCopy(EventArgs.Empty)
        try client.RaiseWithInvoke()
        try owner.RaiseAdded()
        #expect(owner.log == ["connected", "connected", "connected", "added"])
        client.Reset()
        #expect(client.Connected == nil)
        try owner.TimerRows(nil)
    }

    @Test func theOwnerOfTheRowsIsFreed() throws {
        weak var weakOwner: Section71.MQTTClient?
        do {
            let owner = try Section71.MQTTClient()
            weakOwner = owner
        }
        #expect(weakOwner == nil)
    }

    @Test func theListRows() throws {
        let array: [int] = [3, 1, 2]
        let header = try List<byte>(4)
        _ = List<string>()
        let list = List<int>(array)
        let x: int = 7, a: [int] = [8, 9], i: int = 1
        list.Add(x); list.AddRange(a); try list.Insert(0, x); list.Remove(x); try list.RemoveAt(i); list.Clear()
        list.AddRange(array)
        var y = try list[i]; list[i] = x
        list[i] = try list[i] + 1
        y = list.Count
        _ = (list.Contains(x), list.IndexOf(x), list.ToArray(), list.Sort())
        for b in list { y += b }
        header.Add(1)
        #expect(list.ToArray() == [2, 3, 8] && y == 16 && header.Count == 1)

        struct Subscription { var Topic: string }
        let subscriptions = List<Subscription>([Subscription(Topic: "a")])
        let t = "a"
        _ = (subscriptions.Find { s in s.Topic == t }, subscriptions.Exists { s in s.Topic == t })
        subscriptions.ForEach { s in _ = s }
        subscriptions.RemoveAll { s in s.Topic == t }
        #expect(subscriptions.Count == 0)

        let o = "text"
        let items = ArrayList(); items.Add(o); let s = try items[0] as! String
        #expect(s == "text")
    }

    @Test func theDictionaryHashtableAndStackRows() throws {
        let k = "key", v: int = 2
        let ids = Dictionary<string, int>()
        try ids.Add(k, 1); ids[k] = 2; let n = try ids[k]
        var m = int(); if ids.TryGetValue(k, &m) { m += n }
        _ = (ids.ContainsKey(k), ids.ContainsValue(v), ids.Keys, ids.Values, ids.Count)
        let counts = ids
        counts[k] = try counts[k] + 1
        var total = int()
        for pair in ids { total += pair.Value; _ = pair.Key }
        ids.Remove(k); ids.Clear()
        #expect(m == 4 && total == 3)

        let key = "s", other = "missing"
        let sock = try Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        defer { sock.Close() }
        let table = Hashtable(); table[key] = sock; let t = table[key] as! Socket; if table[other] == nil { _ = t }
        for e in table { _ = (e.Key, e.Value) }
        let clients = table
        lock(clients.SyncRoot) { _ = clients.Count }

        let stack: Stack = Stack(); stack.Push(Section71.RfbEncoding.Raw); let top = try stack.Pop()
        #expect(top as? Section71.RfbEncoding == .Raw)
        _ = Stack<int>()
    }

    @Test func thePriorityAndEnumRows() throws {
        let previous = Thread.CurrentThread.Priority
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal
        #expect(Thread.CurrentThread.Priority == .BelowNormal)
        Thread.CurrentThread.Priority = previous
        let header = Section71.RowsHeader()
        #expect("Received: " + header.MessageType.ToString() == "Received: Publish")
    }
}
