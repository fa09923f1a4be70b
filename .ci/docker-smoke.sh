#!/usr/bin/env bash
# Builds the Dockerfile as users get it and runs the image against the test broker
# (.ci/docker-check.mjs says what is checked). Needs root where Docker is not running yet: installs
# docker.io, debootstrap and prometheus (promtool) from Debian, starts dockerd without iptables or a
# bridge (the container shares the host's network), and makes a stand-in for the official Node base
# when Docker Hub cannot be reached (.ci/docker-base.sh; kept between runs on the same machine).
# Where no engine can run, it says so and falls back to .ci/production-start.mjs (the same checks
# outside a container), unless the caller already ran that (STOKCERDAS_IMITATION_PASSED=1).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
mark=$SECONDS
step() { echo "== docker: $* [+$((SECONDS - mark)) s]"; mark=$SECONDS; }
elapsed() { echo $((SECONDS - mark)); }

no_engine() {
  echo "== docker: NO DOCKER ENGINE: $1"
  if [ "${STOKCERDAS_IMITATION_PASSED:-}" = 1 ]; then
    echo "== docker: the image was not built; .ci/production-start.mjs (above) checked its install and start outside a container"
  else
    echo "== docker: falling back to .ci/production-start.mjs (the Dockerfile's install and start outside a container)"
    node .ci/production-start.mjs
  fi
  exit 0
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ "${apt_updated:-}" != 1 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- tools
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    command -v dockerd >/dev/null 2>&1 || no_engine "dockerd is not installed and this is not a root Debian machine to install docker.io on"
  else
    apt_install "${missing[@]}" || no_engine "apt-get install ${missing[*]} failed"
  fi
  step "installed ${missing[*]}"
fi

# --- the engine: the running one, else dockerd as CI can run it here
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || no_engine "no Docker engine answers and only root can start dockerd"
  log="${DOCKERD_LOG:-/var/log/stokcerdas-ci-dockerd.log}"
  echo "== docker: starting dockerd --iptables=false --ip-forward=false --bridge=none (log: $log)"
  setsid dockerd --iptables=false --ip-forward=false --bridge=none >"$log" 2>&1 < /dev/null &
  dockerd_pid=$!
  for _ in $(seq 1 60); do
    if [ -S /var/run/docker.sock ] && docker info >/dev/null 2>&1; then break; fi
    kill -0 "$dockerd_pid" 2>/dev/null || break # it gave up (no kernel support, another daemon's pid file, …)
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { tail -n 20 "$log"; no_engine "dockerd did not answer (log above)"; }
  step "dockerd up ($(docker info -f '{{.ServerVersion}}, {{.Driver}}'))"
fi

# --- the base: the official image if it is here or can be pulled, else the stand-in
node_major="$(node -p 'process.versions.node.split(".")[0]')"
base="node:${node_major}-bookworm-slim"
if ! docker image inspect "$base" >/dev/null 2>&1 && ! timeout 20 docker pull -q "$base" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null 2>&1 || no_engine "$base cannot be pulled and debootstrap is missing for a stand-in"
  bash .ci/docker-base.sh "$base"
fi
step "base $base ready"

# --- the image: the Dockerfile unchanged, the classic builder, the machine's Node as NODE_VERSION
image="stokcerdas:ci"
build_log="$(mktemp /tmp/stokcerdas-docker-build.XXXXXX)"
if ! DOCKER_BUILDKIT=0 docker build --network host --build-arg "NODE_VERSION=$node_major" -t "$image" . >"$build_log" 2>&1; then
  tail -n 40 "$build_log"
  echo "docker smoke FAILED: docker build (log above)"
  exit 1
fi
build_s=$(elapsed)
size_mb="$(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f", $1/1e6}')"
base_mb="$(docker image inspect -f '{{.Size}}' "$base" | awk '{printf "%.0f", $1/1e6}')"
step "built $image in ${build_s} s: ${size_mb} MB (base $base ${base_mb} MB, the project's layers $((size_mb - base_mb)) MB)"
rm -f "$build_log"

# --- run it and check it
node .ci/docker-check.mjs "$image"
step "image checked"
# the classic builder keeps each build's deps stage as a dangling image, the next build's cache (the
# better-sqlite3 compile): kept for a week, so the disk does not fill over many runs
docker image prune -f --filter "until=168h" >/dev/null 2>&1 || true
echo "== docker: done in $((SECONDS - started)) s"
