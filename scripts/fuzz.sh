#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, seeded from the project's own files.
#
#   scripts/fuzz.sh                        # every target, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh load_json   # one target, ten minutes
#
# Seeds come from graphs/, tests/data/ and ../shared/data/ (when present), plus JSON and STIX
# versions of the graphs written by attrib itself; they are rebuilt on every run under
# fuzz/seeds/ (ignored by git). What the fuzzer finds interesting accumulates in fuzz/corpus/
# (also ignored), so later local runs start where earlier ones stopped. Exits non-zero if any
# target crashed and prints the path of each reproducer (under fuzz/artifacts/). See
# docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
# Seeds larger than this are left out: libFuzzer mutates small inputs much faster, and the
# multi-megabyte ATT&CK bundles add nothing the excerpts do not.
max_seed="${FUZZ_MAX_SEED_BYTES:-262144}"
all_targets=(load_ron load_json stix_import dot_writer)
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=("${all_targets[@]}")
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
    exit 2
fi

seeds=fuzz/seeds
rm -rf "$seeds"
for t in "${all_targets[@]}"; do
    mkdir -p "$seeds/$t" "fuzz/corpus/$t" "fuzz/artifacts/$t"
done

# Copies each file named on stdin into a seed directory (under a flat unique name) if small.
add_seeds() {
    local dir="$1" f
    while IFS= read -r f; do
        if [ "$(stat -c %s "$f")" -le "$max_seed" ]; then
            cp "$f" "$dir/$(echo "$f" | tr '/.' '__')"
        fi
    done
}

shared=../shared/data
find graphs tests/data -name '*.ron' | sort | add_seeds "$seeds/load_ron"
find tests/data -path '*/stix' -prune -o -name '*.json' -print | sort | add_seeds "$seeds/load_json"
# `if`, not `&&`: without ../shared a failed test would end the script (errexit, pipefail).
{
    find tests/data/stix -name '*.json'
    if [ -d "$shared" ]; then find "$shared" -name '*.json'; fi
} | sort | add_seeds "$seeds/stix_import"
# Any JSON at all is a useful start for the JSON loader's syntax errors.
if [ -d "$shared/stix-examples" ]; then
    find "$shared/stix-examples" -name '*.json' | sort | add_seeds "$seeds/load_json"
fi

# Valid JSON cases and STIX bundles, as attrib writes them.
cargo build --quiet --bin attrib
for g in graphs/*.ron tests/data/worked/*.ron tests/data/hostile/*.ron; do
    name=$(basename "$g" .ron)
    target/debug/attrib convert "$g" --to json -o "$seeds/load_json/$name.json" --color never
    target/debug/attrib export stix "$g" -o "$seeds/stix_import/$name.stix.json" --color never
done
# The DOT target reads its bytes as choices (arbitrary), not as a file: it starts empty.

cargo fuzz build --sanitizer none

failed=()
for t in "${targets[@]}"; do
    echo "== fuzzing $t for ${seconds}s ($(ls "$seeds/$t" | wc -l) seeds)"
    case "$t" in
    stix_import) dict=fuzz/dict/stix.dict ;;
    *) dict=fuzz/dict/case.dict ;;
    esac
    before=$(ls "fuzz/artifacts/$t" | sort)
    # -timeout: an input taking this long is a hang, reported like a crash.
    if ! cargo fuzz run --sanitizer none "$t" "fuzz/corpus/$t" "$seeds/$t" -- \
        -dict="$dict" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        >"fuzz/artifacts/$t.log" 2>&1; then
        failed+=("$t")
        tail -n 40 "fuzz/artifacts/$t.log" >&2
        for f in $(comm -13 <(echo "$before") <(ls "fuzz/artifacts/$t" | sort)); do
            echo "fuzz.sh: $t crashed; reproducer: fuzz/artifacts/$t/$f" >&2
            echo "  replay: cargo fuzz run --sanitizer none $t fuzz/artifacts/$t/$f" >&2
        done
    else
        grep -E '^stat::number_of_executed_units|^Done' "fuzz/artifacts/$t.log" || true
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: crashes in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${seconds}s each, no crash"
