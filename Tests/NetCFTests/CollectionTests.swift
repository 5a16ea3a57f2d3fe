import NetCF
import Testing

/// `List<T>`, `ArrayList`, `Dictionary<TKey, TValue>`, `Hashtable` and `Stack`/`Stack<T>` as C# uses them:
/// reference types, `foreach`, and the .NET exceptions for a bad index, a missing key and an empty stack.
@Suite struct CollectionTests {
    @Test func aListGrowsInsertsRemovesAndSearchesAsDotNets() throws {
        let header = try List<byte>(4)
        header.Add(0x30)
        header.AddRange([1, 2, 3])
        try header.Insert(1, 9)
        try header.Insert(header.Count, 7)
        #expect(header.ToArray() == [0x30, 9, 1, 2, 3, 7])
        #expect(header.Count == 6)
        #expect(try header[1] == 9)
        header[1] = 8
        #expect(try header[1] == 8)
        #expect(header.Contains(2) && !header.Contains(200))
        #expect(header.IndexOf(3) == 4 && header.IndexOf(200) == -1)
        #expect(header.Remove(2) && !header.Remove(200))
        try header.RemoveAt(0)
        #expect(header.ToArray() == [8, 1, 3, 7])
        #expect(header.RemoveAll { $0 > 5 } == 2)
        #expect(header.ToArray() == [1, 3])
        #expect(header.Find { $0 > 1 } == 3 && header.Find { $0 > 9 } == nil)
        #expect(header.Exists { $0 == 1 } && header.FindIndex { $0 == 3 } == 1)

        var seen: [byte] = []
        for b in header { seen.append(b) }
        header.ForEach { seen.append($0) }
        #expect(seen == [1, 3, 1, 3])

        let words = List(["pear", "apple", "fig"])
        words.Sort()
        #expect(words.ToArray() == ["apple", "fig", "pear"])
        words.Sort { a, b in int(a.count) - int(b.count) }
        #expect(try words[0] == "fig")
        header.Clear()
        #expect(header.Count == 0)
    }

    @Test func aListIndexOutsideTheListThrowsArgumentOutOfRange() throws {
        let list = List<int>([1, 2])
        #expect(throws: ArgumentOutOfRangeException.self) { try list[2] }
        #expect(throws: ArgumentOutOfRangeException.self) { try list[-1] }
        #expect(throws: ArgumentOutOfRangeException.self) { try list.RemoveAt(2) }
        #expect(throws: ArgumentOutOfRangeException.self) { try list.Insert(3, 0) }
        #expect(throws: ArgumentOutOfRangeException.self) { try List<int>(-1) }
        let error = #expect(throws: ArgumentOutOfRangeException.self) { try list[5] }
        #expect(error?.ParamName == "index")
    }

    @Test func aListIsAReferenceAsInDotNet() {
        let a = List<string>()
        let b = a
        b.Add("shared")
        #expect(a.Count == 1)
        #expect(ObjectIdentifier(a.SyncRoot) == ObjectIdentifier(b.SyncRoot))
        #expect(ObjectIdentifier(a.SyncRoot) != ObjectIdentifier(List<string>().SyncRoot))
    }

