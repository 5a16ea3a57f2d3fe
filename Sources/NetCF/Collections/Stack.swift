/// A last-in, first-out collection, a reference type as in .NET.
///
/// As with `Queue`, one Swift type stands for both .NET stacks: `Stack<T>` is
/// `System.Collections.Generic.Stack<T>`, and `Stack` written without a type argument is the non-generic
/// `System.Collections.Stack` of objects (`Stack<Any>`):
///
/// ```swift
/// // Stack stack = new Stack();
/// let stack: Stack = Stack()
/// // stack.Push(RfbEncoding.Raw); object[] all = stack.ToArray();
/// stack.Push(RfbEncoding.Raw); let all = stack.ToArray()
/// ```
///
/// `ToArray()` and `foreach` give the elements in the order `Pop` would return them (the top first), as .NET
/// does. Like .NET's, a stack is not safe for use by several threads at once: guard it with `lock`.
///
/// The corresponding .NET types are `System.Collections.Generic.Stack<T>` and `System.Collections.Stack`.
public final class Stack<T>: Sequence {
    /// Bottom first; the top is the last element.
    private var elements: [T]

    private init(elements: [T]) {
        self.elements = elements
    }

    /// The corresponding .NET member is `Stack<T>()`.
    public convenience init() {
        self.init(elements: [])
    }

    /// The capacity is only a hint, as in .NET; a negative one is refused.
    ///
    /// The corresponding .NET member is `Stack<T>(int)`.
    public convenience init(_ capacity: some BinaryInteger) throws {
        let capacity = try CSharpInteger.int(capacity, "capacity")
        guard capacity >= 0 else { throw ArgumentOutOfRangeException("capacity", capacity, "Non-negative number required.") }
        self.init(elements: [])
        elements.reserveCapacity(capacity)
    }

    /// Pushes the elements of `collection` in order, so its last element is on top.
    ///
    /// The corresponding .NET member is `Stack<T>(IEnumerable<T>)`.
    public convenience init<Elements: Sequence>(_ collection: Elements) where Elements.Element == T {
        self.init(elements: Array(collection))
    }

    /// The corresponding .NET member is `Stack<T>.Count`.
    public var Count: int { int(elements.count) }

    /// The corresponding .NET member is `Stack<T>.Push(T)`.
    public func Push(_ item: T) {
        elements.append(item)
    }

    /// Removes and returns the top element; throws `InvalidOperationException` when the stack is empty.
    ///
    /// The corresponding .NET member is `Stack<T>.Pop()`.
    public func Pop() throws -> T {
        guard let item = elements.popLast() else { throw InvalidOperationException("Stack empty.") }
        return item
    }

    /// Returns the top element without removing it; throws `InvalidOperationException` when empty.
    ///
    /// The corresponding .NET member is `Stack<T>.Peek()`.
    public func Peek() throws -> T {
        guard let item = elements.last else { throw InvalidOperationException("Stack empty.") }
        return item
    }

    /// The corresponding .NET member is `Stack<T>.Clear()`.
    public func Clear() {
        elements.removeAll()
    }

    /// The elements from the top to the bottom (the order `Pop` returns them).
    ///
    /// The corresponding .NET member is `Stack<T>.ToArray()`.
    public func ToArray() -> [T] {
        elements.reversed()
    }

    /// The object to `lock` for a sequence of calls that must not interleave with other threads' calls (the
    /// collection itself).
    ///
    /// The corresponding .NET member is `ICollection.SyncRoot`.
    public var SyncRoot: AnyObject { self }

    /// Iterates from the top down over a snapshot taken when iteration starts (C#'s `foreach`).
    public func makeIterator() -> IndexingIterator<[T]> {
        ToArray().makeIterator()
    }
}

extension Stack: ICollection {
    /// An enumerator over a snapshot of the elements, in `foreach` order.
    ///
    /// The corresponding .NET member is `Stack<T>.GetEnumerator()` (as `IEnumerable`).
    public func GetEnumerator() -> IEnumerator {
        SnapshotEnumerator(ToArray().map { $0 as Any? })
    }
}

extension Stack where T: Equatable {
    /// The corresponding .NET member is `Stack<T>.Contains(T)`.
    public func Contains(_ item: T) -> Bool {
        elements.contains(item)
    }
}

extension Stack where T == Any {
    /// `new Stack()` in C#: the non-generic stack of objects.
    ///
    /// The corresponding .NET member is `System.Collections.Stack()`.
    public convenience init() {
        self.init(elements: [])
    }

    /// True when an element equals `item` (equal values of one type, or the same object).
    ///
    /// The corresponding .NET member is `System.Collections.Stack.Contains(object)`.
    public func Contains(_ item: Any) -> Bool {
        elements.contains { objectEquals($0, item) }
    }
}
