# The StokCerdas host: `docker compose up` (docker-compose.yml) or see README "Docker".
# The runtime stage compiles the TypeScript into dist/ with esbuild (bin/build.mjs, about a second), as
# `npm ci` does in a clone: the host starts from plain JavaScript. tsx (a runtime dependency) stays for
# a plugin folder or config mounted over the bundled ones (docs/compiled-build.md).
# No `# syntax=` line: the classic builder and BuildKit both build this file without fetching a frontend.
#
# The base is the official Node image of NODE_VERSION. To pin it by digest (reproducible builds; a
# tag moves with every Node and Debian patch release):
#   docker pull node:24-bookworm-slim
#   docker image inspect --format '{{index .RepoDigests 0}}' node:24-bookworm-slim
#     → node@sha256:<64 hex digits>
#   docker build --build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:<64 hex digits> -t stokcerdas .
# (or write that reference as NODE_IMAGE's default below, and let Dependabot/Renovate move it).
ARG NODE_VERSION=24
ARG NODE_IMAGE=node:${NODE_VERSION}-bookworm-slim

# --- dependencies: production only; compilers here in case a native module has no prebuilt binary
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `npm ci` runs the package's `prepare` (bin/build.mjs), which finds no sources yet here and says so;
# the runtime stage builds once the sources are in
COPY bin/build.mjs ./bin/build.mjs
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# An addon compiled here (better-sqlite3 when no prebuilt binary fits) leaves ~28 MB of objects,
# static libraries and Makefiles beside it: keep each package's build/Release/*.node, which is all
# `bindings` loads, and drop the sources it was built from.
RUN find node_modules -type d -path '*/build/Release' -prune | while read -r release; do \
      find "${release%/Release}" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + ; \
      find "$release" -mindepth 1 -maxdepth 1 ! -name '*.node' -exec rm -rf {} + ; \
    done \
 && rm -rf node_modules/better-sqlite3/build/Release/test_extension.node \
           node_modules/better-sqlite3/deps node_modules/better-sqlite3/src
# typescript (23 MB) arrives as cosmiconfig's optional peer; nothing loads it at run time: the config
# loader uses tsx (config/load.ts), as the plugins do
RUN rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver

# --- runtime: slim, no compilers, no npm cache, non-root
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    STOKCERDAS_HTTP_HOST=0.0.0.0 \
    STOKCERDAS_HTTP_PORT=8080 \
    STOKCERDAS_PLUGINS_STRICT=true
# Strict: a plugin that fails to load or set up stops the start (exit 1, the cause in the log)
# instead of a host that is "ready" without it. `-e STOKCERDAS_PLUGINS_STRICT=false` starts
# without the broken plugin; it then shows in /readyz, /stats, stokcerdas_plugins_skipped and the
# ready line.
# Listening on 0.0.0.0 needs a bearer token: the host refuses to start without STOKCERDAS_HTTP_TOKEN
# (STOKCERDAS_CONFIG_INVALID). Set it at run time, never here.
WORKDIR /app
# the code is root's and read-only to the host; only /app/data is the node user's to write
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json stokcerdas.config.ts ./
COPY bin ./bin
COPY errors ./errors
COPY config ./config
COPY runtime ./runtime
# the bundled plugins; mount your own folder over /app/plugins and your config over
# /app/stokcerdas.config.ts (both read at start)
COPY plugins ./plugins
# dist/: the runtime, the bundled plugins and the config compiled; root's and read-only like the rest
RUN node bin/build.mjs
# plugin state (ml-forecasting's sqlite store defaults to data/ml-forecasting.sqlite under the working
# directory): a volume, so it outlives the container; mount a named volume or a host folder here
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
# `check` imports the compiled runtime and every bundled plugin once, also on a worker thread, and
# fails the build if one is broken
RUN STOKCERDAS_HTTP_HOST=127.0.0.1 node bin/stokcerdas.mjs check >/dev/null
EXPOSE 8080
# node itself: the slim image has no curl. Only /healthz (open without the token).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.STOKCERDAS_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec form: node itself is PID 1, no shell in between, so `docker stop`'s SIGTERM reaches the host and it
# drains in-flight deliveries (up to shutdown.drainTimeoutMs, 30 s: give `docker stop -t` / stop_grace_period more)
CMD ["node", "bin/stokcerdas.mjs", "start"]
