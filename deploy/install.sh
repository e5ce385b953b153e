#!/usr/bin/env bash
# Production install of Matchkey, from a source checkout (the Dockerfile runs this same script):
#
#   sudo deploy/install.sh
#
# 1. builds: TypeScript → dist/ and the dashboard → web/dist (with the dev dependencies, in the checkout);
# 2. copies what runs into the app directory and installs the runtime dependencies only (npm ci --omit=dev);
# 3. creates the unprivileged service user, its data directory (0700) and the configuration directory, with a
#    configuration template and an environment file holding a generated MATCHKEY_SECRET_KEY (both 0600).
# Existing configuration, environment file and data are never overwritten: re-run it to upgrade.
#
# Environment (defaults in brackets): MATCHKEY_APP_DIR [/opt/matchkey], MATCHKEY_DATA_DIR [/var/lib/matchkey],
# MATCHKEY_CONFIG_DIR [/etc/matchkey], MATCHKEY_USER [matchkey], MATCHKEY_NPM_FLAGS [] (e.g. --offline).
set -euo pipefail

SRC="$(cd "$(dirname "$0")/.." && pwd)"
APP="${MATCHKEY_APP_DIR:-/opt/matchkey}"
DATA="${MATCHKEY_DATA_DIR:-/var/lib/matchkey}"
ETC="${MATCHKEY_CONFIG_DIR:-/etc/matchkey}"
RUN_USER="${MATCHKEY_USER:-matchkey}"
read -r -a NPM_FLAGS <<<"${MATCHKEY_NPM_FLAGS:-}"
step() { printf 'matchkey install: %s\n' "$*"; }
random_hex() { node -e "process.stdout.write(require('node:crypto').randomBytes($1).toString('hex'))"; }

# ---- 1. build (needs the dev dependencies: TypeScript, Vite) ----
cd "$SRC"
if [ -d node_modules/typescript ]; then
  step "compiling in $SRC"
  node scripts/compile.mjs
  node web/prepare.mjs
else
  step "installing the build dependencies in $SRC (npm ci; its prepare step compiles and builds the dashboard)"
  npm ci --no-audit --no-fund "${NPM_FLAGS[@]}"
fi

# ---- 2. the runtime, without dev dependencies ----
step "installing into $APP"
mkdir -p "$APP/web" "$APP/scripts"
rm -rf "$APP/dist" "$APP/web/dist"
cp -R package.json package-lock.json bin dist README.md "$APP/"
cp scripts/compile.mjs "$APP/scripts/"
cp web/prepare.mjs "$APP/web/"
if [ -d web/dist ]; then cp -R web/dist "$APP/web/"; fi
(cd "$APP" && npm ci --omit=dev --no-audit --no-fund "${NPM_FLAGS[@]}")
chmod -R go-w "$APP"

# ---- 3. user, data and configuration ----
if ! id -u "$RUN_USER" >/dev/null 2>&1; then
  step "creating the system user $RUN_USER"
  useradd --system --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
fi
RUN_GROUP="$(id -gn "$RUN_USER")"
as_owner() { if [ "$(id -u)" = 0 ]; then chown "$RUN_USER:$RUN_GROUP" "$@"; fi; }

mkdir -p "$DATA" "$ETC"
chmod 0700 "$DATA"
as_owner "$DATA"
chmod 0750 "$ETC"
if [ "$(id -u)" = 0 ]; then chgrp "$RUN_GROUP" "$ETC"; fi

if [ ! -e "$ETC/matchkey.config.json" ]; then
  step "writing a configuration template to $ETC/matchkey.config.json (edit it, then: matchkey check)"
  (umask 077 && sed "s#@DATA_DIR@#$DATA#g" "$SRC/deploy/matchkey.config.example.json" >"$ETC/matchkey.config.json")
fi
if [ ! -e "$ETC/matchkey.env" ]; then
  step "writing $ETC/matchkey.env with a generated MATCHKEY_SECRET_KEY, admin token and ingest key"
  (umask 077 && {
    echo "# Environment of the matchkey service (0600). Tokens referenced as \${NAME} in matchkey.config.json go here."
    echo "MATCHKEY_CONFIG=$ETC/matchkey.config.json"
    echo "MATCHKEY_SECRET_KEY=$(random_hex 32)"
    echo "MATCHKEY_ADMIN_TOKEN=$(random_hex 24)"
    echo "MATCHKEY_INGEST_KEY=$(random_hex 24)"
    echo "# Fill these in (and the destinations in matchkey.config.json), then check the credentials with:"
    echo "#   sudo -u $RUN_USER sh -c 'set -a; . $ETC/matchkey.env; node $APP/bin/matchkey.js check'"
    echo "SHOPIFY_WEBHOOK_SECRET="
    echo "META_ACCESS_TOKEN="
  } >"$ETC/matchkey.env")
fi
chmod 0600 "$ETC/matchkey.config.json" "$ETC/matchkey.env"
as_owner "$ETC/matchkey.config.json" "$ETC/matchkey.env"

step "done: $APP/bin/matchkey.js, running as $RUN_USER, data in $DATA, configuration in $ETC"
