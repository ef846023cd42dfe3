#!/usr/bin/env bash
# Set up what the node end-to-end tests need beyond npm: tmux, which drives the real interactive Claude Code CLI
# (test/e2e/claude-code-interactive.test.ts). Debian/Ubuntu apt only, and only when missing.
#   CODEX_FUSION_SKIP_APT=1   don't touch apt (without tmux the interactive tests are then skipped, visibly)
set -euo pipefail
log() { printf '[e2e-setup] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

if command -v tmux >/dev/null 2>&1; then
  log "tmux: $(tmux -V)"
  exit 0
fi
if [ "${CODEX_FUSION_SKIP_APT:-}" = "1" ]; then
  log "tmux is missing and CODEX_FUSION_SKIP_APT=1: the interactive Claude Code tests will be skipped"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || die "tmux is missing and there is no apt-get: install tmux yourself"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || die "need root or sudo to apt-get install tmux"
  SUDO="sudo -n"
fi
# One install at a time (parallel jobs on one runner).
exec 9>"${TMPDIR:-/tmp}/codex-fusion-e2e-setup.lock"
flock 9
if ! command -v tmux >/dev/null 2>&1; then
  log "apt: apt-get update"
  $SUDO apt-get update -q
  log "apt: installing tmux"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tmux </dev/null
fi
command -v tmux >/dev/null 2>&1 || die "tmux not found after the apt step"
log "tmux: $(tmux -V)"
