#!/usr/bin/env bash
# Re-measures the scale targets of docs/performance.md on this machine: generates a case of N
# claims (default 10^6) as JSON and runs `attrib check` and `attrib assess` on it under
# /usr/bin/time -v, printing wall time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
dir="${TMPDIR:-/tmp}/attrib-scale"
mkdir -p "$dir"
if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time: apt-get install time" >&2
    exit 2
fi
cargo build --release --quiet
bin=target/release/attrib
case="$dir/case-$n.json"
echo "generating $n claims"
/usr/bin/time -f "generate: %e s, peak %M KB" "$bin" generate --claims "$n" --seed 1 -o "$case"
ls -l "$case"
measure() {
    local label="$1"; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$dir/time.txt" || { cat "$dir/time.txt"; exit 1; }
    local wall peak
    wall=$(grep "Elapsed (wall clock)" "$dir/time.txt" | sed 's/.*: //')
    peak=$(grep "Maximum resident set size" "$dir/time.txt" | sed 's/.*: //')
    echo "$label: wall $wall, peak $((peak / 1024)) MB"
}
measure "check" "$bin" check "$case"
measure "assess (table)" "$bin" assess "$case"
measure "assess (json, no sensitivity)" "$bin" assess "$case" --format json --no-sensitivity
measure "dot (assessment view)" "$bin" dot "$case"
