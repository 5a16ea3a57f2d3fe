// TelemetryLink: a binary framed uplink from a CE data logger (WinsockSSL port corpus): the sslsock.h constant
// block in C# style, SO_SSL_SET_PEERNAME, the host handed to the hook as a BSTR, a receive thread.
using System;
using System.Collections;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;

namespace Logger.Uplink
{
    public class TelemetryLink : IDisposable
    {
        // winsock.h / sslsock.h
        private const ushort SO_SECURE = 0x2001;
        private const ushort SO_SEC_NONE = 0x2002;
        private const ushort SO_SEC_SSL = 0x2004;
        private const uint IOC_VOID = 0x20000000;
        private const uint IOC_OUT = 0x40000000;
        private const uint IOC_IN = 0x80000000;
        private const long SO_SSL_FAMILY = 0x00730000;
        private const long _SO_SSL = ((2L << 27) | SO_SSL_FAMILY);
        private const int _SO_SSL_CAPABILITIES = 0x01;
        private const int _SO_SSL_FLAGS = 0x02;
        private const int _SO_SSL_PROTOCOLS = 0x03;
        private const int _SO_SSL_CIPHERS = 0x04;
        private const int _SO_SSL_CLIENT_OPTS = 0x05;
        private const int _SO_SSL_SERVER_OPTS = 0x06;
        private const int _SO_SSL_CLIENT_AUTH_OPTS = 0x07;
        private const int _SO_SSL_VALIDATE_CERT_HOOK = 0x08;
        private const int _SO_SSL_AUTH_REQUEST_HOOK = 0x09;
        private const int _SO_SSL_KEY_EXCH_HOOK = 0x0a;
        private const int _SO_SSL_SIGNATURE_HOOK = 0x0b;
        private const int _SO_SSL_PERFORM_HANDSHAKE = 0x0d;
        private const int _SO_SSL_CONNECTION_INFO = 0x0e;
        private const int _SO_SSL_PEERNAME = 0x0f;
        private const long SO_SSL_GET_CAPABILITIES = (IOC_OUT | _SO_SSL | _SO_SSL_CAPABILITIES);
        private const long SO_SSL_SET_FLAGS = (IOC_IN | _SO_SSL | _SO_SSL_FLAGS);
        private const long SO_SSL_GET_FLAGS = (IOC_OUT | _SO_SSL | _SO_SSL_FLAGS);
        private const long SO_SSL_SET_PROTOCOLS = (IOC_IN | _SO_SSL | _SO_SSL_PROTOCOLS);
        private const long SO_SSL_GET_PROTOCOLS = (IOC_OUT | _SO_SSL | _SO_SSL_PROTOCOLS);
        private const long SO_SSL_SET_VALIDATE_CERT_HOOK = (IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK);
        private const long SO_SSL_GET_VALIDATE_CERT_HOOK = (IOC_OUT | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK);
        private const long SO_SSL_PERFORM_HANDSHAKE = (_SO_SSL | _SO_SSL_PERFORM_HANDSHAKE);
        private const long SO_SSL_GET_CONNECTION_INFO = (IOC_OUT | _SO_SSL | _SO_SSL_CONNECTION_INFO);
        private const long SO_SSL_SET_PEERNAME = (IOC_IN | _SO_SSL | _SO_SSL_PEERNAME);
        private const uint SSL_CAP_CLIENT = 0x1;
        private const uint SSL_CAP_SERVER = 0x2;
        private const int SSL_FLAG_SERVER = 0x2;
        private const int SSL_FLAG_AUTH_CLIENT = 0x4;
        private const int SSL_FLAG_DEFER_HANDSHAKE = 0x8;
        private const int SSL_ERR_OKAY = 0;
        private const int SSL_ERR_FAILED = 2;
        private const int SSL_ERR_BAD_LEN = 3;
        private const int SSL_ERR_BAD_TYPE = 4;
        private const int SSL_ERR_BAD_DATA = 5;
        private const int SSL_ERR_CERT_EXPIRED = 8;
        private const int SSL_ERR_CERT_UNKNOWN = 10;
        private const uint SSL_CERT_X509 = 0x0001;
        private const int SSL_CERT_FLAG_ISSUER_UNKNOWN = 0x0001;

        public const byte FRAME_HELLO = 1;
        public const byte FRAME_ACK = 2;
        public const byte FRAME_READING = 3;

        private delegate int SSLVALIDATECERTFUNC(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags);

        private Socket socket;
        private string host;
        private int port;
        private IntPtr hostBstr;
        private IntPtr hookFunc;
        private SSLVALIDATECERTFUNC validateCert;
        private Thread receiver;
        private Queue frames = new Queue();
        private AutoResetEvent frameArrived = new AutoResetEvent(false);
        private bool closed;

