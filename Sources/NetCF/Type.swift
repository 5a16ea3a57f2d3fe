/// What `GetType()` and `typeof(…)` return: a type's `Name` and `FullName`.
///
/// - `typeof(Foo).Name` → `typeof(Foo.self).Name` (a type as an argument needs `.self`, as in `sizeof(int.self)`).
/// - `this.GetType().Name` / `target.GetType().FullName` on an instance of the program's own class: the class
///   derives from `Object` (`class Foo : object` is implicit in C#; here `final class Foo: Object`), which has
///   `GetType()`. Swift cannot add a method to every class.
/// - On a value typed `object` read from a collection or a parameter (`Any?`, `object!`, `object?`), `GetType()`
///   works as it is and throws `NullReferenceException` for null, as C# does.
/// - On a caught .NET exception, `e.GetType().Name` works as it is (`"SocketException"`).
///
/// `FullName` is the Swift module where C# has the namespace, then the type, nested types joined by `+` as in
/// .NET: `MyPort.XmlRpcServer`, `MyPort.Outer+Inner`. A type that declares `static var dotNetTypeName` (the .NET
/// exceptions, or the program's own type that wants its C# namespace back) gives that instead. `Name` is the
/// last part: `XmlRpcServer`. Generic types keep Swift's spelling of their arguments (`List<Swift.Int>`).
///
/// The corresponding .NET type is `System.Type`.
public final class `Type`: Equatable, CustomStringConvertible, @unchecked Sendable {
    private let type: Any.Type

    init(_ type: Any.Type) {
        self.type = type
    }

    /// The .NET name the type gives itself, if any.
    private var dotNetTypeName: String? {
        if let named = type as? any DotNetNamed.Type { return named.dotNetTypeName }
        if let exception = type as? any DotNetException.Type { return exception.dotNetTypeName }
        return nil
    }

    /// The namespace-qualified name (here the module): `MyPort.XmlRpcServer`.
    ///
    /// The corresponding .NET member is `Type.FullName`.
    public var FullName: String {
        if let named = dotNetTypeName { return named }
        let (path, arguments) = Self.split(String(reflecting: type))
        guard path.count > 1 else { return (path.first ?? "") + arguments }
        return path[0] + "." + path.dropFirst().joined(separator: "+") + arguments
    }

    /// The name without its namespace or enclosing types: `XmlRpcServer`.
    ///
    /// The corresponding .NET member is `Type.Name`.
    public var Name: String {
        if let named = dotNetTypeName { return String(named.split(separator: ".").last ?? "") }
        let (path, arguments) = Self.split(String(reflecting: type))
        return (path.last ?? "") + arguments
    }

    /// The module (C#'s namespace): `MyPort`.
    ///
    /// The corresponding .NET member is `Type.Namespace`.
    public var Namespace: String {
        if let named = dotNetTypeName { return named.split(separator: ".").dropLast().joined(separator: ".") }
        return Self.split(String(reflecting: type)).path.first ?? ""
    }

    /// The corresponding .NET member is `Type.ToString()` (the full name).
    public func ToString() -> String { FullName }

    public var description: String { FullName }

    /// The same type: `o.GetType() == typeof(Foo)` → `o.GetType() == typeof(Foo.self)`.
    public static func == (left: Type, right: Type) -> Bool {
        ObjectIdentifier(left.type) == ObjectIdentifier(right.type)
    }

    /// `Module.Outer.Inner<Args>` → (["Module", "Outer", "Inner"], "<Args>"), without the
    /// `(unknown context at …)` part Swift prints for a type declared inside a function.
    private static func split(_ reflected: String) -> (path: [String], arguments: String) {
        let genericStart = reflected.firstIndex(of: "<") ?? reflected.endIndex
        var path: [String] = []
        var current = ""
        var depth = 0
        for character in reflected[..<genericStart] {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "." where depth == 0:
                if !current.isEmpty { path.append(current) }
                current = ""
                continue
            default: break
            }
            if depth == 0, character != ")" { current.append(character) }
        }
        if !current.isEmpty { path.append(current) }
        return (path, String(reflected[genericStart...]))
    }
}

/// A program type that prints a .NET name of its own in `GetType().FullName`, as the exceptions do with their
/// `dotNetTypeName`: `extension XmlRpcServer: DotNetNamed { static let dotNetTypeName = "Nwc.XmlRpc.XmlRpcServer" }`.
public protocol DotNetNamed {
    /// The full .NET type name, such as `System.ArgumentException`.
    static var dotNetTypeName: String { get }
}

/// C#'s `typeof(Foo)`: `typeof(Foo.self)`.
///
/// The corresponding C# operator is `typeof`.
public func typeof(_ type: Any.Type) -> Type {
    Type(type)
}

extension Object {
    /// The object's class (the subclass it was created as).
    ///
    /// The corresponding .NET member is `Object.GetType()`.
    public func GetType() -> Type {
        Type(Swift.type(of: self))
    }
}

extension Optional where Wrapped == Any {
    /// The type of the value held (a collection's element, C#'s `object`); `NullReferenceException` for null.
    ///
    /// The corresponding .NET member is `Object.GetType()`.
    public func GetType() throws -> Type {
        guard let value = self else { throw NullReferenceException() }
        return Type(Swift.type(of: value))
    }
}

extension Optional where Wrapped == AnyObject {
    /// The class of the object held (an `object!` field or parameter); `NullReferenceException` for null.
    ///
    /// The corresponding .NET member is `Object.GetType()`.
    public func GetType() throws -> Type {
        guard let value = self else { throw NullReferenceException() }
        return Type(Swift.type(of: value))
    }
}

extension DotNetException {
    /// The exception's .NET type (`System.Net.Sockets.SocketException`: `Name` is `SocketException`).
    ///
    /// The corresponding .NET member is `Exception.GetType()`.
    public func GetType() -> Type {
        Type(Self.self)
    }
}
