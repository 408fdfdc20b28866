#include "CCatalyzeBuildInfo.h"

#define CATALYZE_STRINGIFY_(x) #x
#define CATALYZE_STRINGIFY(x) CATALYZE_STRINGIFY_(x)

const char *catalyze_build_commit(void) {
#ifdef CATALYZE_COMMIT
    return CATALYZE_STRINGIFY(CATALYZE_COMMIT);
#else
    return "unknown";
#endif
}
