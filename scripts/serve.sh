#!/usr/bin/env bash
# `make serve`: the portal with the production settings (DEBUG=0) on the configured database
# (DATABASE_URL; SQLite under var/ when unset), static files collected for WhiteNoise, the
# task worker (db_worker) beside gunicorn. Stops both on Ctrl-C or SIGTERM.
#
# Without ALLOWED_HOSTS this is a local serve on plain HTTP (127.0.0.1): no HTTPS redirect,
# no Secure cookies, no HSTS, e-mails written to var/mail/. With ALLOWED_HOSTS it is
# production behind a TLS proxy, with the settings' secure defaults (README.md).
#
# SECRET_KEY: production gives it (the same on every web machine). A local serve without one
# generates it once into $VAR_DIR/secret_key (mode 600) and reuses it, so sessions survive a
# restart and two local serves of one checkout share it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DEBUG=0
export VAR_DIR=${VAR_DIR:-$PWD/var}
mkdir -p "$VAR_DIR"

if [ -z "${SECRET_KEY:-}" ]; then
  key_file="$VAR_DIR/secret_key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$key_file")
    echo "serve: generated a SECRET_KEY into $key_file"
  fi
  SECRET_KEY=$(cat "$key_file")
  export SECRET_KEY
fi

if [ -z "${ALLOWED_HOSTS:-}" ]; then
  echo "serve: local serve on plain HTTP (set ALLOWED_HOSTS for production behind TLS)"
  export ALLOWED_HOSTS=127.0.0.1,localhost
  export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
  export SECURE_COOKIES=${SECURE_COOKIES:-0}
  export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
  export EMAIL_BACKEND=${EMAIL_BACKEND:-balcao.core.mail.EmlFileBackend}
  export OTP_REQUIRED_FOR_STAFF=${OTP_REQUIRED_FOR_STAFF:-0}
  # A local serve signs its invoices with a key of its own under VAR_DIR (production gives
  # BILLING_PRIVATE_KEY_PATH: the utility's registered key).
  "$PY" manage.py create_signing_key >/dev/null
fi
export TASKS_BACKEND=${TASKS_BACKEND:-database}

if [ "${SERVE_MIGRATE:-1}" = 1 ]; then
  "$PY" manage.py migrate --no-input -v0
fi
"$PY" manage.py collectstatic --no-input -v0

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [ "${SERVE_WORKER:-1}" = 1 ] && [ "$TASKS_BACKEND" = database ]; then
  "$PY" manage.py db_worker --interval "${WORKER_INTERVAL:-1}" &
  pids+=($!)
fi
.venv/bin/gunicorn -c gunicorn.conf.py &
pids+=($!)
# Whichever ends first (gunicorn failing to bind, the worker crashing) ends the serve.
wait -n "${pids[@]}"