        public TelemetryLink(string host, int port)
        {
            this.host = host;
            this.port = port;
        }

        public void Open(string deviceId)
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, (SocketOptionName)SO_SECURE, SO_SEC_SSL);
            hostBstr = Marshal.StringToBSTR(host);
            validateCert = new SSLVALIDATECERTFUNC(ValidateCertificate);
            hookFunc = Marshal.GetFunctionPointerForDelegate(validateCert);
            byte[] hook = new byte[8];
            Array.Copy(BitConverter.GetBytes(hookFunc.ToInt32()), 0, hook, 0, 4);
            Array.Copy(BitConverter.GetBytes(hostBstr.ToInt32()), 0, hook, 4, 4);
            socket.IOControl(unchecked((int)SO_SSL_SET_VALIDATE_CERT_HOOK), hook, null);
            socket.IOControl(unchecked((int)SO_SSL_SET_PEERNAME), Encoding.ASCII.GetBytes(host + "\0"), null);
            byte[] flags = new byte[4];
            socket.IOControl(unchecked((int)SO_SSL_GET_FLAGS), null, flags);
            if ((BitConverter.ToUInt32(flags, 0) & SSL_FLAG_DEFER_HANDSHAKE) != 0)
                throw new InvalidOperationException("the handshake must not be deferred");
            socket.Connect(new IPEndPoint(Dns.GetHostEntry(host).AddressList[0], port));
            receiver = new Thread(new ThreadStart(ReceiveLoop));
            receiver.Start();
            SendFrame(FRAME_HELLO, Encoding.ASCII.GetBytes(deviceId));
        }

        public void SendFrame(byte type, byte[] payload)
        {
            byte[] frame = new byte[5 + payload.Length];
            frame[0] = type;
            Array.Copy(BitConverter.GetBytes(payload.Length), 0, frame, 1, 4);
            Array.Copy(payload, 0, frame, 5, payload.Length);
            socket.Send(frame);
        }

        public byte[] ReceiveFrame(byte expectedType, int timeoutMilliseconds)
        {
            while (true)
            {
                lock (frames)
                {
                    if (frames.Count > 0)
                    {
                        byte[] frame = (byte[])frames.Dequeue();
                        if (frame[0] != expectedType)
                            throw new InvalidOperationException(String.Format("frame type {0}, expected {1}", frame[0], expectedType));
                        byte[] payload = new byte[frame.Length - 1];
                        Array.Copy(frame, 1, payload, 0, payload.Length);
                        return payload;
                    }
                    if (closed)
                        return null;
                }
                if (!frameArrived.WaitOne(timeoutMilliseconds, false))
                    return null;
            }
        }

        private void ReceiveLoop()
        {
            byte[] header = new byte[5];
            try
            {
                while (ReadExactly(header, 0, 5))
                {
                    byte[] frame = new byte[1 + BitConverter.ToInt32(header, 1)];
                    frame[0] = header[0];
                    if (!ReadExactly(frame, 1, frame.Length - 1))
                        break;
                    lock (frames)
                    {
                        frames.Enqueue(frame);
                    }
                    frameArrived.Set();
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            closed = true;
            frameArrived.Set();
        }

        private bool ReadExactly(byte[] buffer, int offset, int count)
        {
            int end = offset + count;
            while (offset < end)
            {
                int n = socket.Receive(buffer, offset, end - offset, SocketFlags.None);
                if (n == 0)
                    return false;
                offset += n;
            }
            return true;
        }

        private static int ValidateCertificate(uint dwType, IntPtr pvArg, uint dwChainLen, IntPtr pCertChain, uint dwFlags)
        {
            if (dwType != SSL_CERT_X509 || dwChainLen != 1)
                return SSL_ERR_BAD_TYPE;
            if ((dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) != 0)
                return SSL_ERR_CERT_UNKNOWN;
            string expectedHost = Marshal.PtrToStringBSTR(pvArg);
            int cbSize = Marshal.ReadInt32(pCertChain);
            IntPtr pData = Marshal.ReadIntPtr(pCertChain, sizeof(int));
            byte[] certData = new byte[cbSize];
            Marshal.Copy(pData, certData, 0, cbSize);
            X509Certificate2 cert = new X509Certificate2(certData);
            if (DateTime.Now > DateTime.Parse(cert.GetExpirationDateString(), CultureInfo.CurrentCulture))
                return SSL_ERR_CERT_EXPIRED;
            if (!cert.GetName().Contains("CN=" + expectedHost))
                return SSL_ERR_FAILED;
            return SSL_ERR_OKAY;
        }

        public void Dispose()
        {
            if (socket != null)
                socket.Close();
            if (receiver != null)
                receiver.Join(2000);
            if (hostBstr != IntPtr.Zero)
                Marshal.FreeBSTR(hostBstr);
        }
    }
}
