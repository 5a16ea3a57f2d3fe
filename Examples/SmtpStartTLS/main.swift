import Foundation
import NetCF
import WinsockSSL

// smtp-starttls: submits one plain-text mail over STARTTLS, with the .NET names of the 2009 blog's example
// but none of its shortcuts (see SmtpSubmission.swift). Exit status: 0 sent, 1 the submission failed
// (the message names the step and the server's reply), 64 bad usage, 66 an input file cannot be read.

let usageLine = "usage: smtp-starttls --server HOST[:PORT] --from ADDR --to ADDR [--to ADDR ...] [--subject TEXT]"
    + " [--body TEXT | --body-file FILE] [--ca FILE] [--ehlo NAME] [--timeout SECONDS] [--verbose] [--help]"

let helpText = """
    smtp-starttls: sends one plain-text message through a mail submission server, always over TLS.

    \(usageLine)

      --server HOST[:PORT]  the submission server (port 587 unless given; [v6-address]:PORT for IPv6).
                            HOST is also the name its certificate must carry.
      --from ADDR           the envelope and header sender
      --to ADDR             a recipient; repeat for more
      --subject TEXT        the Subject header (default "smtp-starttls test")
      --body TEXT           the message text (default a one-line test message)
      --body-file FILE      the message text, read from FILE
      --ca FILE             also trust the root certificate(s) in this PEM file (a private CA)
      --ehlo NAME           the name given in EHLO (default this machine's host name)
      --timeout SECONDS     bound for every reply, send, handshake and connect (default 30)
      --verbose             print the conversation (C: client, S: server)

    The connection starts in plain text; the tool stops before sending anything but EHLO if the server does not
    offer STARTTLS or refuses it, and before sending mail if the certificate does not verify.
    Exit status: 0 sent, 1 failed, 64 bad usage, 66 unreadable file.

    """

/// Prints `message` on standard error as one line and exits with `status`.
func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("smtp-starttls: \(message)\n".utf8))
    exit(status)
}

/// `value` in quotes with control characters escaped, so a message about it stays on one line.
func shown(_ value: String) -> String {
    "\"" + value.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "\""
}

/// Reports a mistake in the command line: exit status 64 (EX_USAGE), with the usage line.
func usage(_ problem: String) -> Never {
    FileHandle.standardError.write(Data("smtp-starttls: \(problem)\n\(usageLine)\n".utf8))
    exit(64)
}

struct Options {
    var host = ""
    var port = 587
    var from = ""
    var to: [String] = []
    var subject = "smtp-starttls test"
    var body: String?
    var bodyFile: String?
    var caFile: String?
    var ehlo: String?
    var timeoutSeconds = 30
    var verbose = false
}

/// Parses the command line; every mistake ends in `usage`.
func parseOptions(_ arguments: [String]) -> Options {
    var options = Options()
    var sawServer = false
    var rest = arguments[...]
    while let flag = rest.popFirst() {
        switch flag {
        case "--help", "-h":
            print(helpText, terminator: "")
            exit(0)
        case "--verbose", "-v":
            options.verbose = true
            continue
        default:
            break
        }
        guard let value = rest.popFirst() else { usage("\(flag) needs a value") }
        switch flag {
        case "--server":
            (options.host, options.port) = parseServer(value)
            sawServer = true
        case "--from": options.from = checkedAddress(value, flag)
        case "--to": options.to.append(checkedAddress(value, flag))
        case "--subject": options.subject = value
        case "--body": options.body = value
        case "--body-file": options.bodyFile = value
        case "--ca": options.caFile = value
        case "--ehlo":
            guard isAtom(value) else { usage("--ehlo takes a host name, got \(shown(value))") }
            options.ehlo = value
        case "--timeout":
            guard let seconds = Int(value), (1...3600).contains(seconds) else { usage("--timeout takes whole seconds from 1 to 3600, got \(shown(value))") }
            options.timeoutSeconds = seconds
        default:
            usage("unknown option \(flag)")
        }
    }
    guard sawServer else { usage("--server is required") }
    guard !options.from.isEmpty else { usage("--from is required") }
    guard !options.to.isEmpty else { usage("at least one --to is required") }
    guard options.body == nil || options.bodyFile == nil else { usage("give --body or --body-file, not both") }
    return options
}

/// `host`, `host:port`, `[v6]:port`, or a bare IPv6 address.
func parseServer(_ value: String) -> (String, Int) {
    var host = value
    var port = 587
    if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
        host = String(value[value.index(after: value.startIndex)..<close])
        let after = value[value.index(after: close)...]
        if !after.isEmpty {
            guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { usage("--server takes HOST[:PORT], got \(shown(value))") }
            port = number
        }
    } else if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") {
        host = String(value[..<colon])
        guard let number = Int(value[value.index(after: colon)...]) else { usage("--server takes HOST[:PORT], got \(shown(value))") }
        port = number
    }
    guard isAtom(host), (1...65535).contains(port) else { usage("--server takes HOST[:PORT], got \(shown(value))") }
    return (host, port)
}

/// A mailbox as `local@domain` in printable ASCII, without the characters that would let it escape its
/// `<…>` in `MAIL FROM`/`RCPT TO` or the header (spaces, angle brackets, CR, LF).
func checkedAddress(_ value: String, _ flag: String) -> String {
    let parts = value.split(separator: "@", omittingEmptySubsequences: false)
    guard isAtom(value), !value.contains("<"), !value.contains(">"), !value.contains(","),
          parts.count >= 2, !parts.first!.isEmpty, !parts.last!.isEmpty else {
        usage("\(flag) takes an address like name@example.com, got \(shown(value))")
    }
    return value
}

/// Non-empty printable ASCII without spaces.
func isAtom(_ value: String) -> Bool {
    !value.isEmpty && value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }
}

/// Reads a whole text file, or exits with status 66 (EX_NOINPUT).
func readFile(_ path: String, for flag: String) -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        fail("\(flag) \(path): cannot read it as UTF-8 text (\(error.localizedDescription))", status: 66)
    }
}

let options = parseOptions(Array(CommandLine.arguments.dropFirst()))

if let caFile = options.caFile {
    do {
        try TrustStore.process.add(pemEncoded: readFile(caFile, for: "--ca"))
    } catch {
        fail("--ca \(caFile): no certificate in it (\(error))", status: 66)
    }
}
let ehloName = options.ehlo ?? Dns.GetHostName()
let message = MailMessage(from: options.from, to: options.to, subject: options.subject,
                          body: options.body ?? options.bodyFile.map { readFile($0, for: "--body-file") }
                              ?? "This is a test message sent by smtp-starttls.\n",
                          domain: ehloName)

if options.verbose {
    // `C:` lines the client sent, `S:` lines the server answered, `(TLS)` once encrypted, as blog-example.
    let conversation = SocketConversation()
    SocketTrace.install { event in
        for line in conversation.lines(for: event) { print(line) }
    }
}
let watchdog = Watchdog(limit: .seconds(options.timeoutSeconds))
let submission = SmtpSubmission(server: options.host, port: options.port, ehloName: ehloName, timeoutSeconds: options.timeoutSeconds)
submission.onUnboundedStep = { step in
    if let step { watchdog.begin(step) } else { watchdog.end() }
}

do {
    let queued = try submission.Send(message)
    watchdog.end()
    print("sent: \(queued)")
} catch {
    watchdog.end()
    fail("\(error)")
}
