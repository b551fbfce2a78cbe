# shellcheck shell=bash
# Shared settings for provision.sh, start.sh and stop.sh. Sourced, never executed.
#
# Everything that is built or downloaded lives OUTSIDE the repository, in one cache directory, so that a
# `git clean` or a fresh checkout never throws away the ~10 minute build, and so that several checkouts on
# one machine share it.

KUBE_TESTENV_CACHE="${KUBE_TESTENV_CACHE:-${HOME:?HOME is not set}/.cache/ecivk/kube-testenv}"
# The binaries we build; start.sh reads them from here (override for pre-built binaries elsewhere).
KUBE_TESTENV_BIN="${KUBE_TESTENV_BIN:-$KUBE_TESTENV_CACHE/bin}"
# The only version this recipe builds (Debian bookworm's `kubernetes` source package is 1.20.5+really1.20.2).
KUBE_TESTENV_VERSION="v1.20.2"
KUBE_TESTENV_COMPONENTS=(kube-apiserver kube-scheduler kube-controller-manager)

# Debian's etcd-server package installs /usr/bin/etcd; we do not build etcd.
KUBE_TESTENV_ETCD="${KUBE_TESTENV_ETCD:-$(command -v etcd || echo /usr/bin/etcd)}"

# All messages go to stderr so that callers can capture stdout of the scripts if they ever print data there.
log() { printf '[kube-testenv %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf '[kube-testenv %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2
  exit 1
}

# True when `$1 --version` reports exactly the version we build. Used by provision.sh's fast path and by
# start.sh to fail early with a pointer to provision.sh instead of starting a wrong or half-written binary.
binary_ok() {
  local bin="$1" out
  [[ -x "$bin" ]] || return 1
  out="$("$bin" --version 2>/dev/null)" || return 1
  [[ "$out" == "Kubernetes $KUBE_TESTENV_VERSION" ]]
}

all_binaries_ok() {
  local c
  for c in "${KUBE_TESTENV_COMPONENTS[@]}"; do
    binary_ok "$KUBE_TESTENV_BIN/$c" || return 1
  done
  [[ -x "$KUBE_TESTENV_ETCD" ]]
}

# is_ours <name> <pid> <state-dir>: alive, not a zombie, and its command line names both the component and
# the state dir. The last check guards against a recycled pid: we never signal a process that merely
# inherited the number. (Zombies count as gone: an orphan's zombie may linger if PID 1 does not reap.)
is_ours() {
  local name="$1" pid="$2" state_dir="$3" cmd st
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # Field 3 of /proc/PID/stat, read after the last ')' since the command name may contain spaces.
  st="$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ -n "$st" && "$st" != Z ]] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$name"* && "$cmd" == *"$state_dir"* ]]
}
