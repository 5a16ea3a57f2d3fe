/// A C# `event` field: the delegates subscribed to it, called in the order they were added.
///
/// ```swift
/// // public event EventHandler Connected;
/// public var Connected = Event<EventHandler<EventArgs>>()
/// // public delegate void PublicationReceivedHandler(string topic, string payload);
/// public typealias PublicationReceivedHandler = (_ topic: string, _ payload: string) throws -> Void
/// // public event PublicationReceivedHandler MessageReceived;
/// public var MessageReceived = Event<PublicationReceivedHandler>()
/// // client.Connected += OnConnected;
/// client.Connected += OnConnected
/// // if (Connected != null) Connected(this, EventArgs.Empty);
/// if Connected != nil { try Connected(self, EventArgs.Empty) }
/// // PublicationReceivedHandler handler = MessageReceived; if (handler != null) handler(topic, text);
/// let handler = MessageReceived; if handler != nil { try handler(topic, text) }
/// ```
///
/// An event is a value, as a C# delegate is immutable: a copy in a local variable keeps the handlers it
/// had when it was taken, whatever is added or removed afterwards. Raising an event with no handler throws
/// `NullReferenceException`, as calling a null delegate does in C#; `Connected = nil` removes every handler
/// (C#'s `Connected = null` inside the declaring class).
///
/// Calling the event calls each handler in turn on the raising thread. An exception a handler throws
/// propagates to the raiser, and the handlers after it are not called, as with a .NET multicast delegate.
///
/// **Removing a handler.** C#'s `-=` finds the delegate with the same target object and method. A Swift
/// function value has no identity to compare, so `-=` does not compile (its message says so) rather than
/// removing a different handler or none.
///
/// **Lifetime.** The event holds its handlers strongly, as .NET's does. An instance method of an object that
/// also owns the event's object (`subscriptions.Added += OnAdded` where `subscriptions` is a field) would
/// then form a reference cycle, which .NET's collector frees and reference counting does not: subscribe it
/// as `weak(self, ClassName.OnAdded)`, which holds `self` weakly and does nothing once `self` is freed.
///
/// Like a .NET field-like event, the handler list is not guarded by a lock of its own here: subscribe
/// before other threads raise the event, or subscribe and raise inside `lock`.
///
/// The corresponding .NET construct is a C# `event` of a delegate type (`System.MulticastDelegate`).
public struct Event<Handler> {
    private var handlers: [Handler] = []

    /// An event with no handler (C#'s `null`).
    public init() {}

    /// The handlers in the order they are called.
    ///
    /// The corresponding .NET member is `Delegate.GetInvocationList()`.
    public func GetInvocationList() -> [Handler] { handlers }

    /// Adds `handler` after those already subscribed (it may be added more than once, and is then called
    /// once per subscription).
    ///
    /// The corresponding .NET member is the event's `add` accessor (`Delegate.Combine`).
    public static func += (event: inout Event, handler: Handler) {
        event.handlers.append(handler)
    }

    /// Not available: a Swift function has no identity, so the handler to remove cannot be found.
    ///
    /// The corresponding .NET member is the event's `remove` accessor (`Delegate.Remove`).
    @available(
        *, unavailable,
        message: "a Swift function has no identity, so -= cannot find the handler; subscribe with weak(self, ClassName.Method) or set the event to nil (MIGRATION.md 7.1)"
    )
    public static func -= (event: inout Event, handler: Handler) {}

    /// True when at least one handler is subscribed: C#'s `Connected != null`.
    public static func != (event: Event, _: _OptionalNilComparisonType) -> Bool {
        !event.handlers.isEmpty
    }

    /// True when no handler is subscribed: C#'s `Connected == null`.
    public static func == (event: Event, _: _OptionalNilComparisonType) -> Bool {
        event.handlers.isEmpty
    }

