/* Winsock2.h: the spelling some CE sources use for <winsock2.h>. */
#include <winsock2.h>
