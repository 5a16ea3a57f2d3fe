// FtpsClient: the control connection of an FTP client for CE terminals, upgraded with AUTH TLS (WinsockSSL
// port corpus). An SslHelper-style instance helper with a deferred handshake; the hook inspects the server
// certificate through X509Certificate.GetName() and GetIssuerName().
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Terminal.Transfer
{
    public class FtpsClient : IDisposable
    {
        private const int SO_SECURE = 0x2001;
        private const int SO_SEC_SSL = 0x2004;
        private const uint IOC_IN = 0x80000000;
        private const long SO_SSL_FAMILY = 0x00730000;
        private const long _SO_SSL = ((2L << 27) | SO_SSL_FAMILY);
        private const long _SO_SSL_FLAGS = 0x02;
        private const long _SO_SSL_VALIDATE_CERT_HOOK = 0x08;
        private const long _SO_SSL_PERFORM_HANDSHAKE = 0x0d;
        private const long SO_SSL_SET_FLAGS = (IOC_IN | _SO_SSL | _SO_SSL_FLAGS);
        private const long SO_SSL_SET_VALIDATE_CERT_HOOK = (IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK);
        private const long SO_SSL_PERFORM_HANDSHAKE = (_SO_SSL | _SO_SSL_PERFORM_HANDSHAKE);
        private const int SSL_FLAG_DEFER_HANDSHAKE = 0x0008;
        private const int SSL_ERR_OKAY = 0;
        private const int SSL_ERR_FAILED = 2;
        private const int SSL_ERR_BAD_TYPE = 4;
        private const int SSL_ERR_CERT_UNKNOWN = 10;
        private const uint SSL_CERT_X509 = 1;
        private const uint SSL_CERT_FLAG_ISSUER_UNKNOWN = 1;

        private delegate int SSLVALIDATECERTFUNC(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags);

        private Socket control;
        private StreamReader reader;
        private StreamWriter writer;
        private IntPtr ptrHost;
        private IntPtr hookFunc;
        private string host;

        public string ServerSubject;
        public string ServerIssuer;

        public FtpsClient(string host)
        {
            this.host = host;
        }

        public void Connect(int port)
        {
            control = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            control.SetSocketOption(SocketOptionLevel.Socket, (SocketOptionName)SO_SECURE, SO_SEC_SSL);
            hookFunc = Marshal.GetFunctionPointerForDelegate(new SSLVALIDATECERTFUNC(ValidateServer));
            ptrHost = Marshal.StringToHGlobalAnsi(host);
            byte[] inBuffer = new byte[8];
            Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, inBuffer, 0, 4);
            Array.Copy(BitConverter.GetBytes(ptrHost.ToInt32()), 0, inBuffer, 4, 4);
            control.IOControl(unchecked((int)SO_SSL_SET_VALIDATE_CERT_HOOK), inBuffer, null);
            control.IOControl(unchecked((int)SO_SSL_SET_FLAGS), BitConverter.GetBytes(SSL_FLAG_DEFER_HANDSHAKE), null);
            control.Connect(host, port);
            NetworkStream stream = new NetworkStream(control);
            reader = new StreamReader(stream, Encoding.ASCII);
            writer = new StreamWriter(stream, Encoding.ASCII);
            writer.NewLine = "\r\n";
            writer.AutoFlush = true;
            ExpectReply("220");
            SendCommand("AUTH TLS", "234");
            control.IOControl(unchecked((int)SO_SSL_PERFORM_HANDSHAKE), BitConverter.GetBytes(ptrHost.ToInt32()), null);
        }

        public void Login(string user, string password)
        {
            string reply = SendCommand("USER " + user, null);
            if (reply.StartsWith("331"))
                SendCommand("PASS " + password, "230");
            else if (!reply.StartsWith("230"))
                throw new IOException("login refused: " + reply);
            SendCommand("PBSZ 0", "200");
            SendCommand("PROT P", "200");
        }

        public string PrintWorkingDirectory()
        {
            string reply = SendCommand("PWD", "257");
            int start = reply.IndexOf('"');
            int end = reply.IndexOf("\" ");
            if (start < 0 || end <= start)
                return reply;
            return reply.Substring(start + 1, end - start - 1);
        }

        private string SendCommand(string command, string expected)
        {
            writer.WriteLine(command);
            return ExpectReply(expected);
        }

        private string ExpectReply(string expected)
        {
            string line = reader.ReadLine();
            if (line == null || line.Length < 4)
                throw new IOException("connection closed or reply too short");
            string code = line.Substring(0, 3);
            if (line.Substring(3, 1) == "-")
            {
                string last = code + " ";
                do
                {
                    line = reader.ReadLine();
                    if (line == null)
                        throw new IOException("connection closed in a multi-line reply");
                } while (!line.StartsWith(last));
            }
            if (expected != null && code != expected)
                throw new IOException(String.Format("expected {0}, got: {1}", expected, line));
            return line;
        }

        private int ValidateServer(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags)
        {
            if (dwType != SSL_CERT_X509)
                return SSL_ERR_BAD_TYPE;
            if ((dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0)
                return SSL_ERR_CERT_UNKNOWN;
            byte[] certData = new byte[Marshal.ReadInt32(pCertChain)];
            IntPtr pData = Marshal.ReadIntPtr(new IntPtr(pCertChain.ToInt32() + 4));
            for (int i = 0; i < certData.Length; i++)
                certData[i] = Marshal.ReadByte(pData, i);
            X509Certificate cert = new X509Certificate(certData);
            ServerSubject = cert.GetName();
            ServerIssuer = cert.GetIssuerName();
            string expected = Marshal.PtrToStringAnsi(pvArg);
            if (!cert.GetName().Contains("CN=" + expected))
                return SSL_ERR_FAILED;
            return SSL_ERR_OKAY;
        }

        public void Dispose()
        {
            try
            {
                if (control != null && control.Connected)
                    SendCommand("QUIT", "221");
            }
            catch (Exception)
            {
            }
            if (control != null)
                control.Close();
            if (ptrHost != IntPtr.Zero)
                Marshal.FreeHGlobal(ptrHost);
            ptrHost = IntPtr.Zero;
        }
    }
}