    /// The handlers to call, or C#'s `NullReferenceException` for a call on a null delegate.
    private func handlersToCall() throws -> [Handler] {
        guard !handlers.isEmpty else { throw NullReferenceException() }
        return handlers
    }
}

extension Event: ExpressibleByNilLiteral {
    /// `Connected = nil` removes every handler, as C#'s `Connected = null` inside the declaring class does.
    public init(nilLiteral: ()) {
        self.init()
    }
}

// Raising: `Connected(this, e)` and `Connected.Invoke(this, e)`, for delegates of up to five parameters.
extension Event {
    /// Calls every handler in order; throws `NullReferenceException` when there is none.
    ///
    /// The corresponding .NET member is `Invoke` on the event's delegate type.
    public func callAsFunction() throws where Handler == () throws -> Void {
        for handler in try handlersToCall() { try handler() }
    }

    /// Calls every handler in order; throws `NullReferenceException` when there is none.
    ///
    /// The corresponding .NET member is `Invoke` on the event's delegate type.
    public func callAsFunction<A>(_ a: A) throws where Handler == (A) throws -> Void {
        for handler in try handlersToCall() { try handler(a) }
    }

    /// Calls every handler in order; throws `NullReferenceException` when there is none.
    ///
    /// The corresponding .NET member is `Invoke` on the event's delegate type.
    public func callAsFunction<A, B>(_ a: A, _ b: B) throws where Handler == (A, B) throws -> Void {
        for handler in try handlersToCall() { try handler(a, b) }
    }

    /// Calls every handler in order; throws `NullReferenceException` when there is none.
    ///
    /// The corresponding .NET member is `Invoke` on the event's delegate type.
    public func callAsFunction<A, B, C>(_ a: A, _ b: B, _ c: C) throws where Handler == (A, B, C) throws -> Void {
        for handler in try handlersToCall() { try handler(a, b, c) }
    }

    /// Calls every handler in order; throws `NullReferenceException` when there is none.
    ///
    /// The corresponding .NET member is `Invoke` on the event's delegate type.
    public func callAsFunction<A, B, C, D>(_ a: A, _ b: B, _ c: C, _ d: D) throws where Handler == (A, B, C, D) throws -> Void {
        for handler in try handlersToCall() { try handler(a, b, c, d) }
    }

    /// Calls every handler in order; throws `NullReferenceException` when there is none.
    ///
    /// The corresponding .NET member is `Invoke` on the event's delegate type.
    public func callAsFunction<A, B, C, D, E>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E) throws
    where Handler == (A, B, C, D, E) throws -> Void {
        for handler in try handlersToCall() { try handler(a, b, c, d, e) }
    }

    /// The corresponding .NET member is `Invoke()` on the event's delegate type.
    public func Invoke() throws where Handler == () throws -> Void { try self() }

    /// The corresponding .NET member is `Invoke(…)` on the event's delegate type.
    public func Invoke<A>(_ a: A) throws where Handler == (A) throws -> Void { try self(a) }

    /// The corresponding .NET member is `Invoke(…)` on the event's delegate type.
    public func Invoke<A, B>(_ a: A, _ b: B) throws where Handler == (A, B) throws -> Void { try self(a, b) }

    /// The corresponding .NET member is `Invoke(…)` on the event's delegate type.
    public func Invoke<A, B, C>(_ a: A, _ b: B, _ c: C) throws where Handler == (A, B, C) throws -> Void {
        try self(a, b, c)
    }

    /// The corresponding .NET member is `Invoke(…)` on the event's delegate type.
    public func Invoke<A, B, C, D>(_ a: A, _ b: B, _ c: C, _ d: D) throws where Handler == (A, B, C, D) throws -> Void {
        try self(a, b, c, d)
    }

    /// The corresponding .NET member is `Invoke(…)` on the event's delegate type.
    public func Invoke<A, B, C, D, E>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E) throws
    where Handler == (A, B, C, D, E) throws -> Void {
        try self(a, b, c, d, e)
    }
}
