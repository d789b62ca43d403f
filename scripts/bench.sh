#!/usr/bin/env bash
# The benchmark entry point (BENCHMARKS.md): builds every bench binary of the workspace in
# release mode, runs each one (or the ones named) and prints a summary.
#
#   scripts/bench.sh                  # every bench of every package
#   scripts/bench.sh lint scaling     # only these benches (names as in `[[bench]]`)
#   BENCH_PACKAGES=compiler scripts/bench.sh   # only this package's benches
#
# Benches are the `[[bench]]` entries (harness = false) of compiler/ and webhook/ (and any
# package listed in BENCH_PACKAGES), found in their Cargo.toml, so new bench files are picked
# up without editing this script. Each bench's own output is kept verbatim in
# target/bench-results/<UTC timestamp>/<package>-<bench>.txt, followed by the summary in a
# stable format, one line per bench:
#
#   bench package=<p> name=<b> status=<ok|failed> wall_s=<seconds> peak_rss_mib=<MiB|-> output=<file>
#
# `peak_rss_mib` is the bench process's maximum resident set size from GNU time (`-` when
# /usr/bin/time is missing). The figures inside each output are medians of several runs (see
# each bench's doc comment). Exit status: 0 when every bench succeeded, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=${BENCH_PACKAGES:-"compiler webhook"}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out_dir="target/bench-results/$stamp"
mkdir -p "$out_dir"

# `<package> <bench>` pairs from each package's Cargo.toml.
benches=()
for pkg in $packages; do
  while read -r name; do
    if [ "$#" -eq 0 ] || printf '%s\n' "$@" | grep -qx "$name"; then
      benches+=("$pkg $name")
    fi
  done < <(awk '/^\[\[bench\]\]/{b=1; next} /^\[/{b=0} b && /^name *=/{gsub(/"/, "", $3); print $3}' "$pkg/Cargo.toml")
done
if [ "${#benches[@]}" -eq 0 ]; then
  echo "no bench matches: $*" >&2
  exit 1
fi

echo "--- machine"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //'))"
echo "memory: $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo 2>/dev/null)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "rustc: $(rustc --version)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

echo "--- build"
# The bench binaries are run directly (not through `cargo bench`) so that the time and memory
# measured are the bench's own; cargo prints where each one is.
declare -A exe
for pair in "${benches[@]}"; do
  read -r pkg name <<<"$pair"
  if ! build_out=$(cargo bench --no-run -p "$pkg" --bench "$name" 2>&1); then
    echo "$build_out" >&2
    exit 1
  fi
  echo "$build_out"
  path=$(sed -n 's/.*Executable .*(\(.*\)).*/\1/p' <<<"$build_out" | tail -1)
  if [ -z "$path" ]; then
    echo "cannot find the executable of $pkg/$name" >&2
    exit 1
  fi
  exe[$pair]=$path
done

time_cmd=()
if [ -x /usr/bin/time ]; then
  time_cmd=(/usr/bin/time -f "%e %M" -o "$PWD/$out_dir/.time")
fi

summary=()
failed=0
for pair in "${benches[@]}"; do
  read -r pkg name <<<"$pair"
  file="$out_dir/$pkg-$name.txt"
  echo "--- bench $pkg/$name"
  start=$(date +%s.%N)
  status=ok
  # Like `cargo bench`: run from the package's directory, with `--bench`.
  bin=${exe[$pair]}
  [[ "$bin" = /* ]] || bin="$PWD/$bin"
  if ! (cd "$pkg" && "${time_cmd[@]}" "$bin" --bench) 2>&1 | tee "$file"; then
    status=failed
    failed=1
  fi
  wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')
  rss=-
  if [ -f "$out_dir/.time" ]; then
    rss=$(awk 'END{printf "%.0f", $2/1024}' "$out_dir/.time")
    rm -f "$out_dir/.time"
  fi
  summary+=("bench package=$pkg name=$name status=$status wall_s=$wall peak_rss_mib=$rss output=$file")
done

echo "--- summary"
printf '%s\n' "${summary[@]}" | tee "$out_dir/summary.txt"
exit "$failed"
