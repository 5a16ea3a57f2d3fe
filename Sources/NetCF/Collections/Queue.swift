/// A first-in, first-out collection.
///
/// One Swift type stands for both .NET queues: `Queue<T>` is `System.Collections.Generic.Queue<T>`, and
/// `Queue` written without a type argument is the non-generic `System.Collections.Queue` of objects
/// (`Queue<Any>`), so both C# spellings port unchanged:
///
/// ```swift
/// // Queue<string> lines = new Queue<string>();
/// let lines = Queue<String>()
/// // private Queue sendQueue = new Queue();
/// private var sendQueue: Queue = Queue()
/// // byte[] data = (byte[])sendQueue.Dequeue();
/// let data = try sendQueue.Dequeue() as! [UInt8]
/// ```
///
/// Like .NET's, a queue is not safe for use by several threads at once: guard it with `lock(q.SyncRoot)`,
/// or use the wrapper from `Queue.Synchronized`, which does so on every call.
///
/// The corresponding .NET types are `System.Collections.Generic.Queue<T>` and `System.Collections.Queue`.
public final class Queue<T>: Sequence {
    /// The elements and the object a synchronized wrapper locks; shared by a queue and its wrapper.
    private final class Storage {
        var elements: [T] = []
        var head = 0
    }

    private let storage: Storage
    private let synchronized: Bool

    private init(storage: Storage, synchronized: Bool) {
        self.storage = storage
        self.synchronized = synchronized
    }

    /// The corresponding .NET member is `Queue<T>()`.
    public convenience init() {
        self.init(storage: Storage(), synchronized: false)
    }

    /// The capacity is only a hint, as in .NET; a negative one is refused.
    ///
    /// The corresponding .NET member is `Queue<T>(int)`.
    public convenience init(_ capacity: some BinaryInteger) throws {
        let capacity = try CSharpInteger.int(capacity, "capacity")
        guard capacity >= 0 else { throw ArgumentOutOfRangeException("capacity", capacity, "Non-negative number required.") }
        self.init()
        storage.elements.reserveCapacity(capacity)
    }

    /// The corresponding .NET member is `Queue<T>(IEnumerable<T>)`.
    public convenience init<Elements: Sequence>(_ collection: Elements) where Elements.Element == T {
        self.init()
        storage.elements = Array(collection)
    }

    private func access<Result, Failure: Error>(_ body: (Storage) throws(Failure) -> Result) throws(Failure) -> Result {
        guard synchronized else { return try body(storage) }
        return try lock(storage) { () throws(Failure) -> Result in try body(storage) }
    }

    /// The corresponding .NET member is `Queue<T>.Count`.
    public var Count: Int32 { access { Int32($0.elements.count - $0.head) } }

    /// Adds `item` at the end.
    ///
    /// The corresponding .NET member is `Queue<T>.Enqueue(T)`.
    public func Enqueue(_ item: T) {
        access { $0.elements.append(item) }
    }

    /// Removes and returns the first element; throws `InvalidOperationException` when the queue is empty.
    ///
    /// The corresponding .NET member is `Queue<T>.Dequeue()`.
    public func Dequeue() throws -> T {
        try access { storage in
            guard storage.head < storage.elements.count else { throw InvalidOperationException("Queue empty.") }
            let item = storage.elements[storage.head]
            storage.head += 1
            // Drop the consumed prefix once it is most of the array, so a long-lived queue does not grow.
            if storage.head >= 32, storage.head * 2 >= storage.elements.count {
                storage.elements.removeFirst(storage.head)
                storage.head = 0
            }
            return item
        }
    }

    /// Returns the first element without removing it; throws `InvalidOperationException` when empty.
    ///
    /// The corresponding .NET member is `Queue<T>.Peek()`.
    public func Peek() throws -> T {
        try access { storage in
            guard storage.head < storage.elements.count else { throw InvalidOperationException("Queue empty.") }
            return storage.elements[storage.head]
        }
    }

    /// The corresponding .NET member is `Queue<T>.Clear()`.
    public func Clear() {
        access { storage in
            storage.elements.removeAll()
            storage.head = 0
        }
    }

    /// The elements from first to last.
    ///
    /// The corresponding .NET member is `Queue<T>.ToArray()`.
    public func ToArray() -> [T] {
        access { Array($0.elements[$0.head...]) }
    }

    /// Iterates over a snapshot taken when iteration starts (C#'s `foreach`); .NET would throw if the queue
    /// changed meanwhile, this never sees the change.
    public func makeIterator() -> IndexingIterator<[T]> {
        ToArray().makeIterator()
    }

    /// The object to `lock` for a sequence of calls that must not interleave with other threads' calls.
    ///
    /// The corresponding .NET member is `Queue.SyncRoot`.
    public var SyncRoot: AnyObject { storage }

    /// True for the wrapper `Synchronized` returns.
    ///
    /// The corresponding .NET member is `Queue.IsSynchronized`.
    public var IsSynchronized: Bool { synchronized }

    /// A wrapper over the same elements whose every call holds `lock(queue.SyncRoot)`.
    ///
    /// The corresponding .NET member is `Queue.Synchronized(Queue)`.
    public static func Synchronized(_ queue: Queue<T>) -> Queue<T> {
        Queue(storage: queue.storage, synchronized: true)
    }
}

extension Queue: ICollection {
    /// An enumerator over a snapshot of the elements, in `foreach` order.
    ///
    /// The corresponding .NET member is `Queue<T>.GetEnumerator()` (as `IEnumerable`).
    public func GetEnumerator() -> IEnumerator {
        SnapshotEnumerator(ToArray().map { $0 as Any? })
    }
}

extension Queue where T: Equatable {
    /// The corresponding .NET member is `Queue<T>.Contains(T)`.
    public func Contains(_ item: T) -> Bool {
        ToArray().contains(item)
    }
}

extension Queue where T == Any {
    /// `new Queue()` in C#: the non-generic queue of objects.
    ///
    /// The corresponding .NET member is `System.Collections.Queue()`.
    public convenience init() {
        self.init(storage: Storage(), synchronized: false)
    }
}

extension Queue where T == Any {
    /// True when an element equals `item` (equal values of one type, or the same object).
    ///
    /// The corresponding .NET member is `System.Collections.Queue.Contains(object)`.
    public func Contains(_ item: Any) -> Bool {
        ToArray().contains { objectEquals($0, item) }
    }
}
