import NetCF
import Testing

// Every Swift line of MIGRATION.md section 7.3, as written there, in the classes a port puts them in: this file
// compiling is the type check; the tests run the lines to see what they do.

enum Section73 {
    /// `public class HandlerRegistry : IEnumerable` with an `IDictionary` field (the XmlRpcServer shape).
    final class HandlerRegistry: IEnumerable {
        private var _handlers: IDictionary!

        init() {
            _handlers = Hashtable()
        }

        public func Add(_ name: String!, _ obj: object!) throws {
            try _handlers.Add(name, obj)
        }

        public func GetEnumerator() -> IEnumerator {
            return _handlers.GetEnumerator()
        }

        public func MethodName(_ objectName: String!, _ method: String!) throws -> String {
            let target = _handlers[objectName]
            return try target.GetType().FullName + "." + method
        }

        public func Names() throws -> [String] {
            var names: [String] = []
            let en: IDictionaryEnumerator = _handlers.GetEnumerator()
            while en.MoveNext() {
                names.append(try en.Key as! String)
            }
            return names
        }

        public func Entries() -> [String] {
            var found: [String] = []
            for e in AsSequence(_handlers) {
                found.append((e.Key as! String) + "=" + String(describing: e.Value!))
            }
            return found
        }
    }

    /// The program's own enumerable and enumerator.
    final class Countdown: IEnumerable {
        let from: int
        init(_ from: int) { self.from = from }
        public func GetEnumerator() -> IEnumerator { return CountdownEnumerator(from) }
    }

    final class CountdownEnumerator: IEnumerator {
        private let from: int
        private var current: int
        init(_ from: int) {
            self.from = from
            current = from + 1
        }
        public func MoveNext() -> Bool { current -= 1; return current > 0 }
        public var Current: Any? { current }
        public func Reset() { current = from + 1 }
    }

    final class Handler: Object, @unchecked Sendable {
        func Describe() -> String { return self.GetType().Name }
    }

    final class Outer { final class Inner: Object, @unchecked Sendable {} }

    /// Fields typed by the interface, with initialisers.
    final class Fields {
        private var handlers: IDictionary = Hashtable()
        var items: IList = ArrayList()

        func Fill() throws -> int {
            handlers["x"] = items
            try items.Add("a")
            let en = (handlers as! Hashtable).GetEnumerator()
            var keys = int()
            while en.MoveNext() { keys += (try en.Key as! String) == "x" ? 1 : 0 }
            return keys + items.Count
        }
    }

    /// The program's own writer.
    final class Upper: TextWriter {
        var text = ""
        override func Write(_ value: Character) throws { text += value.uppercased() }
    }

    final class Named: Object, @unchecked Sendable {}

    static func Sum(_ list: IList) throws -> int {
        var total = int()
        for o in AsSequence(list) { total += o as! int }
        for i in 0..<list.Count { total += try list[i] as! int }
        let en = list.GetEnumerator()
        while en.MoveNext() {
            let o = try en.Current
            total += o as! int
        }
        lock(list.SyncRoot) { total += list.Count }
        return total
    }

    static func HttpHeader(_ sStatus: string!, _ output: TextWriter!) throws {
        try output.Write("HTTP/1.1" + sStatus + output.NewLine)
        try output.WriteLine("Connection: close")
        try output.Flush()
    }

    static func FirstLine(_ input: TextReader!) throws -> string? {
        return try input.ReadLine()
    }
}

extension Section73.Named: DotNetNamed { static let dotNetTypeName = "Nwc.XmlRpc.Named" }

@Suite struct InterfacesTextGetTypeRowsTests {
    @Test func anIDictionaryAddsFindsAndRemovesThroughTheInterface() throws {
        let d: IDictionary = Hashtable()
        let name: string! = "k"
        try d.Add(name, 1)
        d["j"] = 2
        #expect(d.Contains(name) && d.Contains("j") && !d.Contains("x"))
        var keys: [String] = []
        for k in d.Keys { keys.append(k as! String) }
        #expect(keys == ["k", "j"])
        #expect(d.Values.Count == 2)
        d.Remove(name)
        #expect(!d.Contains("k") && d.Count == 1)
        #expect(d[name] == nil)
        d.Clear()
        #expect(d.Count == 0)
    }

    @Test func aProgramsTextWriterGetsWriteAndWriteLineThroughWriteChar() throws {
        let upper = Section73.Upper()
        try Section73.HttpHeader(" ok", upper)
        #expect(upper.text == "HTTP/1.1 OK\r\nCONNECTION: CLOSE\r\n")
    }

