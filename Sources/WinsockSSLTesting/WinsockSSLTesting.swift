import WinsockSSL
