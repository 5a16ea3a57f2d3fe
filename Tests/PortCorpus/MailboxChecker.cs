// MailboxChecker: checks a POP3 mailbox over STLS from a CE handheld (WinsockSSL port corpus). A static
// helper in the common shape: SetSslSocket(socket, callback, deferHandshake) and DoHandshake(socket),
// which passes null to SO_SSL_PERFORM_HANDSHAKE; the application's static hook checks the host itself.
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Handheld.Mail
{
    public delegate int SSLVALIDATECERTFUNC(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags);

    public static class SecureSocketUtil
    {
        private const int SO_SECURE = 0x2001;
        private const int SO_SEC_SSL = 0x2004;
        private const uint IOC_IN = 0x80000000;
        private const uint IOC_OUT = 0x40000000;
        private const long SO_SSL_FAMILY = 0x00730000;
        private const long _SO_SSL = ((2L << 27) | SO_SSL_FAMILY);
        private const long SO_SSL_SET_FLAGS = (IOC_IN | _SO_SSL | 0x02);
        private const long SO_SSL_SET_VALIDATE_CERT_HOOK = (IOC_IN | _SO_SSL | 0x08);
        private const long SO_SSL_PERFORM_HANDSHAKE = (_SO_SSL | 0x0d);
        private const long SO_SSL_GET_CONNECTION_INFO = (IOC_OUT | _SO_SSL | 0x0e);
        private const int SSL_FLAG_DEFER_HANDSHAKE = 0x0008;

        public static void SetSslSocket(Socket socket, SSLVALIDATECERTFUNC callback, bool deferHandshake)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, (SocketOptionName)SO_SECURE, SO_SEC_SSL);
            IntPtr hookFunc = Marshal.GetFunctionPointerForDelegate(callback);
            byte[] inBuffer = new byte[8];
            Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), inBuffer, 4);
            socket.IOControl(unchecked((int)SO_SSL_SET_VALIDATE_CERT_HOOK), inBuffer, null);
            if (deferHandshake)
            {
                socket.IOControl(unchecked((int)SO_SSL_SET_FLAGS), BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), null);
            }
        }

        public static void DoHandshake(Socket socket)
        {
            socket.IOControl(unchecked((int)SO_SSL_PERFORM_HANDSHAKE), null, null);
        }

        public static int GetProtocol(Socket socket)
        {
            byte[] info = new byte[28];
            socket.IOControl(unchecked((int)SO_SSL_GET_CONNECTION_INFO), null, info);
            return BitConverter.ToInt32(info, 0);
        }
    }

    public class MailboxChecker
    {
        private const int SSL_ERR_OKAY = 0;
        private const int SSL_ERR_FAILED = 2;
        private const int SSL_ERR_BAD_TYPE = 4;
        private const int SSL_ERR_CERT_UNKNOWN = 10;
        private const uint SSL_CERT_X509 = 1;
        private const uint SSL_CERT_FLAG_ISSUER_UNKNOWN = 1;

        private static string expectedHost;
        private string host;
        private int port;
        private Socket socket;
        private StreamReader reader;

        public int NegotiatedProtocol;

        public MailboxChecker(string host, int port)
        {
            this.host = host;
            this.port = port;
        }

        public string Check(string user, string password)
        {
            expectedHost = host;
            IPHostEntry entry = Dns.GetHostEntry(host);
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                SecureSocketUtil.SetSslSocket(socket, new SSLVALIDATECERTFUNC(CheckCertificate), true);
                socket.Connect(new IPEndPoint(entry.AddressList[0], port));
                reader = new StreamReader(new NetworkStream(socket), Encoding.ASCII);
                Expect("+OK");
                Command("STLS");
                SecureSocketUtil.DoHandshake(socket);
                NegotiatedProtocol = SecureSocketUtil.GetProtocol(socket);
                Command("USER " + user);
                Command("PASS " + password);
                string stat = Command("STAT");
                Command("QUIT");
                return stat;
            }
            finally
            {
                socket.Close();
            }
        }

        private string Command(string command)
        {
            socket.Send(Encoding.ASCII.GetBytes(command + "\r\n"));
            return Expect("+OK");
        }

        private string Expect(string prefix)
        {
            string line = reader.ReadLine();
            if (line == null)
                throw new IOException("the server closed the connection");
            if (!line.StartsWith(prefix))
                throw new IOException("unexpected reply: " + line);
            return line;
        }

        private static int CheckCertificate(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags)
        {
            if (dwType != SSL_CERT_X509)
                return SSL_ERR_BAD_TYPE;
            if ((dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0)
                return SSL_ERR_CERT_UNKNOWN;
            byte[] certData = new byte[Marshal.ReadInt32(pCertChain)];
            Marshal.Copy(Marshal.ReadIntPtr(pCertChain, 4), certData, 0, certData.Length);
            X509Certificate cert = new X509Certificate(certData);
            if (!cert.GetName().Contains("CN=" + expectedHost))
                return SSL_ERR_FAILED;
            return SSL_ERR_OKAY;
        }
    }
}
