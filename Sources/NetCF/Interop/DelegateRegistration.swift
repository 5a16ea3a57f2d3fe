import WinsockSSL

/// One `Marshal.GetFunctionPointerForDelegate` registration: the delegate behind a function pointer, and who
/// keeps it alive.
///
/// .NET keeps a delegate alive while the program references it and frees its thunk when the collector finds
/// it unreachable; Swift frees on the last strong reference, and a hook that is an instance method references
/// its owner. So the registration holds the delegate strongly only until a socket takes the hook
/// (`Socket.IOControl(SO_SSL_SET_VALIDATE_CERT_HOOK)` calls `holdForSocket`); from then on the sockets hold
/// the `Holder` and the registration only weakly. When the last holder goes, the address is forgotten.
final class DelegateRegistration: @unchecked Sendable {
    /// Owns the delegate. Unchecked `Sendable`: a delegate is an arbitrary function of the program,
    /// called on the handshake thread as .NET calls delegates on whichever thread raises them.
    final class Holder: @unchecked Sendable {
        let function: SSLVALIDATECERTFUNC
        weak var registration: DelegateRegistration?
        /// What the delegate threw on its last call, until a socket reports it.
        let thrown = Locked<(any Error)?>(nil)

        init(_ function: @escaping SSLVALIDATECERTFUNC) {
            self.function = function
        }

        deinit {
            // The last socket using the hook is done with it: forget the address, as .NET's collector would.
            if let registration, let address = registration.address {
                registration.forget(address)
            }
        }
    }

    private struct State {
        var strong: Holder?
        weak var weak: Holder?
        var address: UInt32?
    }

    private let state: Locked<State>

    init(_ function: @escaping SSLVALIDATECERTFUNC) {
        let holder = Holder(function)
        state = Locked(State(strong: holder, weak: holder, address: nil))
        holder.registration = self
    }

    /// The heap address, set once registered.
    var address: UInt32? {
        get { state.withLock { $0.address } }
        set { state.withLock { $0.address = newValue } }
    }

    /// The delegate, while anyone holds it.
    var function: SSLVALIDATECERTFUNC? { state.withLock { $0.strong ?? $0.weak }?.function }

    /// A socket takes the hook: it receives the holder, and the registration stops keeping the delegate alive.
    func holdForSocket() -> Holder? {
        state.withLock { state in
            let holder = state.strong ?? state.weak
            state.strong = nil
            return holder
        }
    }

    private func forget(_ address: UInt32) {
        // Only this registration's own entry: the address may have been released and reused meanwhile.
        if let hook = UnmanagedHeap.shared.function(at: address) as? CertificateHook,
           (hook.delegate as? DelegateRegistration) === self {
            UnmanagedHeap.shared.unregisterFunction(address)
            Self.recentlyReleased.withLock { released in
                released.append(address)
                if released.count > 64 { released.removeFirst() }
            }
        }
    }

    /// The last addresses forgotten this way, for a clear error when a program reuses one (bounded, so
    /// memory stays flat however many registrations come and go).
    private static let recentlyReleased = Locked<[UInt32]>([])

    static func wasReleased(_ address: UInt32) -> Bool {
        recentlyReleased.withLock { $0.contains(address) }
    }

    /// The provider's call: pointers become `IntPtr`s, and a throw or a released delegate is a rejection
    /// with `SSL_ERR_FAILED`.
    func callCertificateHook(_ type: UInt32, _ argument: UInt32, _ chainLength: UInt32, _ chain: UInt32, _ flags: UInt32) -> Int32 {
        guard let holder = state.withLock({ $0.strong ?? $0.weak }) else { return SSL_ERR_FAILED }
        do {
            return try holder.function(type, IntPtr(address: argument), chainLength, IntPtr(address: chain), flags)
        } catch {
            holder.thrown.withLock { $0 = error }
            return SSL_ERR_FAILED
        }
    }
}
