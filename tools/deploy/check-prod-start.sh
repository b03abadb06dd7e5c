#!/usr/bin/env bash
# Proves the Docker runtime stage has all it needs, without Docker: copies what the image gets
# (package.json, package-lock.json, dist/, models/catalog.json) into a temp dir, installs
# production dependencies only (`npm ci --omit=dev`), runs the start:prod command with a temp
# DATA_DIR and MODEL_PATH at test/fixtures/models/tiny-random-zephyr.gguf, waits for /healthz and
# /readyz to answer 200, then stops it with SIGTERM and expects a clean exit.
#
# The command is run as the image's CMD runs it (node as the signalled process, no npm in
# front): npm 11 exits on SIGTERM without forwarding it, which would orphan the server.
#
#   npm run build && bash tools/deploy/check-prod-start.sh      # KEEP_TMP=1 keeps the temp dir
#   NPM="npx -y npm@10.9.4" bash tools/deploy/check-prod-start.sh   # install with the image's npm major
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="$ROOT/test/fixtures/models/tiny-random-zephyr.gguf"
PORT="${PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
TMP="$(mktemp -d -t pocketllm-prod-XXXXXX)"
SERVER_PID=""

cleanup() {
  # The server runs in its own process group: this ends it and nothing else.
  if [ -n "$SERVER_PID" ]; then kill -KILL -- "-$SERVER_PID" 2>/dev/null || true; fi
  if [ "${KEEP_TMP:-0}" != "1" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

[ -f "$ROOT/dist/server/main.js" ] || { echo "dist/server/main.js is missing: run npm run build first." >&2; exit 1; }
[ -f "$MODEL" ] || { echo "missing test model $MODEL" >&2; exit 1; }

step "copy the runtime files to $TMP"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$TMP/"
cp -R "$ROOT/dist" "$TMP/dist"
mkdir -p "$TMP/models" "$TMP/data"
cp "$ROOT/models/catalog.json" "$TMP/models/"

NPM="${NPM:-npm}"
step "$NPM ci --omit=dev"
(cd "$TMP" && $NPM ci --omit=dev --no-audit --no-fund --prefer-offline)
# (typescript may appear: node-llama-cpp depends on it; these are dev-only)
if [ -d "$TMP/node_modules/tap" ] || [ -d "$TMP/node_modules/vite" ] || [ -d "$TMP/node_modules/eslint" ]; then
  echo "dev dependencies were installed: --omit=dev did not take" >&2
  exit 1
fi

cd "$TMP"
START_PROD="$(node -p "require('./package.json').scripts['start:prod']")"
step "start:prod ($START_PROD) on port $PORT"
PORT="$PORT" HOST=127.0.0.1 DATA_DIR="$TMP/data" MODELS_DIR="$TMP/models" MODEL_PATH="$MODEL" \
  PARALLEL=1 THREADS=1 LOG_LEVEL=warn NODE_ENV=production \
  setsid sh -c "exec $START_PROD" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

# Bounded wait: 600 polls of 0.2 s. /readyz needs the database and the model to be loaded.
wait_for() {
  local path="$1" code=""
  for _ in $(seq 1 600); do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited early:" >&2; cat "$TMP/server.log" >&2; exit 1; }
    code="$(node -e "fetch('http://127.0.0.1:$PORT$path').then(r=>{console.log(r.status)},()=>console.log(0))")"
    [ "$code" = "200" ] && { echo "$path -> 200"; return 0; }
    sleep 0.2
  done
  echo "$path never answered 200 (last: $code)" >&2
  cat "$TMP/server.log" >&2
  exit 1
}
wait_for /healthz
wait_for /readyz

step "SIGTERM, as docker stop sends it to the container's main process"
kill -TERM "$SERVER_PID"
status=0
wait "$SERVER_PID" || status=$?
SERVER_PID=""
if [ "$status" -ne 0 ]; then
  echo "the server exited with $status after SIGTERM:" >&2
  cat "$TMP/server.log" >&2
  exit 1
fi
echo "stopped cleanly"
echo "production start check: passed"