    @Test func aTextWriterWritesNumbersBooleansAndFormats() throws {
        let sw = StringWriter()
        let length: long = 42
        try sw.Write(length)
        try sw.Write(Character(" "))
        try sw.Write(true)
        try sw.WriteLine(int(-7))
        try sw.WriteLine(false)
        try sw.Write("{0}={1:X2};", "code", byte(255))
        try sw.WriteLine("{0,-4}|", "ab")
        try sw.Write([Character("o"), Character("k")])
        #expect(sw.ToString() == "42 True-7\r\nFalse\r\ncode=FF;ab  |\r\nok")
        #expect(throws: FormatException.self) { try sw.Write("{1}", "only one") }
        let missing: string! = nil
        let present: string! = "x"
        let lines = StringWriter()
        try lines.Write(missing)
        try lines.WriteLine(missing)
        try lines.Write(present)
        try lines.WriteLine(present)
        #expect(lines.ToString() == "\r\nxx\r\n")
    }

    @Test func aProgramTypeMayNameItsNamespace() {
        #expect(Section73.Named().GetType().FullName == "Nwc.XmlRpc.Named")
        #expect(Section73.Named().GetType().Name == "Named")
        #expect(Section73.Named().GetType().Namespace == "Nwc.XmlRpc")
        #expect(typeof(List<int>.self).FullName == "NetCF.List<Swift.Int32>")
    }

    @Test func anIDictionaryFieldHoldsAHashtableAndEnumeratesItsEntries() throws {
        let registry = Section73.HandlerRegistry()
        try registry.Add("a", Section73.Handler())
        try registry.Add("b", Section73.Handler())
        #expect(try registry.Names() == ["a", "b"])
        #expect(registry.Entries().count == 2)
        #expect(registry.Entries()[0].hasPrefix("a="))
        // The program's IEnumerable, walked as foreach walks it.
        var keys: [String] = []
        for e in AsSequence(registry, DictionaryEntry.self) { keys.append(e.Key as! String) }
        #expect(keys == ["a", "b"])
        #expect(throws: ArgumentException.self) { try registry.Add("a", Section73.Handler()) }
        #expect(throws: ArgumentNullException.self) { try registry.Add(nil, Section73.Handler()) }
        #expect(try registry.MethodName("b", "Run") == "NetCFTests.Section73+Handler.Run")
        #expect(try Section73.Fields().Fill() == 2)
    }

    @Test func anEnumeratorThrowsBeforeMoveNextAndAfterTheEnd() throws {
        let table = Hashtable()
        table["k"] = 1
        let en: IDictionaryEnumerator = table.GetEnumerator()
        #expect(throws: InvalidOperationException.self) { _ = try en.Key }
        #expect(en.MoveNext())
        #expect(try en.Key as! String == "k")
        #expect(try en.Value as! Int == 1)
        #expect(try en.Entry.Key as! String == "k")
        #expect(!en.MoveNext())
        #expect(throws: InvalidOperationException.self) { _ = try en.Current }
        en.Reset()
        #expect(en.MoveNext())
    }

    @Test func anArrayIsAnIEnumerable() {
        let parts: [string] = ["a", "b"]
        let e: IEnumerable = parts
        #expect(AsSequence(e, String.self).joined() == "ab")
    }

    @Test func theProgramsOwnEnumerableWorksWithForeach() {
        var seen: [int] = []
        for o in AsSequence(Section73.Countdown(3)) { seen.append(o as! int) }
        #expect(seen == [3, 2, 1])
        var typed: [int] = []
        for n in AsSequence(Section73.Countdown(2), int.self) { typed.append(n) }
        #expect(typed == [2, 1])
    }

    @Test func anIListFieldHoldsAnArrayList() throws {
        let items: IList = ArrayList()
        #expect(try items.Add(int(5)) == 0)
        try items.Add(int(7))
        try items.Insert(0, int(1))
        #expect(items.Count == 3)
        #expect(items.Contains(int(7)))
        #expect(items.IndexOf(int(7)) == 2)
        #expect(try Section73.Sum(items) == 42)
        items[0] = int(2)
        #expect(try items[0] as! int == 2)
        items.Remove(int(5))
        try items.RemoveAt(0)
        #expect(items.Count == 1)
        #expect(throws: ArgumentOutOfRangeException.self) { _ = try items[5] }
        var copy = [int](repeating: 0, count: 2)
        try items.CopyTo(&copy, 1)
        #expect(copy == [0, 7])
        items.Clear()
        #expect(items.Count == 0)
    }

