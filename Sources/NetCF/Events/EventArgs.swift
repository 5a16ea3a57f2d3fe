/// The base class of an event's data, and the data of an event that carries none (`EventArgs.Empty`).
///
/// ```swift
/// // class DataEventArgs : EventArgs { public byte[] Data; }
/// final class DataEventArgs: EventArgs { var Data: [byte]! }
/// // Connected(this, EventArgs.Empty);
/// try Connected(self, EventArgs.Empty)
/// ```
///
/// The corresponding .NET type is `System.EventArgs`.
open class EventArgs {
    /// The corresponding .NET member is `EventArgs()`.
    public init() {}

    /// The one instance for events without data. It has no state, so sharing it between threads is safe.
    ///
    /// The corresponding .NET member is `EventArgs.Empty`.
    nonisolated(unsafe) public static let Empty = EventArgs()
}

/// The delegate of an event: the object raising it (C#'s `this`) and the event's data.
///
/// Swift cannot declare a generic and a non-generic type of one name, so C#'s non-generic `EventHandler`
/// is written with its data type: `EventHandler` → `EventHandler<EventArgs>`, and `EventHandler<T>` is
/// unchanged. A handler method ports as in C#:
///
/// ```swift
/// // void OnConnected(object sender, EventArgs e) { ... }
/// func OnConnected(_ sender: object?, _ e: EventArgs) { ... }
/// ```
///
/// As every delegate type of the package (MIGRATION.md section 1.3) it may throw, and it is not
/// `@Sendable`, so an instance method of the program's own class converts to it.
///
/// The corresponding .NET types are `System.EventHandler` and `System.EventHandler<TEventArgs>`.
public typealias EventHandler<TEventArgs> = (_ sender: object?, _ e: TEventArgs) throws -> Void
