#!/usr/bin/env bash
# Start a throw-away Kubernetes v1.20.2 control plane (etcd, kube-apiserver, kube-scheduler,
# kube-controller-manager) on free 127.0.0.1 ports, with fresh certificates, and wait until it is usable.
#
#   start.sh <state-dir>      then   . <state-dir>/env   ...   stop.sh <state-dir>
#
# Pure: it never builds or installs anything. If the binaries are missing it fails and points at
# provision.sh (a test run must fail loudly rather than silently skip its integration tests).
# On success: exit 0 once /readyz is 200, the scheduler and controller-manager report healthy and the
# `default` ServiceAccount (with its token Secret) exists. On failure or timeout: prints the tail of every log,
# stops whatever it started and exits non-zero.
#
# Environment:
#   KUBE_TESTENV_TIMEOUT                  seconds to wait for readiness (default 90)
#   KUBE_TESTENV_V                        klog verbosity of the Kubernetes components (default 0)
#   KUBE_TESTENV_APISERVER_ARGS           extra flags (whitespace separated) for kube-apiserver,
#   KUBE_TESTENV_SCHEDULER_ARGS             kube-scheduler and kube-controller-manager, e.g.
#   KUBE_TESTENV_CONTROLLER_MANAGER_ARGS    "--node-monitor-grace-period=10s --pod-eviction-timeout=20s"
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/kube-testenv/common.sh
. "$SCRIPT_DIR/common.sh"

