/* Sslsock.h: the spelling some CE sources use for <sslsock.h>. */
#include <sslsock.h>
