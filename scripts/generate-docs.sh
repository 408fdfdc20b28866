#!/usr/bin/env bash
# Regenerates everything derived from the command tree:
#   man/catalyze.1                 swift-argument-parser's GenerateManual plugin (mdoc), with
#                                  EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES from
#                                  catalyze --generate-manual-sections (ManualSections.swift)
#   completions/catalyze.bash      catalyze --generate-completion-script bash
#   completions/_catalyze          catalyze --generate-completion-script zsh
#   completions/catalyze.fish      catalyze --generate-completion-script fish
# Run it after adding or changing a command or option, and commit the result;
# Tests/CatalyzeCLITests/DocsFreshnessTests.swift fails while these files are stale.
# man/catalyze-manifest.5 is written by hand and is not touched here.
#
# Builds go through scripts/swiftpm (one Swift build at a time on this machine), in debug:
# the output does not depend on the configuration, and debug is what the tests build anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

# The manual's date is the last commit that touched the commands, so regenerating an unchanged
# tree gives the same bytes on any day.
date=$(git log -1 --format=%cs -- Sources/CatalyzeCLI Sources/catalyze 2>/dev/null || true)
date=${date:-$(date -u +%F)}

echo "==> building catalyze (debug)"
scripts/swiftpm build --product catalyze
bin=.build/debug/catalyze   # (--show-bin-path would wait for the build lock again)

echo "==> completions"
mkdir -p completions
"$bin" --generate-completion-script bash > completions/catalyze.bash
"$bin" --generate-completion-script zsh > completions/_catalyze
"$bin" --generate-completion-script fish > completions/catalyze.fish
# Syntax-check each script with its own shell, where that shell is installed.
bash -n completions/catalyze.bash
if command -v zsh > /dev/null; then zsh -n completions/_catalyze; fi
if command -v fish > /dev/null; then fish --no-execute completions/catalyze.fish; fi

echo "==> man/catalyze.1 (GenerateManual plugin)"
# The plugin builds the package itself (debug: reuses the build above) and writes to
# .build/plugins/GenerateManual/outputs/<target>/. Arguments it does not know (--date, --section)
# go to the generate-manual tool.
stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
scripts/swiftpm package plugin generate-manual --configuration debug --date "$date" --section 1
page=$(find .build/plugins -name catalyze.1 -newer "$stamp" -print | head -n 1)
if [[ -z "$page" ]]; then
    echo "error: the GenerateManual plugin wrote no catalyze.1 under .build/plugins" >&2
    exit 1
fi
mkdir -p man
# The generator ends with a generic EXIT STATUS (`.Ex -std`); catalyze's own EXIT STATUS,
# ENVIRONMENT, FILES and EXAMPLES come from Sources/CatalyzeCLI/Support/ManualSections.swift.
sections=$(mktemp)
trap 'rm -f "$stamp" "$sections"' EXIT
"$bin" --generate-manual-sections > "$sections"
awk -v sections="$sections" '
    /^\.Sh "EXIT STATUS"$/ { while ((getline line < sections) > 0) print line; skip = 1; next }
    /^\.Sh / { skip = 0 }
    !skip { print }
' "$page" > man/catalyze.1
grep -q '^\.Sh ENVIRONMENT$' man/catalyze.1 || { echo "error: the manual sections were not inserted" >&2; exit 1; }
if command -v groff > /dev/null; then
    groff -mandoc -ww -z man/catalyze.1
fi

echo "==> done: man/catalyze.1, completions/{catalyze.bash,_catalyze,catalyze.fish}"
git status --short -- man completions
