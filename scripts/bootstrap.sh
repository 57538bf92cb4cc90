# Sourced by the other scripts: makes Bun 1.4.4 available on PATH, installing it from npm into
# .tools/ (no root needed) when it is missing or another version, then installs the project's
# packages from the frozen lockfile. Needs only Node.js and npm.
BUN_VERSION=1.4.4
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v bun >/dev/null 2>&1 || [ "$(bun --version 2>/dev/null)" != "$BUN_VERSION" ]; then
  if [ ! -x "$ROOT/.tools/node_modules/.bin/bun" ] || [ "$("$ROOT/.tools/node_modules/.bin/bun" --version)" != "$BUN_VERSION" ]; then
    echo "bootstrap: installing bun@$BUN_VERSION from npm into .tools/" >&2
    npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" "bun@$BUN_VERSION" >&2
  fi
  export PATH="$ROOT/.tools/node_modules/.bin:$PATH"
fi
(cd "$ROOT" && bun install --frozen-lockfile >&2)
