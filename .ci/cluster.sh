#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this machine for the cluster tests and benchmark, built from
# Debian's rabbitmq-server. The nodes are extra ones (rabbitc1..3@localhost on 5681-5683): a
# RabbitMQ already running here (rabbit@localhost on 5672) is never joined, stopped or touched.
#
#   .ci/cluster.sh start          start the missing nodes, join them, wait until all three run
#   .ci/cluster.sh stop           stop the three nodes and delete their data
#   .ci/cluster.sh status         one line per node (exit 1 unless all three run clustered)
#   .ci/cluster.sh urls           the AMQP URLs, comma separated (RABBITMQ_URLS)
#   .ci/cluster.sh kill N         SIGKILL node N's Erlang VM (a crash)
#   .ci/cluster.sh stop-node N    stop node N cleanly (rabbitmqctl stop)
#   .ci/cluster.sh revive N       start node N again (it rejoins from its data) and wait for it
#   .ci/cluster.sh stop-app N / start-app N   rabbitmqctl stop_app / start_app on node N
#   .ci/cluster.sh pid N          the OS pid of node N's Erlang VM
#
# Environment: STOKCERDAS_CLUSTER_DIR (default /tmp/stokcerdas-cluster), must be
# writable by the rabbitmq user; STOKCERDAS_CLUSTER_BASE_PORT (default 5680: nodes on +1..+3, their
# Erlang distribution ports on 20000 + that). Run as root or as the rabbitmq user.
set -euo pipefail

# not under $TMPDIR: that may be a directory the rabbitmq user cannot enter
DIR="${STOKCERDAS_CLUSTER_DIR:-/tmp/stokcerdas-cluster}"
BASE="${STOKCERDAS_CLUSTER_BASE_PORT:-5680}"
NODES=(1 2 3)
HOST=localhost

name() { echo "rabbitc$1@$HOST"; }
port() { echo $((BASE + $1)); }
dist_port() { echo $((20000 + BASE + $1)); }
ctl() { local n=$1; shift; rabbitmqctl -q -n "$(name "$n")" "$@"; }
log() { echo "== cluster: $*" >&2; }

require() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "rabbitmq-server is not installed: installing it from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  if ! id rabbitmq >/dev/null 2>&1; then log "no rabbitmq user (install rabbitmq-server)"; exit 1; fi
}

prepare_dir() {
  mkdir -p "$DIR"
  for n in "${NODES[@]}"; do
    mkdir -p "$DIR/m$n" "$DIR/l$n"
    # the machine's rabbitmq.conf pins the listener to 5672: each node needs its own config file
    printf 'listeners.tcp.local = 127.0.0.1:%s\nloopback_users = none\n' "$(port "$n")" >"$DIR/r$n.conf"
    # no plugins: the management plugin would want port 15672 on every node
    [ -f "$DIR/plugins$n" ] || printf '[].\n' >"$DIR/plugins$n"
  done
  if [ "$(id -u)" = 0 ]; then chown -R rabbitmq:rabbitmq "$DIR"; fi
}

