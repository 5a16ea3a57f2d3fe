/* Windows.h: the spelling some CE sources use for <windows.h>. */
#include <windows.h>
