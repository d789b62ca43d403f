#!/usr/bin/env bash
# Load and soak test of bosun-webhook over TLS on loopback, in local mode (no cluster).
#
# Starts a release build of `bosun-webhook serve --self-signed --templates DIR --config POLICY`
# with a template library made of the corpus plus $TEMPLATES generated WorkflowTemplates, then
# drives it with the checker in webhook/benches/load.rs, which verifies every response
# (HTTP 200, uid, allowed/denied, status code, warnings count, exact patch) against the
# in-process decision, counts errors and samples the server's RSS every second.
#
#   scripts/load.sh bench   # max throughput: GET /healthz (trivial) and the mixed corpus, $RUNS runs each
#   scripts/load.sh soak    # $RATE req/s for $DURATION s (default 600) with RSS samples
#
# Environment: DURATION (seconds per run; bench default 15, soak 600), RUNS (bench, default 3),
# CONNECTIONS (default 8), RATE (soak, default 200), TEMPLATES (default 1000),
# CORPUS (space-separated dirs; default the upstream Argo examples and examples/),
# PORT (default 18443), OUT (directory for logs and RSS CSV; default a temporary one).
set -euo pipefail

mode=${1:-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-"/work/shared/corpus/argo-examples $root/examples"}
connections=${CONNECTIONS:-8}
templates=${TEMPLATES:-1000}
port=${PORT:-18443}
probe_port=$((port + 1))
case $mode in
bench) duration=${DURATION:-15} ;;
soak) duration=${DURATION:-600} ;;
*)
    echo "usage: $0 bench|soak" >&2
    exit 2
    ;;
esac
work=$(mktemp -d)
out=${OUT:-$root/target/load}
mkdir -p "$out"
out=$(cd "$out" && pwd) # cargo bench runs the checker from webhook/
server_pid=

cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
echo "# building (release)" >&2
cargo build --release --quiet -p webhook --bin bosun-webhook
cargo bench --quiet -p webhook --bench load --no-run 2>/dev/null

# Template library: every corpus directory (the loader keeps only the templates) plus generated ones.
mkdir -p "$work/templates/generated"
i=0
for dir in $corpus; do
    cp -r "$dir" "$work/templates/corpus-$i"
    i=$((i + 1))
done
for n in $(seq 0 $((templates - 1))); do
    cat >"$work/templates/generated/t$n.yaml" <<EOF
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: generated-$n
  namespace: argo
  labels: {app: load}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: message, value: "hello $n"}]
  templates:
    - name: main
      inputs:
        parameters: [{name: message}]
      steps:
        - - name: greet
            template: say
            arguments:
              parameters: [{name: message, value: "{{inputs.parameters.message}}"}]
    - name: say
      inputs:
        parameters: [{name: message}]
      container:
        image: alpine:3.20
        command: [echo]
        args: ["{{inputs.parameters.message}}"]
        resources:
          requests: {cpu: 10m, memory: 16Mi}
EOF
done
cat >"$work/policy.yaml" <<'EOF'
defaults:
  activeDeadlineSeconds: 3600
  ttlStrategy: {secondsAfterCompletion: 86400}
  podGC: {strategy: OnPodSuccess}
  labels: {bosun.dev/load: "true"}
EOF

target=${CARGO_TARGET_DIR:-$root/target}
"$target/release/bosun-webhook" --log warn serve --self-signed --write-ca "$work/ca.pem" \
    --templates "$work/templates" --config "$work/policy.yaml" \
    --listen "127.0.0.1:$port" --probe-listen "127.0.0.1:$probe_port" \
    >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 200); do
    if curl -fsS "http://127.0.0.1:$probe_port/readyz" >/dev/null 2>&1 && [[ -s $work/ca.pem ]]; then
        break
    fi
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$probe_port/readyz" >/dev/null
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }
echo "server_pid=$server_pid templates_generated=$templates rss_idle_mib=$(rss)"

load() {
    cargo bench --quiet -p webhook --bench load -- --addr "127.0.0.1:$port" --ca "$work/ca.pem" \
        --templates "$work/templates" --config "$work/policy.yaml" \
        $(for d in $corpus; do printf -- '--corpus %s ' "$d"; done) \
        --connections "$connections" "$@"
}

status=0
case $mode in
bench)
    for run in $(seq 1 "${RUNS:-3}"); do
        echo "## run $run: GET /healthz (trivial endpoint, same stack), as fast as possible"
        load --path /healthz --duration "$duration" || status=1
        echo "## run $run: mixed corpus, as fast as possible"
        load --duration "$duration" --pid "$server_pid" || status=1
    done
    ;;
soak)
    echo "## soak: ${RATE:-200} req/s for ${duration} s"
    load --rate "${RATE:-200}" --duration "$duration" --pid "$server_pid" --rss-out "$out/rss.csv" || status=1
    echo "rss_csv=$out/rss.csv"
    ;;
esac
echo "rss_after_mib=$(rss)"
if grep -qi "panic" "$out/server.log"; then
    echo "server log has a panic: $out/server.log" >&2
    status=1
fi
exit $status
