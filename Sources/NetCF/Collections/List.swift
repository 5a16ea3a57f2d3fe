/// A list of elements that grows as they are added, a reference type as in .NET.
///
/// One Swift type stands for both .NET lists: `List<T>` is `System.Collections.Generic.List<T>`, and
/// `ArrayList` is `List<Any>` (the non-generic `System.Collections.ArrayList` of objects):
///
/// ```swift
/// // List<byte> header = new List<byte>(4);
/// let header = try List<byte>(4)
/// // header.Add(0x30); byte[] bytes = header.ToArray();
/// header.Add(0x30); let bytes = header.ToArray()
/// // ArrayList items = new ArrayList(); items.Add("a"); string s = (string)items[0];
/// let items = ArrayList(); items.Add("a"); let s = try items[0] as! String
/// ```
///
/// Reading an element with the indexer throws `ArgumentOutOfRangeException` for an index outside the list,
/// so it is written with `try`. Assigning one (`list[i] = x`) cannot throw (a Swift setter cannot): an index
/// outside the list stops the program with that exception's message, as an array index does. `list[i] += 1`
/// does not compile: write `list[i] = try list[i] + 1`.
///
/// Like .NET's, a list is not safe for use by several threads at once: guard it with `lock`.
///
/// The corresponding .NET types are `System.Collections.Generic.List<T>` and `System.Collections.ArrayList`.
public final class List<T>: Sequence {
    private var elements: [T]

    /// The corresponding .NET member is `List<T>()`.
    public init() {
        elements = []
    }

    /// The capacity is only a hint, as in .NET; a negative one is refused.
    ///
    /// The corresponding .NET member is `List<T>(int)`.
    public init(_ capacity: some BinaryInteger) throws {
        let capacity = try CSharpInteger.int(capacity, "capacity")
        guard capacity >= 0 else { throw ArgumentOutOfRangeException("capacity", capacity, "Non-negative number required.") }
        elements = []
        elements.reserveCapacity(capacity)
    }

    /// The corresponding .NET member is `List<T>(IEnumerable<T>)`.
    public init<Elements: Sequence>(_ collection: Elements) where Elements.Element == T {
        elements = Array(collection)
    }

    /// The corresponding .NET member is `List<T>.Count`.
    public var Count: int { int(elements.count) }

    /// The element at `index`; throws `ArgumentOutOfRangeException` outside the list.
    ///
    /// The corresponding .NET member is `List<T>[int]` (get).
    public subscript(index: some BinaryInteger) -> T {
        get throws { elements[try checkedIndex(index, elements.count)] }
    }

    /// Assigning an element: `list[i] = x`. An index outside the list stops the program (see the type).
    ///
    /// The corresponding .NET member is `List<T>[int]` (set).
    @_disfavoredOverload
    public subscript(index: some BinaryInteger) -> T? {
        get { Int(exactly: index).flatMap { elements.indices.contains($0) ? elements[$0] : nil } }
        set {
            guard let newValue else { preconditionFailure("a List element cannot be assigned nil") }
            do {
                elements[try checkedIndex(index, elements.count)] = newValue
            } catch {
                preconditionFailure("\(error)")
            }
        }
    }

    /// The corresponding .NET member is `List<T>.Add(T)`.
    public func Add(_ item: T) {
        elements.append(item)
    }

    /// The corresponding .NET member is `List<T>.AddRange(IEnumerable<T>)`.
    public func AddRange<Elements: Sequence>(_ collection: Elements) where Elements.Element == T {
        elements.append(contentsOf: collection)
    }

    /// Inserts `item` before the element at `index` (`Count` appends); throws `ArgumentOutOfRangeException` beyond.
    ///
    /// The corresponding .NET member is `List<T>.Insert(int, T)`.
    public func Insert(_ index: some BinaryInteger, _ item: T) throws {
        elements.insert(item, at: try checkedIndex(index, elements.count, allowingEnd: true))
    }

    /// The corresponding .NET member is `List<T>.RemoveAt(int)`.
    public func RemoveAt(_ index: some BinaryInteger) throws {
        elements.remove(at: try checkedIndex(index, elements.count))
    }

    /// Removes every element `match` accepts and returns how many.
    ///
    /// The corresponding .NET member is `List<T>.RemoveAll(Predicate<T>)`.
    @discardableResult
    public func RemoveAll(_ match: (T) throws -> Bool) rethrows -> int {
        let before = elements.count
        try elements.removeAll(where: match)
        return int(before - elements.count)
    }

    /// The corresponding .NET member is `List<T>.Clear()`.
    public func Clear() {
        elements.removeAll()
    }

    /// The first element `match` accepts, or nil (.NET: `default(T)`).
    ///
    /// The corresponding .NET member is `List<T>.Find(Predicate<T>)`.
    public func Find(_ match: (T) throws -> Bool) rethrows -> T? {
        try elements.first(where: match)
    }

    /// The corresponding .NET member is `List<T>.FindIndex(Predicate<T>)` (-1 when none matches).
    public func FindIndex(_ match: (T) throws -> Bool) rethrows -> int {
        try elements.firstIndex(where: match).map { int($0) } ?? -1
    }

    /// The corresponding .NET member is `List<T>.Exists(Predicate<T>)`.
    public func Exists(_ match: (T) throws -> Bool) rethrows -> Bool {
        try elements.contains(where: match)
    }

    /// The corresponding .NET member is `List<T>.ForEach(Action<T>)`.
    public func ForEach(_ action: (T) throws -> Void) rethrows {
        for element in elements { try action(element) }
    }

