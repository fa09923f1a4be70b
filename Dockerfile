# syntax=docker/dockerfile:1
# The StokCerdas host: `docker compose up` (docker-compose.yml) or see README "Docker".
# No build step: tsx (a runtime dependency) loads the TypeScript at start, as `npm start` does.
ARG NODE_VERSION=24

# --- dependencies: production only; compilers here in case a native module has no prebuilt binary
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime: slim, no compilers, no npm cache, non-root
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    STOKCERDAS_HTTP_HOST=0.0.0.0 \
    STOKCERDAS_HTTP_PORT=8080
# Listening on 0.0.0.0 needs a bearer token: the host refuses to start without STOKCERDAS_HTTP_TOKEN
# (STOKCERDAS_CONFIG_INVALID). Set it at run time, never here.
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json tsconfig.json stokcerdas.config.ts ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node errors ./errors
COPY --chown=node:node config ./config
COPY --chown=node:node runtime ./runtime
# the bundled plugins; mount your own folder over /app/plugins and your config over
# /app/stokcerdas.config.ts (both read at start)
COPY --chown=node:node plugins ./plugins
USER node
EXPOSE 8080
# node itself: the slim image has no curl. Only /healthz (open without the token).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.STOKCERDAS_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec form: node itself is PID 1, no shell in between, so `docker stop`'s SIGTERM reaches the host and it
# drains in-flight deliveries (up to shutdown.drainTimeoutMs, 30 s: give `docker stop -t` / stop_grace_period more)
CMD ["node", "--import", "tsx", "runtime/cli.ts", "start"]
