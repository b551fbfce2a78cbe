#!/usr/bin/env bash
# One-time, idempotent provisioning of a real Kubernetes v1.20.2 control plane for integration tests.
#
# Why like this: kind, k3s, envtest and kube-api-test all download binaries from hosts this kind of
# machine cannot reach. Debian bookworm's `kubernetes` SOURCE package carries the complete upstream tree
# (with vendor/), and Debian's Go builds kube-apiserver, kube-scheduler and kube-controller-manager from it
# fully offline. etcd comes from Debian's etcd-server binary package. See
# shared/reference/test-infrastructure.md §1 (the recipe this script implements).
#
# Result: $KUBE_TESTENV_CACHE/bin/{kube-apiserver,kube-scheduler,kube-controller-manager} and /usr/bin/etcd.
# A second run finds the binaries, checks their --version and returns at once.
#
# Needs root (or password-less sudo) only for apt (enabling deb-src, apt-get update/install). ~10 min and
# ~1.5 GB the first time. Any failure exits non-zero: CI must fail, never silently skip the tests.
#
# Environment:
#   KUBE_TESTENV_CACHE   cache dir (default ~/.cache/ecivk/kube-testenv)
#   KUBE_TESTENV_GO      Go toolchain (default /usr/bin/go = Debian's golang-go, 1.19 on bookworm)
#   KUBE_TESTENV_JOBS    parallel compile jobs (default 2; each job can take ~0.5 GB RSS)
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/kube-testenv/common.sh
. "$SCRIPT_DIR/common.sh"

trap 'die "provision.sh failed at line $LINENO (exit $?): $BASH_COMMAND"' ERR

PACKAGES=(dpkg-dev golang-go etcd-server rsync make openssl)
REFLECT2_PKG=golang-github-modern-go-reflect2-dev
DEB_SRC_FILE=/etc/apt/sources.list.d/ecivk-kube-testenv-src.sources
GO="${KUBE_TESTENV_GO:-/usr/bin/go}"
JOBS="${KUBE_TESTENV_JOBS:-2}"

print_result() {
  local c
  for c in "${KUBE_TESTENV_COMPONENTS[@]}"; do
    printf '%s\n' "$KUBE_TESTENV_BIN/$c"
  done
  printf '%s\n' "$KUBE_TESTENV_ETCD"
}

# ---- Fast path: nothing to do (no lock, no apt, no network; well under a second). ----
if all_binaries_ok; then
  log "already provisioned ($KUBE_TESTENV_VERSION):"
  print_result
  exit 0
fi

start_ts=$SECONDS
mkdir -p "$KUBE_TESTENV_CACHE"
# Serialise concurrent provisioning (e.g. two Maven modules' integration tests starting at once): the second
# caller waits, then takes the fast path below.
exec 9>"$KUBE_TESTENV_CACHE/.provision.lock"
if ! flock -n 9; then
  log "another provision.sh is running; waiting for it (up to 60 min)"
  flock -w 3600 9 || die "timed out waiting for the provisioning lock $KUBE_TESTENV_CACHE/.provision.lock"
fi
if all_binaries_ok; then
  log "provisioned by a concurrent run:"
  print_result
  exit 0
fi

# Run a privileged command: directly as root, else through password-less sudo, else fail with a hint.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    die "root is needed for: $* (run provision.sh as root once, or give password-less sudo)"
  fi
}

# apt refuses to download as root into a directory its sandbox user _apt cannot read and then warns; we
# download into our own cache on purpose, so keep apt as root there to silence that noise.
APT_USER_OPTS=()
if [[ $EUID -eq 0 ]]; then APT_USER_OPTS=(-o APT::Sandbox::User=root); fi

apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -q "$@"; }