    @Test func theCollectionsAreICollections() throws {
        let queue = Queue<String>()
        queue.Enqueue("x")
        let stack = Stack<int>()
        stack.Push(1)
        stack.Push(2)
        let ids = Dictionary<String, int>()
        try ids.Add("a", 1)
        let collections: [ICollection] = [queue, stack, ids, List<byte>([1, 2, 3]), Hashtable()]
        #expect(collections.map { $0.Count } == [1, 2, 1, 3, 0])
        var popped = [int](repeating: 0, count: 2)
        try (stack as ICollection).CopyTo(&popped, 0)
        #expect(popped == [2, 1])
        var strings = [String](repeating: "", count: 2)
        #expect(throws: InvalidCastException.self) { try (stack as ICollection).CopyTo(&strings, 0) }
        let pairs = AsSequence(ids).map { $0 as! KeyValuePair<String, int> }
        #expect(pairs.map(\.Key) == ["a"])
    }

    @Test func aMethodTakingATextWriterWritesToAStreamWriterOrAStringWriter() throws {
        let ms = MemoryStream()
        let sw = StreamWriter(ms)
        try Section73.HttpHeader(" 200 OK", sw)
        #expect(Encoding.UTF8.GetString(ms.ToArray()) == "HTTP/1.1 200 OK\r\nConnection: close\r\n")
        let text = StringWriter()
        text.NewLine = "\n"
        try Section73.HttpHeader(" 404", text)
        #expect(text.ToString() == "HTTP/1.1 404\nConnection: close\n")
        text.Close()
        #expect(throws: ObjectDisposedException.self) { try text.Write("more") }
    }

    @Test func aMethodTakingATextReaderReadsAStreamReaderOrAStringReader() throws {
        let reader = StreamReader(MemoryStream(Encoding.ASCII.GetBytes("EHLO\r\nrest")), Encoding.ASCII)
        #expect(try Section73.FirstLine(reader) == "EHLO")
        let sr = StringReader("one\r\ntwo\rthree\nfour")
        #expect(try Section73.FirstLine(sr) == "one")
        #expect(try sr.ReadLine() == "two")
        #expect(try sr.Peek() == int(Character("t").asciiValue!))
        #expect(try sr.Read() == int(Character("t").asciiValue!))
        #expect(try sr.ReadLine() == "hree")
        #expect(try sr.ReadToEnd() == "four")
        #expect(try sr.ReadLine() == nil)
        #expect(try sr.Read() == -1)
        // The base class's ReadLine over a subclass's Read/Peek.
        final class Units: TextReader {
            var units = Array("a\r\nb".utf16)
            override func Read() throws -> int { units.isEmpty ? -1 : int(units.removeFirst()) }
            override func Peek() throws -> int { units.first.map { int($0) } ?? -1 }
        }
        let units = Units()
        #expect(try units.ReadLine() == "a")
        #expect(try units.ReadToEnd() == "b")
    }

    @Test func getTypeNamesTheProgramsClass() throws {
        let handler = Section73.Handler()
        #expect(handler.GetType().Name == "Handler")
        #expect(handler.GetType().FullName == "NetCFTests.Section73+Handler")
        #expect(Section73.Outer.Inner().GetType().FullName == "NetCFTests.Section73+Outer+Inner")
        #expect(typeof(Section73.Handler.self).Name == "Handler")
        #expect(handler.GetType() == typeof(Section73.Handler.self))
        #expect(handler.GetType() != typeof(Section73.Outer.Inner.self))
        let target: Any? = handler
        #expect(try target.GetType().Name == "Handler")
        let missing: Any? = nil
        #expect(throws: NullReferenceException.self) { _ = try missing.GetType() }
        let o: object! = handler
        #expect(try o.GetType().Namespace == "NetCFTests")
        #expect(ArgumentException("x").GetType().FullName == "System.ArgumentException")
        #expect(ArgumentException("x").GetType().Name == "ArgumentException")
        #expect(typeof(int.self).Name == "Int32")
        #expect(handler.Describe() == "Handler")
        do {
            try Hashtable().Add(nil as Any?, 1)
            Issue.record("a null key was accepted")
        } catch let e as Exception {
            #expect(e.GetType().Name == "ArgumentNullException")
        }
    }
}
