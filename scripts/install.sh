#!/usr/bin/env bash
# Builds catalyze in release mode with the Swift standard library linked statically and installs
#   PREFIX/bin/catalyze
#   PREFIX/share/man/man1/catalyze.1, PREFIX/share/man/man5/catalyze-*.5
#   PREFIX/share/bash-completion/completions/catalyze
#   PREFIX/share/zsh/site-functions/_catalyze
#   PREFIX/share/fish/vendor_completions.d/catalyze.fish
# PREFIX defaults to /usr/local; DESTDIR (for packaging) is put in front of every path.
# The binary names its release and the commit it was built from (`catalyze --version`): the commit
# goes in as a C macro (-Xcc -DCATALYZE_COMMIT=…), so stamping it changes no file in the tree; a tree
# with uncommitted changes to tracked files is stamped `<commit>-dirty`.
# Needs what scripts/setup.sh installs (libcurl headers). Builds go through scripts/swiftpm, in
# .build/install (apart from the debug build the tests use).
#
# Usage: [PREFIX=/usr/local] [DESTDIR=] scripts/install.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
prefix=${PREFIX:-/usr/local}
dest="${DESTDIR:-}$prefix"

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [[ $commit != unknown ]] && ! git diff --quiet HEAD -- 2>/dev/null; then commit="$commit-dirty"; fi
# The macro is stringified in C: keep it to the characters a commit name has.
[[ $commit =~ ^[0-9a-zA-Z-]+$ ]] || commit=unknown

scratch=.build/install
echo "==> building catalyze $commit (release, static Swift standard library)"
scripts/swiftpm build -c release --product catalyze --static-swift-stdlib --scratch-path "$scratch" \
    -Xcc "-DCATALYZE_COMMIT=$commit"
bin="$scratch/release/catalyze"

echo "==> installing into $dest"
install -d "$dest/bin" "$dest/share/man/man1" "$dest/share/man/man5" \
    "$dest/share/bash-completion/completions" "$dest/share/zsh/site-functions" \
    "$dest/share/fish/vendor_completions.d"
install -m 0755 -s "$bin" "$dest/bin/catalyze"  # stripped: 68 MB instead of 111
install -m 0644 man/*.1 "$dest/share/man/man1/"
install -m 0644 man/*.5 "$dest/share/man/man5/"
install -m 0644 completions/catalyze.bash "$dest/share/bash-completion/completions/catalyze"
install -m 0644 completions/_catalyze "$dest/share/zsh/site-functions/_catalyze"
install -m 0644 completions/catalyze.fish "$dest/share/fish/vendor_completions.d/catalyze.fish"
"$dest/bin/catalyze" --version