pkg_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# ---- 1. deb-src entries, mirroring debian.sources (same URIs/Suites/Components/Signed-By). ----
enable_deb_src() {
  if [[ -f "$DEB_SRC_FILE" ]]; then
    log "deb-src already configured ($DEB_SRC_FILE)"
    return 0
  fi
  # Some other deb-src line may already serve the kubernetes source package (apt-cache exits non-zero
  # with "You must put some 'deb-src' URIs" otherwise).
  # (Captured first: `| grep -q` under pipefail could fail on SIGPIPE.)
  local known
  known="$(apt-cache showsrc kubernetes 2>/dev/null || true)"
  if grep -q '^Package: kubernetes$' <<<"$known"; then
    log "deb-src already configured (kubernetes source package is known to apt)"
    return 0
  fi
  local src=/etc/apt/sources.list.d/debian.sources content
  [[ -r "$src" ]] || die "$src not found: add a deb-src entry for the Debian archive by hand, then re-run"
  # Copy every enabled stanza whose Types includes `deb`, as `Types: deb-src`, keeping URIs, Suites,
  # Components and Signed-By (including multi-line continuation values); comments and other fields dropped.
  content="$(awk '
    function flush() {
      if (seen && types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no") {
        printf "%sTypes: deb-src\n%s", (n++ ? "\n" : ""), body
      }
      seen = 0; types = ""; body = ""; enabled = ""; keep = 0
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { flush(); next }
    /^[ \t]/ { if (keep) body = body $0 "\n"; next }
    {
      seen = 1; field = tolower($0); sub(/:.*/, "", field)
      value = $0; sub(/^[^:]*:[ \t]*/, "", value)
      keep = 0
      if (field == "types") types = value
      else if (field == "enabled") enabled = tolower(value)
      else if (field == "uris" || field == "suites" || field == "components" || field == "signed-by") {
        keep = 1; body = body $0 "\n"
      }
    }
    END { flush() }
  ' "$src")"
  [[ -n "$content" ]] || die "no enabled 'Types: deb' stanza found in $src"
  log "enabling deb-src in $DEB_SRC_FILE (mirroring $src)"
  printf '# Written by scripts/kube-testenv/provision.sh: source packages for building Kubernetes.\n%s\n' \
    "$content" | as_root tee "$DEB_SRC_FILE.tmp" >/dev/null
  as_root mv -f "$DEB_SRC_FILE.tmp" "$DEB_SRC_FILE"
  NEED_UPDATE=1
}

NEED_UPDATE=0
enable_deb_src

missing=()
for p in "${PACKAGES[@]}"; do
  pkg_installed "$p" || missing+=("$p")
done
# apt-get source needs the deb-src index; an image may ship without any apt lists at all.
if [[ $NEED_UPDATE -eq 1 || ${#missing[@]} -gt 0 ]] || ! apt-cache showsrc kubernetes >/dev/null 2>&1; then
  log "apt-get update"
  apt_get update
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing ${missing[*]}"
  apt_get install -y --no-install-recommends "${missing[@]}"
fi
[[ -x "$GO" ]] || die "Go toolchain $GO not found (golang-go should provide /usr/bin/go)"
[[ -x "$KUBE_TESTENV_ETCD" ]] || KUBE_TESTENV_ETCD="$(command -v etcd || true)"
[[ -x "$KUBE_TESTENV_ETCD" ]] || die "etcd binary not found after installing etcd-server"
log "using $("$GO" version), etcd $("$KUBE_TESTENV_ETCD" --version 2>/dev/null | awk '/etcd Version/ {print $3}')"

# ---- 2. The kubernetes source package, unpacked into the cache. ----
SRC_DIR="$KUBE_TESTENV_CACHE/src"
find_tree() { find "$SRC_DIR" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' -print -quit 2>/dev/null; }
if [[ ! -f "$SRC_DIR/.complete" ]]; then
  log "downloading and unpacking the kubernetes source package (~34 MB download, ~280 MB unpacked)"
  # Unpack into a scratch dir and rename at the end, so an interrupted run never leaves a half tree
  # that a later run would take for complete.
  rm -rf "$SRC_DIR" "$SRC_DIR.partial"
  mkdir -p "$SRC_DIR.partial"
  (cd "$SRC_DIR.partial" && apt-get -q "${APT_USER_OPTS[@]}" source kubernetes) >"$KUBE_TESTENV_CACHE/apt-source.log" 2>&1 ||
    { tail -n 30 "$KUBE_TESTENV_CACHE/apt-source.log" >&2; die "apt-get source kubernetes failed"; }
  touch "$SRC_DIR.partial/.complete"
  mv "$SRC_DIR.partial" "$SRC_DIR"
fi
TREE="$(find_tree)"
[[ -n "$TREE" && -d "$TREE/cmd/kube-apiserver" ]] || die "no kubernetes tree under $SRC_DIR (delete it and re-run)"
# The version flags below are hard-coded to v1.20.2: refuse to stamp them onto some other upstream version.
[[ "$(basename "$TREE")" == *1.20.2* ]] ||
  die "unexpected source version $(basename "$TREE") (this script builds 1.20.2 only; update KUBE_TESTENV_VERSION)"
log "source tree: $TREE"

# Build environment shared by gen_openapi and go build: GOPATH mode, offline, no cgo, caches in the cache
# dir. GOENV=off ignores a user's `go env -w` settings (e.g. GOFLAGS=-mod=mod would break GOPATH mode).
GOPATH_DIR="$KUBE_TESTENV_CACHE/gopath"
go_env=(env -u GOFLAGS GOENV=off GO111MODULE=off GOPROXY=off GOSUMDB=off CGO_ENABLED=0
  GOPATH="$GOPATH_DIR" GOCACHE="$KUBE_TESTENV_CACHE/go-build" PATH="$(dirname "$(readlink -f "$GO")"):$PATH")

# ---- 3a. pkg/generated/openapi/zz_generated.openapi.go is not in the tarball: generate it (offline). ----
if [[ ! -f "$TREE/.ecivk-openapi-done" ]]; then
  log "make gen_openapi (~20 s)"
  (cd "$TREE" && "${go_env[@]}" make gen_openapi) >"$KUBE_TESTENV_CACHE/gen_openapi.log" 2>&1 ||
    { tail -n 40 "$KUBE_TESTENV_CACHE/gen_openapi.log" >&2; die "make gen_openapi failed (full log: $KUBE_TESTENV_CACHE/gen_openapi.log)"; }
  [[ -s "$TREE/pkg/generated/openapi/zz_generated.openapi.go" ]] || die "make gen_openapi produced no zz_generated.openapi.go"
  touch "$TREE/.ecivk-openapi-done"
fi

# ---- 3b. Vendored modern-go/reflect2 v1.0.1 panics under Go >= 1.18 (nil pointer in reflect2.Type2 on
# every JSON/YAML decode): replace it with Debian's packaged 1.0.2. ----
if [[ ! -f "$TREE/.ecivk-reflect2-done" ]]; then
  log "replacing vendored github.com/modern-go/reflect2 with Debian's $REFLECT2_PKG"
  dl="$(mktemp -d "$KUBE_TESTENV_CACHE/reflect2.XXXXXX")"
  (cd "$dl" && apt-get -q "${APT_USER_OPTS[@]}" download "$REFLECT2_PKG") >&2
  deb="$(find "$dl" -maxdepth 1 -name "${REFLECT2_PKG}_*.deb" -print -quit)"
  [[ -n "$deb" ]] || die "apt-get download $REFLECT2_PKG produced no .deb"
  dpkg-deb -x "$deb" "$dl/x"
  new="$dl/x/usr/share/gocode/src/github.com/modern-go/reflect2"
  [[ -f "$new/reflect2.go" ]] || die "reflect2 sources not found in $deb"
  vend="$TREE/vendor/github.com/modern-go/reflect2"
  [[ -d "$vend" ]] || die "$vend not found in the source tree"
  find "$vend" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) -delete
  find "$new" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' -exec cp -t "$vend" {} +
  rm -rf "$dl"
  touch "$TREE/.ecivk-reflect2-done"
fi

# ---- 4. Build in GOPATH mode, as upstream 1.20 does (module mode fails on this tree). ----
mkdir -p "$GOPATH_DIR/src/k8s.io" "$KUBE_TESTENV_BIN"
ln -sfn "$TREE" "$GOPATH_DIR/src/k8s.io/kubernetes"
# Reproducible build date: the Debian changelog timestamp rather than "now".
build_date="$(cd "$TREE" && date -u -d "@$(dpkg-parsechangelog -S Timestamp)" +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
# Both packages carry version info: component-base's feeds /version and --version, client-go's feeds the
# User-Agent and some version checks. Without these /version reports v0.0.0.
for pkg in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBE_TESTENV_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=20"
  ldflags+=" -X $pkg.gitTreeState=archive -X $pkg.buildDate=$build_date"
done

i=0
for c in "${KUBE_TESTENV_COMPONENTS[@]}"; do
  i=$((i + 1))
  if binary_ok "$KUBE_TESTENV_BIN/$c"; then
    log "[$i/3] $c already built"
    continue
  fi
  log "[$i/3] building $c (cold: several minutes; warm: under a minute)"
  t0=$SECONDS
  tmp_bin="$KUBE_TESTENV_BIN/.$c.partial"
  # cd through the GOPATH symlink: in GOPATH mode the import path comes from the directory's position
  # under $GOPATH/src, so the vendor/ dir of k8s.io/kubernetes is used.
  (cd "$GOPATH_DIR/src/k8s.io/kubernetes" &&
    "${go_env[@]}" "$GO" build -p "$JOBS" -tags selinux,notest,providerless -ldflags "$ldflags" \
      -o "$tmp_bin" "./cmd/$c") || die "go build of $c failed"
  binary_ok "$tmp_bin" || die "$c was built but '$c --version' does not print 'Kubernetes $KUBE_TESTENV_VERSION'"
  mv -f "$tmp_bin" "$KUBE_TESTENV_BIN/$c"
  log "[$i/3] $c built in $((SECONDS - t0)) s ($(du -h "$KUBE_TESTENV_BIN/$c" | cut -f1))"
done

all_binaries_ok || die "provisioning finished but the binaries do not check out"
log "provisioned in $((SECONDS - start_ts)) s; cache $(du -sh "$KUBE_TESTENV_CACHE" | cut -f1) at $KUBE_TESTENV_CACHE:"
print_result