    @Test func threadsGuardingACollectionWithSyncRootSeeEveryUpdate() throws {
        let table = Hashtable()
        table["n"] = 0
        let threads = (0..<4).map { _ in
            Thread {
                for _ in 0..<250 {
                    lock(table.SyncRoot) { table["n"] = (table["n"] as! Int) + 1 }
                }
            }
        }
        for t in threads { try t.Start() }
        for t in threads { #expect(try t.Join(10_000)) }
        #expect(table["n"] as? Int == 1000)
    }

    @Test func anArrayListHoldsObjectsAndReturnsTheIndexOfAnAdd() throws {
        let items = ArrayList()
        #expect(items.Add("a") == 0)
        #expect(items.Add(5) == 1)
        let socketLike = EventArgs()
        items.Add(socketLike)
        #expect(try items[0] as! String == "a")
        #expect(items.Contains(5) && items.Contains("a") && items.Contains(socketLike))
        #expect(!items.Contains(EventArgs()) && !items.Contains("5"))
        #expect(items.IndexOf(socketLike) == 2)
        items.Remove(5)
        #expect(items.Count == 2)
    }

    @Test func aDictionaryAddsReadsAndEnumeratesPairs() throws {
        let ids = Dictionary<string, int>()
        try ids.Add("a", 1)
        ids["b"] = 2
        ids["a"] = 10
        #expect(try ids["a"] == 10)
        #expect(ids.Count == 2)
        #expect(ids.ContainsKey("b") && !ids.ContainsKey("c"))
        #expect(ids.ContainsValue(2) && !ids.ContainsValue(1))
        var n = int()
        #expect(ids.TryGetValue("b", &n) && n == 2)
        #expect(!ids.TryGetValue("c", &n) && n == 2)
        var found: int? = 5
        #expect(!ids.TryGetValue("c", &found) && found == nil)
        var pairs: [String] = []
        for pair in ids { pairs.append(pair.Key + "=" + pair.Value.ToString()) }
        #expect(pairs == ["a=10", "b=2"])
        #expect(ids.Keys.ToArray() == ["a", "b"] && ids.Values.ToArray() == [10, 2] && ids.Keys.Count == 2)
        #expect(ids.Remove("a") && !ids.Remove("a"))
        ids["c"] = 3
        #expect(ids.Keys.ToArray() == ["b", "c"])
        let copy = Dictionary(ids)
        ids.Clear()
        #expect(ids.Count == 0 && copy.Count == 2)
    }

    @Test func aDictionaryRefusesADuplicateAddAndAMissingKeyRead() throws {
        let ids = Dictionary<string, int>()
        try ids.Add("a", 1)
        #expect(throws: ArgumentException("An item with the same key has already been added.")) { try ids.Add("a", 2) }
        #expect(try ids["a"] == 1)
        #expect(throws: KeyNotFoundException()) { try ids["missing"] }
        let sockets = Dictionary<string, Socket?>()
        sockets["none"] = nil
        #expect(sockets.ContainsKey("none") && sockets.Count == 1)
        #expect(try sockets["none"] == nil)
    }

    @Test func aHashtableReturnsNullForAMissingKeyAndStoresNullValues() throws {
        let sessions = Hashtable()
        sessions["host"] = "value"
        sessions[42] = 7
        #expect(sessions["host"] as? String == "value")
        #expect(sessions[42] as? Int == 7)
        #expect(sessions["other"] == nil)
        #expect(sessions[SocketType.Stream] == nil)
        sessions["empty"] = nil
        #expect(sessions.ContainsKey("empty") && sessions.Count == 3)
        #expect(throws: ArgumentException.self) { try sessions.Add("host", 1) }
        try sessions.Add("new", 1)
        #expect(sessions.ContainsValue(7) && sessions.ContainsValue(nil) && !sessions.ContainsValue(8))
        var keys: [String] = []
        for entry in sessions { keys.append("\(entry.Key)") }
        #expect(keys == ["host", "42", "empty", "new"])
        #expect(sessions.Keys.Count == 4)
        sessions.Remove("host")
        #expect(!sessions.Contains("host") && sessions.Count == 3)
        sessions.Clear()
        #expect(sessions.Count == 0)
    }

    @Test func aHashtableTakesObjectsAsKeysByIdentity() throws {
        let clients = Hashtable()
        let first = Object(), second = Object()
        clients[first] = "first"
        try clients.Add(second, 2)
        #expect(clients[first] as? String == "first" && clients[second] as? Int == 2)
        #expect(clients[Object()] == nil && !clients.ContainsKey(Object()))
        #expect(throws: ArgumentException.self) { try clients.Add(first, 3) }
        var keys: [ObjectIdentifier] = []
        for entry in clients { keys.append(ObjectIdentifier(entry.Key as AnyObject)) }
        #expect(keys == [ObjectIdentifier(first), ObjectIdentifier(second)])
        clients.Remove(first)
        #expect(!clients.Contains(first) && clients.Contains(second) && clients.Count == 1)
    }

    enum RfbEncoding: int { case Raw = 0, CopyRect = 1, Rre = 2, Hex = 5 }

    @Test func aStackPopsAndListsItsElementsTopFirst() throws {
        let stack: Stack = Stack()
        stack.Push(RfbEncoding.Raw)
        stack.Push(RfbEncoding.CopyRect)
        stack.Push(RfbEncoding.Hex)
        #expect(stack.Count == 3)
        #expect(stack.ToArray().map { $0 as! RfbEncoding } == [.Hex, .CopyRect, .Raw])
        #expect(stack.Contains(RfbEncoding.Raw) && !stack.Contains(RfbEncoding.Rre))
        #expect(try stack.Peek() as! RfbEncoding == .Hex)
        #expect(try stack.Pop() as! RfbEncoding == .Hex)
        #expect(stack.Count == 2)

        let typed = Stack<int>([1, 2, 3])
        var order: [int] = []
        for x in typed { order.append(x) }
        #expect(order == [3, 2, 1])
        typed.Clear()
        #expect(throws: InvalidOperationException("Stack empty.")) { try typed.Pop() }
        #expect(throws: InvalidOperationException("Stack empty.")) { try typed.Peek() }
    }

    @Test func theNonGenericQueueComparesObjectsAsTheOtherCollections() {
        let q: Queue = Queue()
        q.Enqueue("x")
        #expect(q.Contains("x") && !q.Contains("y"))
    }
}
