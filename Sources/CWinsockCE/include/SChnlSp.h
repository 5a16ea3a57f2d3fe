/* SChnlSp.h: the spelling some CE sources use for <schnlsp.h>. */
#include <schnlsp.h>
