// `weak(self, ClassName.Method)`: an instance method as a delegate that does not keep its object alive.

/// `self.Method` as a delegate that holds `self` weakly: once the object is freed, calling the delegate does
/// nothing. Use it where C# hands `this`'s own method to an object `this` owns — an event of a field
/// (`subscriptions.Added += OnAdded`) or a `Timer` in a field — which .NET's collector frees with its owner
/// and Swift's reference counting would keep alive forever as a cycle:
///
/// ```swift
/// // m_subscriptions.SubscriptionAdded += Subscriptions_SubscriptionAdded;
/// m_subscriptions.SubscriptionAdded += weak(self, MQTTClient.Subscriptions_SubscriptionAdded)
/// // m_pingTimer = new Timer(PingTimerProc, null, PingPeriod, PingPeriod);
/// m_pingTimer = try Timer(weak(self, MQTTClient.PingTimerProc), nil, PingPeriod, PingPeriod)
/// ```
///
/// `ClassName.Method` (the class the method is declared in, not `Self`) is Swift's unapplied method
/// reference, which does not capture the object.
public func weak<Target: AnyObject>(_ target: Target, _ method: @escaping (Target) -> () throws -> Void) -> () throws -> Void {
    { [weak target] in
        guard let target else { return }
        try method(target)()
    }
}

/// `self.Method` (one parameter) as a delegate that holds `self` weakly; see the form without parameters.
public func weak<Target: AnyObject, A>(_ target: Target, _ method: @escaping (Target) -> (A) throws -> Void) -> (A) throws -> Void {
    { [weak target] a in
        guard let target else { return }
        try method(target)(a)
    }
}

/// `self.Method` (two parameters, as every `EventHandler`) as a delegate that holds `self` weakly.
public func weak<Target: AnyObject, A, B>(
    _ target: Target, _ method: @escaping (Target) -> (A, B) throws -> Void
) -> (A, B) throws -> Void {
    { [weak target] a, b in
        guard let target else { return }
        try method(target)(a, b)
    }
}

/// `self.Method` (three parameters) as a delegate that holds `self` weakly.
public func weak<Target: AnyObject, A, B, C>(
    _ target: Target, _ method: @escaping (Target) -> (A, B, C) throws -> Void
) -> (A, B, C) throws -> Void {
    { [weak target] a, b, c in
        guard let target else { return }
        try method(target)(a, b, c)
    }
}

/// `self.Method` (four parameters) as a delegate that holds `self` weakly.
public func weak<Target: AnyObject, A, B, C, D>(
    _ target: Target, _ method: @escaping (Target) -> (A, B, C, D) throws -> Void
) -> (A, B, C, D) throws -> Void {
    { [weak target] a, b, c, d in
        guard let target else { return }
        try method(target)(a, b, c, d)
    }
}
