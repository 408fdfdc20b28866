// What the build knew: the commit it was built from. `scripts/install.sh` passes
// `-Xcc -DCATALYZE_COMMIT=<hash>`; any other build says "unknown". A C macro rather than a
// generated source file, so stamping a build never dirties the tree.
#ifndef CCATALYZE_BUILD_INFO_H
#define CCATALYZE_BUILD_INFO_H

/// The commit this binary was built from, or "unknown".
const char *catalyze_build_commit(void);

#endif
