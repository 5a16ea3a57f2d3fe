/* Ws2tcpip.h: the spelling some CE sources use for <ws2tcpip.h>. */
#include <ws2tcpip.h>
