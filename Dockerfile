# syntax=docker/dockerfile:1
# PocketLLM Portal: one container for the portal (web + API + inference); Redis runs beside it
# (docker-compose.yml). The image never downloads a model: mount one into /models, or ask for
# the default explicitly:  docker compose run --rm portal node dist/scripts/model-pull.js

# Pinned base: Node 20 on Debian 12 (glibc), the platform node-llama-cpp ships CPU binaries for.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: compile the server (tsc) and the web app (vite) with all dependencies ----------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Toolchain only for native modules that have no prebuilt binary for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3=3.11.* make=4.3-* g++=4:12.* \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY shared ./shared
COPY scripts ./scripts
COPY web ./web
COPY models/catalog.json ./models/catalog.json
RUN npm run build

# ---- prod-deps: production dependencies only, native modules built for the runtime base ----
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3=3.11.* make=4.3-* g++=4:12.* \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# CPU-only by design: drop node-llama-cpp's CUDA and Vulkan builds (~600 MB we never load).
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@node-llama-cpp/*-cuda* node_modules/@node-llama-cpp/*-vulkan \
 && npm cache clean --force

# ---- runtime: slim, non-root, what `npm run start:prod` needs and nothing else ----------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    MODELS_DIR=/models
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY models/catalog.json models/README.md ./models/
# The built-in `node` user (uid 1000) owns only the two data volumes; the code stays read-only.
RUN mkdir -p /data /models && chown node:node /data /models
USER node
VOLUME ["/data", "/models"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exactly `npm run start:prod` (node dist/server/main.js), but without npm in between: npm 11
# exits on SIGTERM without passing it on, so `docker stop` would kill the server mid-request.
# Run directly, node gets SIGTERM, drains and exits (compose stop_grace_period covers it).
CMD ["node", "dist/server/main.js"]
