// FieldChat: an IRC-style client for Windows CE handhelds (WinsockSSL port corpus). BeginConnect with a
// wait, a non-deferred secure socket with an instance-method hook, a reader that polls and receives under
// a lock, and a writer that sends under the same lock.
using System;
using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;

namespace FieldChat.Irc
{
    public class IrcConnection : IDisposable
    {
        private const int SO_SECURE = 0x2001;
        private const int SO_SEC_SSL = 0x2004;
        private const uint IOC_IN = 0x80000000;
        private const long SO_SSL_FAMILY = 0x00730000;
        private const long _SO_SSL = ((2L << 27) | SO_SSL_FAMILY);
        private const long _SO_SSL_VALIDATE_CERT_HOOK = 0x08;
        private const long SO_SSL_SET_VALIDATE_CERT_HOOK = (IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK);
        private const int SSL_ERR_OKAY = 0;
        private const int SSL_ERR_FAILED = 2;
        private const int SSL_ERR_BAD_TYPE = 4;
        private const int SSL_ERR_CERT_UNKNOWN = 10;
        private const uint SSL_CERT_X509 = 1;
        private const int SSL_CERT_FLAG_ISSUER_UNKNOWN = 0x0001;

        private delegate int SSLVALIDATECERTFUNC(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags);

        private Socket socket;
        private string server;
        private int port;
        private string nick;
        private IntPtr hookFunc;
        private Thread reader;
        private Thread writer;
        private volatile bool running;
        private int connectErrorCode;
        private string pending = "";
        private Queue outgoing = new Queue();
        private Queue received = new Queue();
        private ManualResetEvent connectDone = new ManualResetEvent(false);
        private AutoResetEvent outgoingReady = new AutoResetEvent(false);
        private AutoResetEvent lineArrived = new AutoResetEvent(false);

        public IrcConnection(string server, int port, string nick)
        {
            this.server = server;
            this.port = port;
            this.nick = nick;
        }

        public void Connect(int timeoutMilliseconds)
        {
            IPHostEntry entry = Dns.GetHostEntry(server);
            IPEndPoint endPoint = new IPEndPoint(entry.AddressList[0], port);
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, (SocketOptionName)SO_SECURE, SO_SEC_SSL);
            hookFunc = Marshal.GetFunctionPointerForDelegate(new SSLVALIDATECERTFUNC(ValidateCert));
            byte[] hook = new byte[8];
            Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, hook, 0, 4);
            socket.IOControl(unchecked((int)SO_SSL_SET_VALIDATE_CERT_HOOK), hook, null);
            connectDone.Reset();
            socket.BeginConnect(endPoint, new AsyncCallback(OnConnected), null);
            if (!connectDone.WaitOne(timeoutMilliseconds, false))
                connectErrorCode = 10060;
            if (connectErrorCode != 0)
            {
                socket.Close();
                throw new SocketException(connectErrorCode);
            }
            running = true;
            reader = new Thread(new ThreadStart(ReadLoop));
            reader.IsBackground = true;
            reader.Start();
            writer = new Thread(new ThreadStart(WriteLoop));
            writer.IsBackground = true;
            writer.Start();
            SendLine("NICK " + nick);
            SendLine(String.Format("USER {0} 0 * :{1}", nick, "FieldChat CE"));
        }

        private void OnConnected(IAsyncResult ar)
        {
            try
            {
                socket.EndConnect(ar);
            }
            catch (SocketException e)
            {
                connectErrorCode = e.ErrorCode;
            }
            connectDone.Set();
        }

        public void SendLine(string line)
        {
            lock (outgoing)
            {
                outgoing.Enqueue(line);
            }
            outgoingReady.Set();
        }

        public string ReadLine(int timeoutMilliseconds)
        {
            while (true)
            {
                string line = null;
                lock (received)
                {
                    if (received.Count > 0)
                        line = (string)received.Dequeue();
                }
                if (line != null)
                    return line;
                if (!lineArrived.WaitOne(timeoutMilliseconds, false))
                    return null;
            }
        }

        private void ReadLoop()
        {
            byte[] buffer = new byte[512];
            try
            {
                while (running)
                {
                    if (!socket.Poll(100000, SelectMode.SelectRead))
                        continue;
                    int n;
                    lock (this)
                    {
                        n = socket.Receive(buffer);
                    }
                    if (n == 0)
                        break;
                    pending += Encoding.ASCII.GetString(buffer, 0, n);
                    int eol;
                    while ((eol = pending.IndexOf("\r\n")) >= 0)
                    {
                        string line = pending.Substring(0, eol);
                        pending = pending.Substring(eol + 2);
                        if (line.StartsWith("PING "))
                        {
                            SendLine("PONG " + line.Substring(5));
                            continue;
                        }
                        lock (received)
                        {
                            received.Enqueue(line);
                        }
                        lineArrived.Set();
                    }
                }
            }
            catch (SocketException)
            {
            }
            running = false;
        }

        private void WriteLoop()
        {
            try
            {
                while (running)
                {
                    string line = null;
                    lock (outgoing)
                    {
                        if (outgoing.Count > 0)
                            line = (string)outgoing.Dequeue();
                    }
                    if (line == null)
                    {
                        outgoingReady.WaitOne(200, false);
                        continue;
                    }
                    byte[] data = Encoding.ASCII.GetBytes(line + "\r\n");
                    lock (this)
                    {
                        socket.Send(data);
                    }
                }
            }
            catch (SocketException)
            {
            }
        }

        private int ValidateCert(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags)
        {
            if (dwType != SSL_CERT_X509)
                return SSL_ERR_BAD_TYPE;
            if ((dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0)
                return SSL_ERR_CERT_UNKNOWN;
            int cbSize = Marshal.ReadInt32(pCertChain);
            IntPtr pData = Marshal.ReadIntPtr(new IntPtr(pCertChain.ToInt32() + sizeof(int)));
            byte[] certData = new byte[cbSize];
            Marshal.Copy(pData, certData, 0, cbSize);
            X509Certificate cert = new X509Certificate(certData);
            if (!cert.GetName().Contains("CN=" + server))
                return SSL_ERR_FAILED;
            return SSL_ERR_OKAY;
        }

        public void Dispose()
        {
            running = false;
            if (writer != null)
                writer.Join(2000);
            if (reader != null)
                reader.Join(2000);
            if (socket != null)
                socket.Close();
        }
    }
}
