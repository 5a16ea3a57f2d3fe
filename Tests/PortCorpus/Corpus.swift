// The port corpus: each `.cs` file here is a CE-style C# program of our own, kept as text; the `.swift`
// file of the same name is its line-for-line port, which imports NetCF alone. scripts/port-diff compares
// the two, and Tests/PortCorpusTests runs each port against real TLS peers.
