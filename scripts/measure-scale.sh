#!/usr/bin/env bash
# Re-measures docs/performance.md on this machine: generates a case of N claims (default 10^6)
# as JSON with seed 7 and runs every command the targets name under /usr/bin/time, printing
# CPU time (user + system), wall time, peak memory and the size of the output (written into a
# pipe, not to disk). CPU time is what to compare: on a machine shared with other builds, wall
# time is several times higher and varies from run to run.
#   scripts/measure-scale.sh [N] [command…]   commands: floor check table json json-ns
#                                              markdown stix dot-assessment dot-evidence convert
# `floor` is the bare serde_json parse into the file types as a process
# (examples/parse_floor.rs), the floor `check` and `assess` are compared with.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
shift || true
commands=("$@")
if [ ${#commands[@]} -eq 0 ]; then
    commands=(floor check table json-ns json markdown stix dot-assessment dot-evidence convert)
fi
dir="${TMPDIR:-/tmp}/attrib-scale"
mkdir -p "$dir"
if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time: apt-get install time" >&2
    exit 2
fi
cargo build --release --quiet --bins --example parse_floor
bin=target/release/attrib
case="$dir/case-$n.json"
if [ ! -f "$case" ]; then
    echo "generating $n claims"
    "$bin" generate --claims "$n" --seed 7 -o "$case"
fi
ls -l "$case"
measure() {
    local label="$1"; shift
    /usr/bin/time -f "%U %S %e %M" -o "$dir/time.txt" "$@" 2>"$dir/stderr.txt" | wc -c >"$dir/size.txt"
    local user sys wall peak
    read -r user sys wall peak < <(tail -1 "$dir/time.txt")
    printf "%-24s cpu %7.2f s (user %.2f, sys %.2f)  wall %7.2f s  peak %6d MB  output %d bytes\n" \
        "$label" "$(echo "$user + $sys" | bc)" "$user" "$sys" "$wall" $((peak / 1024)) "$(cat "$dir/size.txt")"
}
for c in "${commands[@]}"; do
    case "$c" in
        floor) measure "bare parse (floor)" target/release/examples/parse_floor "$case" ;;
        check) measure check "$bin" check "$case" ;;
        table) measure "assess (table)" "$bin" assess "$case" ;;
        json) measure "assess --format json" "$bin" assess "$case" --format json ;;
        json-ns) measure "assess json, no sens." "$bin" assess "$case" --format json --no-sensitivity ;;
        markdown) measure "assess --format markdown" "$bin" assess "$case" --format markdown ;;
        stix) measure "export stix" "$bin" export stix "$case" ;;
        dot-assessment) measure "dot (assessment)" "$bin" dot "$case" ;;
        dot-evidence) measure "dot --view evidence" "$bin" dot "$case" --view evidence ;;
        convert) measure "convert --to ron" "$bin" convert "$case" --to ron ;;
        *) echo "unknown command $c" >&2; exit 2 ;;
    esac
done
