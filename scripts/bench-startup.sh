#!/usr/bin/env bash
# Start-up benchmark: wall time of `catalyze validate examples/hipaa-aws.yaml`, start to exit, for
# the binary as a user installs it (scripts/install.sh: release, Swift standard library linked
# statically, into a temporary PREFIX under .build/bench) and, for comparison, a release build
# linked against the shared Swift runtime. Prints median and p90 in ms for each.
# Target: the installed binary's median <= 20 ms on the 2-core build machine.
#
# Usage: scripts/bench-startup.sh [RUNS]        (default 100 runs each, after 5 warm-up runs)
#   BENCH_VARIANTS="installed dynamic"  which builds to measure (default both)
#   BENCH_BINARY=PATH                   measure this binary only (e.g. $PREFIX/bin/catalyze after
#                                       scripts/install.sh), building nothing
#
# Builds go through scripts/swiftpm.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
variants=${BENCH_VARIANTS:-installed dynamic}
manifest=examples/hipaa-aws.yaml
out=.build/bench
mkdir -p "$out"

# Builds one variant and prints the path of its binary.
build() {
    local variant=$1
    case $variant in
        installed)
            PREFIX="$PWD/$out/prefix" scripts/install.sh >&2
            echo "$out/prefix/bin/catalyze" ;;
        dynamic)
            scripts/swiftpm build -c release --product catalyze >&2
            cp .build/release/catalyze "$out/catalyze-dynamic"
            echo "$out/catalyze-dynamic" ;;
        *) echo "unknown variant $variant" >&2; return 1 ;;
    esac
}

# Prints "median p90" in ms from one duration in seconds per line.
summarize() {
    sort -g | awk '{ t[NR] = $1 * 1000 }
        END {
            n = NR; if (n == 0) exit 1
            median = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
            i = int(0.9 * n + 0.999999); if (i < 1) i = 1; if (i > n) i = n
            printf "%.2f %.2f\n", median, t[i]
        }'
}

measure() {
    local bin=$1 variant=$2
    # The command must succeed, or we would be timing an error path.
    "$bin" validate "$manifest" > /dev/null
    if command -v hyperfine > /dev/null; then
        hyperfine --shell=none --warmup 5 --runs "$runs" --style none \
            --export-json "$out/startup-$variant.json" "$bin validate $manifest" > /dev/null
        python3 -c 'import json,sys; [print(t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' \
            "$out/startup-$variant.json" | summarize
    else
        for _ in 1 2 3 4 5; do "$bin" validate "$manifest" > /dev/null; done
        for _ in $(seq "$runs"); do
            local start end
            start=$(date +%s%N)
            "$bin" validate "$manifest" > /dev/null
            end=$(date +%s%N)
            echo "$(( end - start ))e-9"
        done | summarize
    fi
}

printf '%-8s %6s %10s %10s %10s  %s\n' variant runs median_ms p90_ms size_MB binary
[[ -n ${BENCH_BINARY:-} ]] && variants=given
for variant in $variants; do
    if [[ $variant == given ]]; then bin=$BENCH_BINARY; else bin=$(build "$variant"); fi
    read -r median p90 < <(measure "$bin" "$variant")
    size=$(du -m "$bin" | cut -f1)
    printf '%-8s %6s %10s %10s %10s  %s\n' "$variant" "$runs" "$median" "$p90" "$size" "$bin"
done
echo "target: installed median <= 20 ms (tool: $(command -v hyperfine > /dev/null && echo hyperfine || echo 'date +%s%N loop'))"
