#!/usr/bin/env bash
# Makes a stand-in for the official `node:<major>-bookworm-slim` image when Docker Hub cannot be reached:
# Debian bookworm (minbase, from Debian's archive) with the machine's own Node laid out as the official
# image lays it out (/usr/local/bin/node, npm under /usr/local/lib/node_modules, headers under
# /usr/local/include/node, user `node` uid/gid 1000). npm in it trusts the registry through the machine's
# CA bundle and builds native addons against the local headers (no download of headers or prebuilt
# binaries). Tagged `node:<major>-bookworm-slim` so the Dockerfile's NODE_VERSION argument picks it.
# Usage: .ci/docker-base.sh TAG   (does nothing when TAG already exists)
set -euo pipefail
tag="${1:?usage: docker-base.sh TAG}"

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "== docker base: $tag exists ($(docker image inspect -f '{{index .Config.Labels "org.stokcerdas.stand-in"}}' "$tag" | sed 's/^$/pulled image/;s/^1$/stand-in made earlier/'))"
  exit 0
fi

started=$SECONDS
node_bin="$(readlink -f "$(command -v node)")"
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" # …/node_modules/npm
node_prefix="$(dirname "$(dirname "$node_bin")")"
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -x "$node_bin" ] && [ -f "$npm_dir/package.json" ] || { echo "docker base: no node/npm on this machine"; exit 1; }
[ -f "$ca_bundle" ] || { echo "docker base: no CA bundle at $ca_bundle"; exit 1; }

work="$(mktemp -d /var/tmp/stokcerdas-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

echo "== docker base: debootstrap --variant=minbase bookworm ($mirror)"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log"; exit 1; }

echo "== docker base: node $("$node_bin" --version) and npm $(node -p "require('$npm_dir/package.json').version") into /usr/local"
install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/include"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
for headers in "$node_prefix/include/node" /usr/include/node; do
  if [ -f "$headers/node.h" ]; then cp -a "$headers" "$rootfs/usr/local/include/node"; break; fi
done
[ -f "$rootfs/usr/local/include/node/node.h" ] || { echo "docker base: Node's headers not found (node.h)"; exit 1; }

mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/local/etc"
cp "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr/local\nupdate-notifier=false\n' >"$rootfs/usr/local/etc/npmrc"

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$rootfs" /usr/local/bin/node --version >/dev/null
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb

echo "== docker base: docker import → $tag"
tar -C "$rootfs" -c . | docker import \
  -c 'CMD ["node"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'LABEL org.stokcerdas.stand-in=1' - "$tag" >/dev/null
echo "== docker base: $tag made in $((SECONDS - started)) s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
