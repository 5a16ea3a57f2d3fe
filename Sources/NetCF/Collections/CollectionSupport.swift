// What the collections share: the index check and C#'s `Equals` on objects.

/// The index check of the collections: `ArgumentOutOfRangeException` naming `paramName`, with .NET's message.
func checkedIndex(_ index: some BinaryInteger, _ count: Int, _ paramName: String = "index", allowingEnd: Bool = false) throws -> Int {
    let position = try CSharpInteger.int(index, paramName)
    guard position >= 0, allowingEnd ? position <= count : position < count else {
        throw ArgumentOutOfRangeException(
            paramName, position, "Index was out of range. Must be non-negative and less than the size of the collection.")
    }
    return position
}

/// C#'s `Equals` on two `object`s: equal values of one `Hashable` type, or the same instance.
func objectEquals(_ left: Any, _ right: Any) -> Bool {
    if let left = left as? AnyHashable, let right = right as? AnyHashable { return left == right }
    if type(of: left) is AnyClass, type(of: right) is AnyClass { return (left as AnyObject) === (right as AnyObject) }
    return false
}

/// The value inside an `Any` that holds an optional (a `string!` passed where `object` is taken), nil for a null;
/// any other value as it is.
func unwrappedObject(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    guard mirror.displayStyle == .optional else { return value }
    guard let wrapped = mirror.children.first?.value else { return nil }
    return unwrappedObject(wrapped)
}

/// C#'s `null` as a value of an optional type parameter (`Dictionary<string, Socket?>`), nil for other types.
enum NullValue {
    static func of<Value>(_ type: Value.Type) -> Value? {
        (type as? any OptionalType.Type).map { $0.null as! Value }
    }
}

private protocol OptionalType {
    static var null: Self { get }
}

extension Optional: OptionalType {
    fileprivate static var null: Self { nil }
}
