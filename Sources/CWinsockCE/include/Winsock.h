/* Winsock.h: the spelling some CE sources use for <winsock.h>. */
#include <winsock.h>
