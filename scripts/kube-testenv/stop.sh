#!/usr/bin/env bash
# Stop a control plane started by start.sh <state-dir>: SIGTERM, then SIGKILL after a bounded wait.
# Idempotent (a second call, or a call on a dir where nothing runs, is a no-op that exits 0). Logs, certs and
# etcd data stay in the state dir for post-mortems; delete the dir yourself when done.
#
# Environment:
#   KUBE_TESTENV_STOP_TIMEOUT  seconds to wait after SIGTERM before SIGKILL (default 15)
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/kube-testenv/common.sh
. "$SCRIPT_DIR/common.sh"

[[ $# -eq 1 && -n "$1" ]] || die "usage: stop.sh <state-dir>"
STOP_TIMEOUT="${KUBE_TESTENV_STOP_TIMEOUT:-15}"
if [[ ! -d "$1" ]]; then
  log "no state dir $1: nothing to stop"
  exit 0
fi
STATE="$(cd "$1" && pwd)"
PIDS_FILE="$STATE/pids"
if [[ ! -f "$PIDS_FILE" ]]; then
  log "no $PIDS_FILE: nothing to stop"
  exit 0
fi

names=()
pids=()
while read -r name pid; do
  [[ -n "${name:-}" ]] || continue
  names+=("$name")
  pids+=("${pid:-}")
done <"$PIDS_FILE"

# Reverse start order (controllers, API server, etcd), so clients go before the servers they talk to.
running=()
for ((i = ${#names[@]} - 1; i >= 0; i--)); do
  if is_ours "${names[$i]}" "${pids[$i]}" "$STATE"; then
    log "stopping ${names[$i]} (pid ${pids[$i]})"
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    running+=("$i")
  fi
done

# wait_gone <seconds>: poll until none of the signalled processes is ours any more.
wait_gone() {
  local deadline=$((SECONDS + $1)) i left
  while :; do
    left=()
    for i in "${running[@]}"; do
      if is_ours "${names[$i]}" "${pids[$i]}" "$STATE"; then left+=("$i"); fi
    done
    running=("${left[@]}")
    [[ ${#running[@]} -eq 0 ]] && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

if [[ ${#running[@]} -gt 0 ]] && ! wait_gone "$STOP_TIMEOUT"; then
  for i in "${running[@]}"; do
    log "${names[$i]} (pid ${pids[$i]}) ignored SIGTERM for ${STOP_TIMEOUT}s: SIGKILL"
    kill -KILL "${pids[$i]}" 2>/dev/null || true
  done
  wait_gone 10 || die "processes still alive after SIGKILL: $(for i in "${running[@]}"; do printf '%s ' "${pids[$i]}"; done)"
fi

# Keep a record of what ran, but make the next stop.sh a clean no-op.
mv -f "$PIDS_FILE" "$STATE/pids.stopped"
log "stopped (logs kept in $STATE/logs)"