    /// Sorts with `comparison` (negative, zero or positive as C#'s `Comparison<T>`).
    ///
    /// The corresponding .NET member is `List<T>.Sort(Comparison<T>)`.
    public func Sort(_ comparison: (T, T) throws -> int) rethrows {
        try elements.sort { try comparison($0, $1) < 0 }
    }

    /// Reverses the order of the elements.
    ///
    /// The corresponding .NET member is `List<T>.Reverse()`.
    public func Reverse() {
        elements.reverse()
    }

    /// The elements in order, as a new array.
    ///
    /// The corresponding .NET member is `List<T>.ToArray()`.
    public func ToArray() -> [T] {
        elements
    }

    /// The object to `lock` for a sequence of calls that must not interleave with other threads' calls (the
    /// collection itself).
    ///
    /// The corresponding .NET member is `ICollection.SyncRoot`.
    public var SyncRoot: AnyObject { self }

    /// Iterates over a snapshot taken when iteration starts (C#'s `foreach`); .NET would throw if the list
    /// changed meanwhile, this never sees the change.
    public func makeIterator() -> IndexingIterator<[T]> {
        elements.makeIterator()
    }
}

extension List: ICollection {
    /// An enumerator over a snapshot of the elements.
    ///
    /// The corresponding .NET member is `List<T>.GetEnumerator()` (as `IEnumerable`).
    public func GetEnumerator() -> IEnumerator {
        SnapshotEnumerator(elements.map { $0 as Any? })
    }
}

/// `ArrayList` is an `IList`: its own members are the interface's.
extension List: IList where T == Any {}

extension List where T: Equatable {
    /// The corresponding .NET member is `List<T>.Contains(T)`.
    public func Contains(_ item: T) -> Bool {
        elements.contains(item)
    }

    /// The position of the first element equal to `item`, or -1.
    ///
    /// The corresponding .NET member is `List<T>.IndexOf(T)`.
    public func IndexOf(_ item: T) -> int {
        elements.firstIndex(of: item).map { int($0) } ?? -1
    }

    /// Removes the first element equal to `item`; false when there is none.
    ///
    /// The corresponding .NET member is `List<T>.Remove(T)`.
    @discardableResult
    public func Remove(_ item: T) -> Bool {
        guard let index = elements.firstIndex(of: item) else { return false }
        elements.remove(at: index)
        return true
    }
}

extension List {
    /// `Contains` for elements that are not `Equatable` (a class, an interface): C#'s default `Equals`, the
    /// same instance.
    ///
    /// The corresponding .NET member is `List<T>.Contains(T)`.
    @_disfavoredOverload
    public func Contains(_ item: T) -> Bool { elements.contains { objectEquals($0, item) } }

    /// `IndexOf` for elements that are not `Equatable`: the first one that is `item` (C#'s default `Equals`).
    ///
    /// The corresponding .NET member is `List<T>.IndexOf(T)`.
    @_disfavoredOverload
    public func IndexOf(_ item: T) -> int { elements.firstIndex { objectEquals($0, item) }.map { int($0) } ?? -1 }

    /// `Remove` for elements that are not `Equatable` (a listener list of a class or an interface type):
    /// removes the first element that is `item`.
    ///
    /// The corresponding .NET member is `List<T>.Remove(T)`.
    @_disfavoredOverload @discardableResult
    public func Remove(_ item: T) -> Bool {
        guard let index = elements.firstIndex(where: { objectEquals($0, item) }) else { return false }
        elements.remove(at: index)
        return true
    }

    /// A shallow copy: a new list holding the same elements (C#: `(ArrayList)list.Clone()` →
    /// `(list.Clone() as! ArrayList)`).
    ///
    /// The corresponding .NET member is `ArrayList.Clone()`.
    public func Clone() -> object { List(elements) }
}

extension List where T: Comparable {
    /// Sorts in ascending order.
    ///
    /// The corresponding .NET member is `List<T>.Sort()`.
    public func Sort() {
        elements.sort()
    }
}

/// The non-generic list of objects: `new ArrayList()` → `ArrayList()`; `(string)list[0]` → `try list[0] as! String`.
///
/// The corresponding .NET type is `System.Collections.ArrayList`.
public typealias ArrayList = List<Any>

extension List where T == Any {
    /// Adds `value` and returns its index, as `ArrayList.Add` does.
    ///
    /// The corresponding .NET member is `ArrayList.Add(object)`.
    @discardableResult
    public func Add(_ value: Any) -> int {
        elements.append(value)
        return int(elements.count - 1)
    }

    /// `Add` of a value that may be null (a `string!` parameter, C#'s `string`): the element is C#'s null
    /// when it is nil, and the string itself otherwise.
    ///
    /// The corresponding .NET member is `ArrayList.Add(object)`.
    @discardableResult
    public func Add<Wrapped>(_ value: Wrapped?) -> int {
        elements.append(value.map { $0 as Any } ?? Optional<Any>.none as Any)
        return int(elements.count - 1)
    }

    /// True when an element equals `value` (equal values of one type, or the same object).
    ///
    /// The corresponding .NET member is `ArrayList.Contains(object)`.
    public func Contains(_ value: Any) -> Bool {
        elements.contains { objectEquals($0, value) }
    }

    /// The position of the first element equal to `value`, or -1.
    ///
    /// The corresponding .NET member is `ArrayList.IndexOf(object)`.
    public func IndexOf(_ value: Any) -> int {
        elements.firstIndex { objectEquals($0, value) }.map { int($0) } ?? -1
    }

    /// Removes the first element equal to `value`; nothing when there is none.
    ///
    /// The corresponding .NET member is `ArrayList.Remove(object)`.
    public func Remove(_ value: Any) {
        if let index = elements.firstIndex(where: { objectEquals($0, value) }) { elements.remove(at: index) }
    }
}
