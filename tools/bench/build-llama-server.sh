#!/usr/bin/env bash
# Builds llama.cpp's llama-server from the llama.cpp source that node-llama-cpp bundles
# (node_modules/node-llama-cpp/llama/gitRelease.bundle), so `npm run bench` can compare the
# portal with llama.cpp's own server at the very same llama.cpp commit. Offline; needs cmake and
# a C++ compiler (Debian: apt-get install -y cmake g++). About 15 min on 2 cores.
# Built with -march=native (GGML_NATIVE), as a llama-server user would build it; node-llama-cpp's
# prebuilt binary instead picks the best of its CPU variants at run time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src="$root/bench-results/llama.cpp"
bundle="$root/node_modules/node-llama-cpp/llama/gitRelease.bundle"
[ -f "$bundle" ] || { echo "no $bundle: run npm ci first" >&2; exit 1; }
[ -d "$src/.git" ] || git clone --quiet "$bundle" "$src"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$src" -B "$src/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON \
  -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON
cmake --build "$src/build" --target llama-server -j "$(nproc)"
echo "built $src/build/bin/llama-server"
