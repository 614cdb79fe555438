#!/usr/bin/env bash
# Smoke test of production serving (issue 14; CI runs it after the PostgreSQL tests):
# two `make serve` on two ports of loopback, one PostgreSQL database and one Redis between
# them, as two web machines behind a proxy. scripts/smoke_check.py then signs in on one,
# is still signed in on the other, submits a reading whose e-mail the task worker sends,
# fetches the CSS and checks the security headers. Bounded in time; stops what it started.
#
# Environment: SMOKE_DATABASE (balcao_smoke, dropped and created), SMOKE_REDIS_URL
# (redis://127.0.0.1:6379/3), SMOKE_PORTS ("8761 8762").
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
database=${SMOKE_DATABASE:-balcao_smoke}
ports=(${SMOKE_PORTS:-8761 8762})
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$database"
export REDIS_URL=${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/3}
export VAR_DIR
VAR_DIR=$(mktemp -d /tmp/balcao-smoke.XXXXXX)
export EMAIL_FILE_PATH="$VAR_DIR/mail" SITE_URL="http://127.0.0.1:${ports[0]}"
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2} GUNICORN_THREADS=${GUNICORN_THREADS:-2}
unset ALLOWED_HOSTS SECRET_KEY  # a local serve: plain HTTP, the key generated into VAR_DIR

pgids=()
cleanup() {
  for pgid in "${pgids[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do  # gunicorn finishes its requests (graceful_timeout), then exits
    alive=0
    for pgid in "${pgids[@]}"; do kill -0 -- "-$pgid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pgid in "${pgids[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$VAR_DIR"
}
trap cleanup EXIT

redis-cli -u "$REDIS_URL" flushdb >/dev/null
dropdb -h 127.0.0.1 -U postgres --if-exists "$database"
createdb -h 127.0.0.1 -U postgres "$database"
DEBUG=1 "$PY" manage.py migrate --no-input -v0
DEBUG=1 "$PY" manage.py create_signing_key >/dev/null  # the demo's invoices are signed
DEBUG=1 "$PY" manage.py seed_demo --customers 20 >/dev/null

wait_healthy() {
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$1/saude" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "smoke: the serve on port $1 did not become healthy"; tail -30 "$VAR_DIR/serve-$1.log"
  return 1
}

# Each serve in its own process group (setsid), so that cleanup ends gunicorn, its workers
# and db_worker together. The second machine runs no migrations and no worker of its own.
PORT=${ports[0]} setsid scripts/serve.sh >"$VAR_DIR/serve-${ports[0]}.log" 2>&1 &
pgids+=($!)
wait_healthy "${ports[0]}"
PORT=${ports[1]} SERVE_MIGRATE=0 SERVE_WORKER=0 setsid scripts/serve.sh \
  >"$VAR_DIR/serve-${ports[1]}.log" 2>&1 &
pgids+=($!)
wait_healthy "${ports[1]}"

timeout 120 "$PY" scripts/smoke_check.py "http://127.0.0.1:${ports[0]}" \
  "http://127.0.0.1:${ports[1]}" "$EMAIL_FILE_PATH" || {
  echo "smoke: FAILED; the serves' logs:"; tail -40 "$VAR_DIR"/serve-*.log; exit 1; }
echo "smoke: OK"
