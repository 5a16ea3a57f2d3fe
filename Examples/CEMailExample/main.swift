import CEMailClient
import Foundation
import WinsockCE
import WinsockSSL
import WinsockSSLTesting

// ce-mail-example: runs Examples/CEMailClient/cemail.c, a Windows CE style C mail client compiled unchanged
// against the WinsockCE headers, against an embedded server that replays the 2009 blog's conversation with
// smtp.live.com byte for byte (the same server blog-example uses), with a certificate for smtp.live.com from
// a throw-away CA trusted for this run. No network needed.
//
//   ce-mail-example [HOST [PORT]] [--ehlo NAME] [--quit]
//
// With HOST, the C program runs as it would on its own (see Examples/CEMailClient/Makefile): it talks to
// HOST:PORT with the system's trusted roots. --ehlo NAME makes it send "EHLO NAME" instead of the blog's bare
// "EHLO" (servers such as Postfix require the name); the embedded server then expects that line instead.

let arguments = Array(CommandLine.arguments.dropFirst())
var embeddedServer: ScriptedSTARTTLSServer?

// The options are cemail.c's; this only needs to know whether a HOST was given and what EHLO to expect.
var ehloName: String?
var hostGiven = false
var argumentIndex = 0
while argumentIndex < arguments.count {
    switch arguments[argumentIndex] {
    case "--quit":
        break
    case "--ehlo":
        argumentIndex += 1
        ehloName = argumentIndex < arguments.count ? arguments[argumentIndex] : nil
    default:
        hostGiven = true
    }
    argumentIndex += 1
}

if !hostGiven {
    do {
        let blogName = "smtp.live.com"
        let authority = try TestCertificateAuthority(commonName: "ce-mail-example throw-away CA")
        let issued = try authority.issue(dnsNames: [blogName], commonName: blogName)
        TrustStore.process.add(authority.root)
        var transcript = Transcript.blog2009
        if let ehloName {
            transcript = Transcript(transcript.steps.map { $0 == .expect("EHLO") ? .expect("EHLO \(ehloName)") : $0 })
        }
        if arguments.contains("--quit") {
            // The blog's conversation ends with the handshake; --quit adds the QUIT a real client sends.
            transcript = Transcript(Array(transcript.steps.dropLast()) + [.expect("QUIT"), .send("221 2.0.0 Bye\r\n"), .awaitClose])
        }
        let server = try ScriptedSTARTTLSServer(transcript: transcript, certificateChainPEM: issued.certificateChainPEM,
                                                privateKeyPEM: issued.privateKey.pemEncoded)
        embeddedServer = server
        HostsTable.shared.set(blogName, to: [.loopbackIPv4])
        EndpointRedirects.shared.redirect(SocketEndpoint(address: .loopbackIPv4, port: 587), to: server.endpoint)
        print("ce-mail-example: running cemail.c against an embedded server replaying the 2009 conversation with \(blogName)")
        print("   \(blogName) resolves to 127.0.0.1 (HostsTable.shared), 127.0.0.1:587 is redirected to \(server.endpoint) (EndpointRedirects.shared)")
        print("   the server's certificate is issued by a throw-away CA trusted for this run (TrustStore.process)")
        print("")
    } catch {
        FileHandle.standardError.write(Data("ce-mail-example: set-up failed: \(error)\n".utf8))
        exit(1)
    }
}

fflush(nil)
var cArguments = (["cemail"] + arguments).map { strdup($0) }
let status = CEMailClientMain(Int32(cArguments.count), &cArguments)
cArguments.forEach { free($0) }
embeddedServer?.stop()
exit(status)