[[ $# -eq 1 && -n "$1" ]] || die "usage: start.sh <state-dir>"
TIMEOUT="${KUBE_TESTENV_TIMEOUT:-90}"
VERBOSITY="${KUBE_TESTENV_V:-0}"
read -r -a EXTRA_APISERVER <<<"${KUBE_TESTENV_APISERVER_ARGS:-}"
read -r -a EXTRA_SCHEDULER <<<"${KUBE_TESTENV_SCHEDULER_ARGS:-}"
read -r -a EXTRA_KCM <<<"${KUBE_TESTENV_CONTROLLER_MANAGER_ARGS:-}"
SERVICE_CIDR=10.96.0.0/12
FIRST_SERVICE_IP=10.96.0.1
SA_ISSUER=https://kubernetes.default.svc.cluster.local

# ---- Preconditions: fail fast and clearly, before touching the state dir. ----
for c in "${KUBE_TESTENV_COMPONENTS[@]}"; do
  binary_ok "$KUBE_TESTENV_BIN/$c" ||
    die "$KUBE_TESTENV_BIN/$c is missing or not $KUBE_TESTENV_VERSION: run scripts/kube-testenv/provision.sh first"
done
[[ -x "$KUBE_TESTENV_ETCD" ]] || die "etcd not found ($KUBE_TESTENV_ETCD): run scripts/kube-testenv/provision.sh first"
for tool in openssl curl setsid base64; do
  command -v "$tool" >/dev/null || die "$tool is required but not installed"
done

mkdir -p "$1"
STATE="$(cd "$1" && pwd)"
PKI="$STATE/pki"
LOGS="$STATE/logs"
PIDS_FILE="$STATE/pids"

# A second start into a live state dir would orphan the first cluster: refuse.
if [[ -f "$PIDS_FILE" ]]; then
  while read -r name pid; do
    if is_ours "${name:-}" "${pid:-}" "$STATE"; then
      die "$name (pid $pid) from a previous start is still running in $STATE: run stop.sh $STATE first"
    fi
  done <"$PIDS_FILE"
fi

# Fresh cluster every time: new CA, keys, tokens and an empty etcd. Only our own files are removed, the
# directory itself may be shared with the caller.
rm -rf "$PKI" "$STATE/etcd" "$STATE/kube-scheduler" "$STATE/kube-controller-manager" "$LOGS" \
  "$STATE/kubeconfig" "$STATE/env" "$PIDS_FILE"
mkdir -p "$PKI" "$LOGS"
chmod 700 "$PKI"
: >"$PIDS_FILE"

# etcd reads ETCD_* variables as flags and refuses the ones that clash with our command line.
while read -r v; do unset "$v"; done < <(compgen -e | grep '^ETCD_' || true)

# Millisecond clock for the progress lines (EPOCHREALTIME: bash >= 5; the separator follows the locale).
now_ms() { local t="${EPOCHREALTIME//[.,]/}"; echo $((t / 1000)); }
since() { local d=$(($(now_ms) - $1)); printf '%d.%d s' $((d / 1000)) $((d % 1000 / 100)); }
t_start=$(now_ms)
declare -A PID=()
READY=0

# ---- Failure handling: whatever happens before READY=1, dump logs and stop what we started. ----
on_exit() {
  local rc=$?
  [[ $READY -eq 1 ]] && return 0
  [[ $rc -eq 0 ]] && rc=1
  local f
  for f in "$LOGS"/*.log; do
    [[ -f "$f" ]] || continue
    printf '\n----- last 25 lines of %s -----\n' "$f" >&2
    tail -n 25 "$f" >&2 || true
  done
  log "start failed; stopping what was started (logs kept in $LOGS)"
  "$SCRIPT_DIR/stop.sh" "$STATE" >&2 || true
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- Free loopback ports. ----
# Bind port 0 on 127.0.0.1 for all of them at once (so they are distinct) and release them; the window until
# the components bind them is a few seconds. Without python3, probe random ports below the ephemeral range.
pick_ports() {
  local n="$1" py
  py="$(command -v python3 || true)"
  if [[ -n "$py" ]]; then
    "$py" -c '
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
' "$n"
    return
  fi
  local -a out=()
  local p tries=0
  while [[ ${#out[@]} -lt $n ]]; do
    ((++tries < 1000)) || return 1
    p=$((20000 + RANDOM % 12000))
    [[ " ${out[*]} " == *" $p "* ]] && continue
    # A refused connection means nothing listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then out+=("$p"); fi
  done
  echo "${out[*]}"
}
read -r ETCD_PORT ETCD_PEER_PORT APISERVER_PORT SCHEDULER_PORT KCM_PORT <<<"$(pick_ports 5)" ||
  die "could not find free ports"
[[ -n "${KCM_PORT:-}" ]] || die "could not find free ports"

# ---- Certificates and keys (openssl). ----
# RSA 2048 keys in PKCS#8 PEM ("BEGIN PRIVATE KEY"), readable by Go and by Java's KeyFactory alike.
# Generated in parallel: key generation is most of the cost.
gen_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/$1.key" 2>/dev/null; }
key_pids=()
for k in ca apiserver kubelet-client sa; do
  gen_key "$k" &
  key_pids+=($!)
done
for p in "${key_pids[@]}"; do wait "$p" || die "openssl key generation failed"; done
openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

cat >"$PKI/openssl.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1,DNS:localhost,IP:$FIRST_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
EOF
openssl req -x509 -new -config "$PKI/openssl.cnf" -extensions ca -key "$PKI/ca.key" \
  -subj "/CN=kube-testenv-ca" -days 3650 -out "$PKI/ca.crt" 2>/dev/null
# sign <name> <subject> <extension section>
sign() {
  openssl req -new -config "$PKI/openssl.cnf" -key "$PKI/$1.key" -subj "$2" -out "$PKI/$1.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
    -days 365 -extfile "$PKI/openssl.cnf" -extensions "$3" -out "$PKI/$1.crt" 2>/dev/null
  rm -f "$PKI/$1.csr"
}
sign apiserver "/CN=kube-apiserver" server
# The identity the API server presents to kubelets (logs/exec/port-forward proxying); kubeadm's convention.
sign kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" client

ADMIN_TOKEN="$(openssl rand -hex 32)"
# token,user,uid,"group1,group2"
printf '%s,admin,admin,"system:masters"\n' "$ADMIN_TOKEN" >"$PKI/tokens.csv"
chmod 600 "$PKI"/*.key "$PKI/tokens.csv"

APISERVER_URL="https://127.0.0.1:$APISERVER_PORT"
cat >"$STATE/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kube-testenv
  cluster:
    server: $APISERVER_URL
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: admin
  user:
    token: $ADMIN_TOKEN
contexts:
- name: kube-testenv
  context:
    cluster: kube-testenv
    user: admin
    namespace: default
current-context: kube-testenv
EOF
chmod 600 "$STATE/kubeconfig"

# ---- Process helpers. ----
# setsid: the components must outlive this script and must not get the terminal's Ctrl-C or a hangup meant
# for the caller; they are stopped by stop.sh through the pids file. Without job control the background
# child is not a process-group leader, so setsid execs in place and $! is the component's own pid.
launch() {
  local name="$1"
  shift
  setsid "$@" </dev/null >"$LOGS/$name.log" 2>&1 &
  PID[$name]=$!
  printf '%s %s\n' "$name" "${PID[$name]}" >>"$PIDS_FILE"
}

check_alive() {
  local name
  for name in "${!PID[@]}"; do
    kill -0 "${PID[$name]}" 2>/dev/null || die "$name (pid ${PID[$name]}) exited during startup"
  done
}

# curl without any proxy from the environment (curl, unlike Go, would proxy 127.0.0.1).
kcurl() { curl --noproxy '*' -s --max-time 3 "$@"; }

# wait_for <description> <command...>: poll until the command succeeds, within the overall deadline.
DEADLINE=$((SECONDS + TIMEOUT))
wait_for() {
  local what="$1" t0
  t0=$(now_ms)
  shift
  until "$@"; do
    check_alive
    ((SECONDS < DEADLINE)) || die "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.2
  done
  log "$what after $(since "$t0")"
}

etcd_healthy() { [[ "$(kcurl "http://127.0.0.1:$ETCD_PORT/health" || true)" == *'"health":"true"'* ]]; }
api_get() { kcurl --cacert "$PKI/ca.crt" -H "Authorization: Bearer $ADMIN_TOKEN" "$APISERVER_URL$1"; }
apiserver_ready() { [[ "$(api_get /readyz || true)" == ok ]]; }
# Scheduler and controller-manager serve /healthz on their own secure port with a self-signed certificate
# (/healthz is on their always-allow list, no credentials needed).
component_healthy() { [[ "$(kcurl -k "https://127.0.0.1:$1/healthz" || true)" == ok ]]; }
# The ServiceAccount controller creates `default`, the tokens controller adds its token Secret; 1.20's
# ServiceAccount admission rejects pods until both exist, so this is the real "pods can be created" signal.
default_sa_ready() {
  [[ "$(api_get /api/v1/namespaces/default/serviceaccounts/default || true)" == *'"secrets"'* ]]
}

# ---- etcd ----
launch etcd "$KUBE_TESTENV_ETCD" \
  --name kube-testenv \
  --data-dir "$STATE/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "kube-testenv=http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster-state new \
  --unsafe-no-fsync \
  --logger zap --log-outputs stderr
wait_for "etcd healthy on 127.0.0.1:$ETCD_PORT" etcd_healthy

# ---- kube-apiserver ----
launch kube-apiserver "$KUBE_TESTENV_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 \
  --advertise-address 127.0.0.1 \
  --secure-port "$APISERVER_PORT" \
  --insecure-port 0 \
  --cert-dir "$PKI" \
  --tls-cert-file "$PKI/apiserver.crt" \
  --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" \
  --token-auth-file "$PKI/tokens.csv" \
  --authorization-mode Node,RBAC \
  --enable-admission-plugins NodeRestriction \
  --allow-privileged=true \
  --service-account-issuer "$SA_ISSUER" \
  --service-account-key-file "$PKI/sa.pub" \
  --service-account-signing-key-file "$PKI/sa.key" \
  --service-cluster-ip-range "$SERVICE_CIDR" \
  --endpoint-reconciler-type none \
  --kubelet-client-certificate "$PKI/kubelet-client.crt" \
  --kubelet-client-key "$PKI/kubelet-client.key" \
  --kubelet-preferred-address-types InternalIP,ExternalIP,Hostname \
  --v "$VERBOSITY" \
  "${EXTRA_APISERVER[@]}"
# Notes on the flags above:
# --endpoint-reconciler-type none: a loopback advertise address cannot go into the `kubernetes` Endpoints.
# --kubelet-preferred-address-types: a virtual node on 127.0.0.1 publishes InternalIP; the default order
#   would try its Hostname first. No --kubelet-certificate-authority, so the kubelet's serving cert is not
#   verified (the API server's default), while the kubelet can verify our client cert against ca.crt.
wait_for "kube-apiserver /readyz on $APISERVER_URL" apiserver_ready

# ---- kube-scheduler and kube-controller-manager (started only now: 1.20's controller-manager gives up if
# the API server is not healthy within 10 s). ----
launch kube-scheduler "$KUBE_TESTENV_BIN/kube-scheduler" \
  --kubeconfig "$STATE/kubeconfig" \
  --authentication-kubeconfig "$STATE/kubeconfig" \
  --authorization-kubeconfig "$STATE/kubeconfig" \
  --leader-elect=false \
  --port 0 \
  --bind-address 127.0.0.1 \
  --secure-port "$SCHEDULER_PORT" \
  --cert-dir "$STATE/kube-scheduler" \
  --v "$VERBOSITY" \
  "${EXTRA_SCHEDULER[@]}"
launch kube-controller-manager "$KUBE_TESTENV_BIN/kube-controller-manager" \
  --kubeconfig "$STATE/kubeconfig" \
  --authentication-kubeconfig "$STATE/kubeconfig" \
  --authorization-kubeconfig "$STATE/kubeconfig" \
  --leader-elect=false \
  --port 0 \
  --bind-address 127.0.0.1 \
  --secure-port "$KCM_PORT" \
  --cert-dir "$STATE/kube-controller-manager" \
  --service-account-private-key-file "$PKI/sa.key" \
  --root-ca-file "$PKI/ca.crt" \
  --use-service-account-credentials=true \
  --cluster-signing-cert-file "$PKI/ca.crt" \
  --cluster-signing-key-file "$PKI/ca.key" \
  --v "$VERBOSITY" \
  "${EXTRA_KCM[@]}"
wait_for "kube-scheduler healthy on 127.0.0.1:$SCHEDULER_PORT" component_healthy "$SCHEDULER_PORT"
wait_for "kube-controller-manager healthy on 127.0.0.1:$KCM_PORT" component_healthy "$KCM_PORT"
wait_for "ServiceAccount default/default with token" default_sa_ready

# ---- Outputs ----
{
  echo "# Written by scripts/kube-testenv/start.sh; source it: . $STATE/env"
  for kv in \
    "KUBE_TESTENV_STATE_DIR=$STATE" \
    "KUBECONFIG=$STATE/kubeconfig" \
    "KUBE_APISERVER_URL=$APISERVER_URL" \
    "KUBE_ADMIN_TOKEN=$ADMIN_TOKEN" \
    "KUBE_CA_FILE=$PKI/ca.crt" \
    "KUBE_CA_KEY_FILE=$PKI/ca.key" \
    "KUBE_KUBELET_CLIENT_CERT_FILE=$PKI/kubelet-client.crt" \
    "KUBE_KUBELET_CLIENT_KEY_FILE=$PKI/kubelet-client.key" \
    "KUBE_SA_KEY_FILE=$PKI/sa.key" \
    "KUBE_SA_PUB_FILE=$PKI/sa.pub" \
    "KUBE_SA_ISSUER=$SA_ISSUER" \
    "KUBE_SERVICE_CIDR=$SERVICE_CIDR" \
    "KUBE_VERSION=$KUBE_TESTENV_VERSION" \
    "KUBE_APISERVER_PORT=$APISERVER_PORT" \
    "KUBE_ETCD_URL=http://127.0.0.1:$ETCD_PORT" \
    "KUBE_ETCD_PORT=$ETCD_PORT" \
    "KUBE_ETCD_PEER_PORT=$ETCD_PEER_PORT" \
    "KUBE_SCHEDULER_PORT=$SCHEDULER_PORT" \
    "KUBE_CONTROLLER_MANAGER_PORT=$KCM_PORT" \
    "KUBE_ETCD_PID=${PID[etcd]}" \
    "KUBE_APISERVER_PID=${PID[kube-apiserver]}" \
    "KUBE_SCHEDULER_PID=${PID[kube-scheduler]}" \
    "KUBE_CONTROLLER_MANAGER_PID=${PID[kube-controller-manager]}"; do
    printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"
  done
} >"$STATE/env.partial"
mv -f "$STATE/env.partial" "$STATE/env"

READY=1
log "control plane $KUBE_TESTENV_VERSION ready in $(since "$t_start"): $APISERVER_URL"
log "use: . $STATE/env   (KUBECONFIG=$STATE/kubeconfig); stop: $SCRIPT_DIR/stop.sh $STATE"
