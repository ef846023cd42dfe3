#!/usr/bin/env bash
# Entry point for `npm run test:vscode`: set up the toolchain (idempotent; fast when cached), then run the
# real-VS-Code tests one at a time (each starts its own code-server + chromium; 2-core machines can't run two).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/vscode/setup.sh
echo "[vscode-tests] node --import tsx --test --test-concurrency=1 $* test/vscode/*.test.ts"
exec node --import tsx --test --test-concurrency=1 "$@" test/vscode/*.test.ts
