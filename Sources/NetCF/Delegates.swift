// The general-purpose delegate types of `System`: `Action` and `Func`.
//
// .NET has one type per arity (`Action`, `Action<T>`, `Action<T1, T2>` …). Swift cannot declare a generic and a
// non-generic type of one name, so each is one type alias over a parameter pack: `Action<MessageContext>`,
// `Action<int, string>`, `Action<>` and a bare `Action` all compile, as do `Func<int>` and `Func<int, string>`
// (the last type is the result, as in C#). As for every delegate here (MIGRATION.md 1.3), the function may
// throw, so a call is `try handler(x)`.

/// A method that returns nothing: C#'s `Action`, `Action<T>`, `Action<T1, T2>` … (any number of parameters).
///
/// ```swift
/// // private Action<MessageContext> myResponseMessageHandler;
/// private var myResponseMessageHandler: Action<MessageContext?>!
/// ```
///
/// The corresponding .NET types are `System.Action` and `System.Action<T…>`.
public typealias Action<each T> = (repeat each T) throws -> Void

/// A method that returns a `TResult`: C#'s `Func<TResult>`, `Func<T, TResult>`, `Func<T1, T2, TResult>` …
///
/// The corresponding .NET types are `System.Func<TResult>` and `System.Func<T…, TResult>`.
public typealias Func<each T, TResult> = (repeat each T) throws -> TResult
