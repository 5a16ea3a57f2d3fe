/// The corresponding .NET type is `System.Threading.Timeout`.
public enum Timeout {
    /// Wait without a limit: `Thread.Join`, `Thread.Sleep`, `WaitOne` and `Monitor` accept it as a timeout.
    ///
    /// The corresponding .NET member is `Timeout.Infinite`.
    public static let Infinite: Int32 = -1
}
