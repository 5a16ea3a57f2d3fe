extension IPAddress {
    // The emulated device is little-endian, as CE devices were and as `BitConverter` is here, so converting
    // between network (big-endian) and host order always reverses the bytes. The overload is picked by the
    // static type, as in C#; an untyped literal is an `int`.

    /// The corresponding .NET member is `IPAddress.HostToNetworkOrder(Int16)`.
    @_disfavoredOverload
    public static func HostToNetworkOrder(_ host: short) -> short { host.byteSwapped }

    /// The corresponding .NET member is `IPAddress.HostToNetworkOrder(Int32)`.
    public static func HostToNetworkOrder(_ host: int) -> int { host.byteSwapped }

    /// The corresponding .NET member is `IPAddress.HostToNetworkOrder(Int64)`.
    @_disfavoredOverload
    public static func HostToNetworkOrder(_ host: long) -> long { host.byteSwapped }

    /// The corresponding .NET member is `IPAddress.NetworkToHostOrder(Int16)`.
    @_disfavoredOverload
    public static func NetworkToHostOrder(_ network: short) -> short { network.byteSwapped }

    /// The corresponding .NET member is `IPAddress.NetworkToHostOrder(Int32)`.
    public static func NetworkToHostOrder(_ network: int) -> int { network.byteSwapped }

    /// The corresponding .NET member is `IPAddress.NetworkToHostOrder(Int64)`.
    @_disfavoredOverload
    public static func NetworkToHostOrder(_ network: long) -> long { network.byteSwapped }
}
