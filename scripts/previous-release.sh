#!/usr/bin/env bash
# Builds the previous release of catalyze (named in scripts/previous-release) for the upgrade test and prints
# the path of its `catalyze` binary on stdout (everything else goes to stderr).
#   1. The release's tree comes from its tag, or from the commit recorded beside it when a clone lacks the tag,
#      via `git archive` into <repo>/.build-release-TAG/source (its examples/ are what the upgrade test applies).
#   2. It is built with `scripts/swiftpm build --product catalyze --scratch-path <repo>/.build-release-TAG`,
#      using this tree's Package.resolved when there is one, so no new dependency versions are fetched.
#   3. Cached: a stamp records the commit built; a second run with the binary present prints it at once.
# Usage: scripts/previous-release.sh           prints e.g. /…/.build-release-v0.1.0/debug/catalyze
#        scripts/previous-release.sh --source  prints the release's source tree instead (after building)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf 'previous-release: %s\n' "$*" >&2; }

# shellcheck source=/dev/null
source "$root/scripts/previous-release"
: "${tag:?scripts/previous-release names no tag}" "${commit:?scripts/previous-release names no commit}"

scratch="$root/.build-release-$tag"
source_dir="$scratch/source"
binary="$scratch/debug/catalyze"
stamp="$scratch/.catalyze-built-commit"

if git rev-parse -q --verify "refs/tags/$tag^{commit}" >/dev/null; then
    rev="$(git rev-parse "refs/tags/$tag^{commit}")"
elif git cat-file -e "$commit^{commit}" 2>/dev/null; then
    say "tag $tag is missing in this clone; using its recorded commit $commit"
    rev="$commit"
else
    say "neither tag $tag nor commit $commit is in this clone; run: git fetch --tags origin"
    exit 1
fi

if [[ -x "$binary" && -f "$stamp" && "$(cat "$stamp")" == "$rev" && -d "$source_dir" ]]; then
    say "cached: $tag ($rev)"
else
    say "building $tag ($rev) into $scratch"
    rm -rf "$source_dir" "$stamp"
    mkdir -p "$source_dir"
    git archive "$rev" | tar -x -C "$source_dir"
    if [[ -f "$root/Package.resolved" && ! -f "$source_dir/Package.resolved" ]]; then
        cp "$root/Package.resolved" "$source_dir/Package.resolved"
    fi
    "$root/scripts/swiftpm" build --package-path "$source_dir" --product catalyze --scratch-path "$scratch" >&2
    [[ -x "$binary" ]] || { say "the build finished but $binary is missing"; exit 1; }
    printf '%s\n' "$rev" >"$stamp"
fi

if [[ "${1:-}" == "--source" ]]; then
    printf '%s\n' "$source_dir"
else
    printf '%s\n' "$binary"
fi
