#!/usr/bin/env bash
# The demo: installs what is missing, builds, then runs the simulator with a
# live scenario and the exporter against it, until Ctrl-C.
#
#   exporter:  http://localhost:9184/        (metrics at /metrics)
#   simulator: http://127.0.0.1:9185/        (the fake LlamaCloud API)
#
# EXPORTER_ADDRESS (default 127.0.0.1:9184; ":9184" for all interfaces) and
# SIM_PORT (default 9185) move them.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash .ci/install-deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target llamacloud_batch_exporter \
  llamacloud_batch_simulator

sim_port=${SIM_PORT:-9185}
exporter_address=${EXPORTER_ADDRESS:-127.0.0.1:9184}
key=demo-key

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

build/simulator/llamacloud_batch_simulator \
  --scenario deploy/demo/scenario.yaml --listen "127.0.0.1:${sim_port}" &
pids+=($!)

# Wait for the simulator, then ask it which jobs it runs.
jobs=""
for _ in $(seq 50); do
  jobs=$(curl -fsS -H "Authorization: Bearer ${key}" \
    "http://127.0.0.1:${sim_port}/api/v1/beta/batch-processing?limit=1000" \
    2>/dev/null | python3 -c \
    'import json,sys; print(" ".join(j["id"] for j in json.load(sys.stdin)["items"]))' \
    2>/dev/null) && [[ -n "$jobs" ]] && break
  sleep 0.2
done
if [[ -z "$jobs" ]]; then
  echo "the simulator did not come up" >&2
  exit 1
fi

job_flags=()
for job in $jobs; do job_flags+=("--llamacloud.job=${job}"); done
echo "demo: exporter on ${exporter_address}, jobs: ${jobs}" >&2
LLAMA_CLOUD_API_KEY=$key build/exporter/llamacloud_batch_exporter \
  --llamacloud.url="http://127.0.0.1:${sim_port}" \
  --web.listen-address="${exporter_address}" "${job_flags[@]}" &
pids+=($!)
wait -n "${pids[@]}"
