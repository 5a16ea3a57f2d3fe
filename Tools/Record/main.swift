// winsockssl-record: records what a client and its server say to each other into a transcript file that
// `RecordedConversation` loads, or plays a transcript to a client and reports how it differed.
// See README.md ("Record the original, replay to the port").
import Foundation
import WinsockSSL
import WinsockSSLTesting

let usage = """
    usage: winsockssl-record --upstream HOST:PORT --name NAME [options]   record through to a real server
           winsockssl-record --replay FILE --name NAME [options]          play a transcript to the client

      --name NAME          the server name the client expects; the certificate it gets is issued for it
      --listen ADDR:PORT   where to listen (default 127.0.0.1:0, a free port)
      --port-file FILE     write the port listened on to FILE once listening
      --ca-out FILE        write the test CA (PEM) the client must trust
      --out FILE           the transcript (recording) or the report (replay); more connections go to
                           FILE-2, FILE-3, … (default: standard output)
      --connections N      exit after N connections (default 1)
      --timeout SECONDS    give up when they have not all ended by then (default 300)
      --upstream-ca FILE   trust the roots in FILE (PEM) for the upstream server, besides the system's
      --upstream-name NAME the name the upstream certificate must carry (default: the client's SNI, else HOST)
    """

struct UsageError: Error, CustomStringConvertible {
    var description: String
}

struct Options {
    var upstream: (host: String, port: UInt16)?
    var replay: String?
    var name = ""
    var listen = (address: "127.0.0.1", port: UInt16(0))
    var portFile: String?
    var caOut: String?
    var out: String?
    var connections = 1
    var timeout = 300
    var upstreamCA: String?
    var upstreamName: String?

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        func value(_ option: String) throws -> String {
            guard let value = iterator.next() else { throw UsageError(description: "\(option) needs a value") }
            return value
        }
        func endpoint(_ option: String, _ text: String) throws -> (String, UInt16) {
            guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
                throw UsageError(description: "\(option) takes HOST:PORT, not \(text)")
            }
            return (String(text[..<colon]), port)
        }
        while let argument = iterator.next() {
            switch argument {
            case "--upstream": upstream = try endpoint(argument, try value(argument))
            case "--replay": replay = try value(argument)
            case "--name": name = try value(argument)
            case "--listen": listen = try endpoint(argument, try value(argument))
            case "--port-file": portFile = try value(argument)
            case "--ca-out": caOut = try value(argument)
            case "--out": out = try value(argument)
            case "--connections":
                guard let count = Int(try value(argument)), count > 0 else { throw UsageError(description: "--connections takes a positive number") }
                connections = count
            case "--timeout":
                guard let seconds = Int(try value(argument)), seconds > 0 else { throw UsageError(description: "--timeout takes a positive number of seconds") }
                timeout = seconds
            case "--upstream-ca": upstreamCA = try value(argument)
            case "--upstream-name": upstreamName = try value(argument)
            case "-h", "--help": throw UsageError(description: "")
            default: throw UsageError(description: "unknown argument \(argument)")
            }
        }
        guard (upstream == nil) != (replay == nil) else { throw UsageError(description: "give either --upstream or --replay") }
        guard !name.isEmpty else { throw UsageError(description: "--name is required: the server name the client expects") }
    }

    /// Where connection `number` (from 1) is written; nil for standard output.
    func outputPath(_ number: Int) -> String? {
        guard let out else { return nil }
        return number == 1 ? out : "\(out)-\(number)"
    }
}

func write(_ text: String, to path: String?) throws {
    if let path {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

func run(_ options: Options) throws -> Int32 {
    let authority = try TestCertificateAuthority(commonName: "winsockssl-record test CA")
    let certificate = try authority.issue(dnsNames: [options.name])
    if let caOut = options.caOut { try write(authority.rootPEM, to: caOut) }
    let written = LockedValue(0)

    let endpoint: SocketEndpoint
    let stop: () -> Void
    let done: (Duration) -> Bool
    if let (host, port) = options.upstream {
        var upstreamTLS = TLSConfiguration(peerName: options.upstreamName)
        if let path = options.upstreamCA {
            upstreamTLS.additionalTrustRoots = try Certificate.certificates(pemEncoded: String(contentsOfFile: path, encoding: .utf8))
        }
        let recorder = try ConversationRecorder(
            upstreamHost: host, upstreamPort: port, certificate: certificate, upstreamTLS: upstreamTLS,
            address: options.listen.address, port: options.listen.port) { conversation in
                let number = written.withLock { $0 += 1; return $0 }
                do { try write(conversation.fileText, to: options.outputPath(number)) } catch {
                    FileHandle.standardError.write(Data("winsockssl-record: cannot write the transcript: \(error)\n".utf8))
                }
            }
        endpoint = recorder.endpoint
        stop = {
            recorder.stop()
            for error in recorder.errors { FileHandle.standardError.write(Data("winsockssl-record: \(error)\n".utf8)) }
        }
        done = { recorder.waitForConversations(options.connections, timeout: $0) }
    } else {
        let original = try RecordedConversation(contentsOfFile: options.replay!)
        let server = try ScriptedSTARTTLSServer(transcript: Transcript(replaying: original),
                                                configuration: TLSServerConfiguration(serving: certificate, minimumVersion: .tls1),
                                                address: options.listen.address, port: options.listen.port)
        endpoint = server.endpoint
        stop = {
            server.stop()
            for (index, recording) in server.recordings.enumerated() {
                let differences = recording.differences(from: original)
                let report = recording.log + (differences.isEmpty
                    ? "== the client did what the transcript's client did\n"
                    : "== differences from the transcript:\n" + differences.map { "\($0)\n" }.joined())
                try? write(report, to: options.outputPath(index + 1))
            }
        }
        done = { server.waitForClients(options.connections, timeout: $0) }
    }
    if let portFile = options.portFile { try write("\(endpoint.port)\n", to: portFile) }
    FileHandle.standardError.write(Data("winsockssl-record: listening on \(endpoint) for \(options.name)\n".utf8))
    let finished = done(.seconds(options.timeout))
    stop()
    if !finished {
        FileHandle.standardError.write(Data("winsockssl-record: not all \(options.connections) connections ended within \(options.timeout) s\n".utf8))
        return 1
    }
    return 0
}

do {
    exit(try run(try Options(Array(CommandLine.arguments.dropFirst()))))
} catch let error as UsageError {
    FileHandle.standardError.write(Data(((error.description.isEmpty ? "" : "winsockssl-record: \(error)\n") + usage + "\n").utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("winsockssl-record: \(error)\n".utf8))
    exit(1)
}
