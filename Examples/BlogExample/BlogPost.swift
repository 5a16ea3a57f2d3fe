import NetCF

// The example from the 2009 blog post (../shared/SEED-blog-post.txt), one Swift line for each C# line,
// in the same order and with the same names. Each line carries the C# it ports.
//
// Nothing here knows whether it talks to the embedded server or a real one: main.swift arranges that
// through the hosts table and endpoint redirects, exactly as a test of a port would.

func blogPost() throws {
    let SmtpServer = "smtp.live.com"                                              // string SmtpServer = "smtp.live.com";
    let port = 587                                                                // int port = 587;
    let IPhst = try Dns.GetHostEntry(SmtpServer)                                  // IPHostEntry IPhst = Dns.GetHostEntry(SmtpServer);
    let endPt = IPEndPoint(IPhst.AddressList[0], port)                            // IPEndPoint endPt = new IPEndPoint(IPhst.AddressList[0], port);
    let s = try Socket(endPt.AddressFamily, SocketType.Stream, ProtocolType.Tcp)  // Socket s = new Socket(endPt.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    try using(SslHelper(s, SmtpServer, true)) { helper in                         // using (SslHelper helper = new SslHelper(s, SmtpServer, true)) {
        var line: String? = nil                                                   //     string line = null;
        try s.Connect(endPt)                                                      //     s.Connect(endPt);
        let sr = try StreamReader(NetworkStream(s), Encoding.ASCII)               //     StreamReader sr = new StreamReader(new NetworkStream(s), Encoding.ASCII);
        try s.Send(Encoding.ASCII.GetBytes("EHLO\r\n"))                           //     s.Send(Encoding.ASCII.GetBytes("EHLO\r\n"));
        while try assign(&line, sr.ReadLine()) != "250 OK" {}                     //     while ((line = sr.ReadLine()) != "250 OK") ;
        try s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"))                       //     s.Send(Encoding.ASCII.GetBytes("STARTTLS\r\n"));
        while try !assign(&line, sr.ReadLine()).StartsWith("220") {}              //     while (!(line = sr.ReadLine()).StartsWith("220")) ;
        try helper.DoHandshake()                                                  //     helper.DoHandshake();
        Debug.WriteLine("success")                                                //     Debug.WriteLine("success");
    }                                                                             // }
}