pid_of() {
  local f="$DIR/p$1.pid"
  [ -s "$f" ] || return 1
  local pid; pid=$(tr -dc 0-9 <"$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

running() { ctl "$1" status >/dev/null 2>&1; }

port_open() { timeout 2 bash -c "</dev/tcp/127.0.0.1/$(port "$1")" 2>/dev/null; }

launch() {
  local n=$1
  if running "$n"; then return 0; fi
  if port_open "$n"; then log "port $(port "$n") is taken by something else"; exit 1; fi
  log "starting $(name "$n") on 127.0.0.1:$(port "$n")"
  RABBITMQ_CONFIG_FILE="$DIR/r$n.conf" \
  RABBITMQ_NODENAME="$(name "$n")" \
  RABBITMQ_NODE_PORT="$(port "$n")" \
  RABBITMQ_DIST_PORT="$(dist_port "$n")" \
  RABBITMQ_MNESIA_BASE="$DIR/m$n" \
  RABBITMQ_LOG_BASE="$DIR/l$n" \
  RABBITMQ_PID_FILE="$DIR/p$n.pid" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/plugins$n" \
    rabbitmq-server -detached >/dev/null 2>&1 || true
}

await_node() {
  local n=$1
  # rabbitmq-server -detached returns before the VM is up: await_startup fails until it is
  for _ in $(seq 1 90); do
    if ctl "$n" await_startup --timeout 60 >/dev/null 2>&1 && port_open "$n"; then return 0; fi
    sleep 1
  done
  log "$(name "$n") did not start; its log:"
  tail -n 30 "$DIR/l$n"/*.log >&2 2>/dev/null || true
  exit 1
}

members_running() {
  # asked of the first node that answers: node 1 may be the one that is down
  for n in "${NODES[@]}"; do
    if running "$n"; then ctl "$n" eval 'length(rabbit_nodes:all_running()).' 2>/dev/null | tr -dc 0-9; return; fi
  done
}

joined() { ctl "$1" cluster_status --formatter json 2>/dev/null | grep -q "\"$(name 1)\""; }

cmd_start() {
  require
  prepare_dir
  for n in "${NODES[@]}"; do launch "$n"; done
  for n in "${NODES[@]}"; do await_node "$n"; done
  for n in 2 3; do
    if ! joined "$n"; then
      log "joining $(name "$n") to $(name 1)"
      ctl "$n" stop_app >/dev/null 2>&1
      ctl "$n" reset >/dev/null 2>&1
      ctl "$n" join_cluster "$(name 1)" >/dev/null 2>&1
      ctl "$n" start_app >/dev/null 2>&1
    fi
  done
  for _ in $(seq 1 60); do
    [ "$(members_running)" = 3 ] && { log "three nodes running: $(cmd_urls)"; return 0; }
    sleep 1
  done
  log "the cluster did not report three running nodes"; cmd_status || true; exit 1
}

cmd_stop() {
  for n in "${NODES[@]}"; do
    if running "$n"; then log "stopping $(name "$n")"; ctl "$n" stop >/dev/null 2>&1 || true; fi
    local pid; pid=$(pid_of "$n" || true)
    if [ -n "$pid" ]; then
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  # only the directory this script made (it holds r1.conf): never an arbitrary path
  if [ "${STOKCERDAS_CLUSTER_KEEP:-}" != 1 ] && [ -f "$DIR/r1.conf" ]; then rm -rf "$DIR"; fi
}

cmd_status() {
  local ok=0
  for n in "${NODES[@]}"; do
    if running "$n"; then
      echo "$(name "$n") 127.0.0.1:$(port "$n") running pid=$(pid_of "$n" || echo '?')"
    else
      echo "$(name "$n") 127.0.0.1:$(port "$n") down"; ok=1
    fi
  done
  local m; m=$(members_running || true)
  echo "running cluster members: ${m:-?}"
  [ "$ok" = 0 ] && [ "$m" = 3 ]
}

cmd_urls() {
  local urls=()
  for n in "${NODES[@]}"; do urls+=("amqp://guest:guest@127.0.0.1:$(port "$n")"); done
  (IFS=,; echo "${urls[*]}")
}

node_arg() {
  case "${1:-}" in 1|2|3) ;; *) log "node must be 1, 2 or 3"; exit 2 ;; esac
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  urls) cmd_urls ;;
  pid) node_arg "${2:-}"; pid_of "$2" ;;
  kill)
    node_arg "${2:-}"
    pid=$(pid_of "$2") || { log "$(name "$2") is not running"; exit 1; }
    kill -9 "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ;;
  stop-node) node_arg "${2:-}"; ctl "$2" stop ;;
  revive) node_arg "${2:-}"; launch "$2"; await_node "$2" ;;
  stop-app) node_arg "${2:-}"; ctl "$2" stop_app ;;
  start-app) node_arg "${2:-}"; ctl "$2" start_app; ctl "$2" await_startup --timeout 60 ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
