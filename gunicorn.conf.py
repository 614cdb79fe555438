"""gunicorn's settings for `make serve` (scripts/serve.sh) and production.

Sized for 2 cores by default: two processes per core, each with two threads, so that a
request waiting on PostgreSQL, Redis or a slow client does not idle a core. Every value
can be changed from the environment (README.md, "Em produção"); docs/deployment.md has
the measurements behind the defaults.
"""

import os

_cores = os.cpu_count() or 2

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cores))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# Load Django once, before forking: quicker start, memory shared between workers. No
# database connection is opened at import, so none is shared by accident.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (a leak cannot grow for ever); the jitter
# keeps them from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# The application writes one line per request itself (balcao.request: id, user id,
# status, duration); gunicorn's own access log would repeat it with less.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-* are believed only from these addresses (the proxy in front).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "balcao"
control_socket_disable = True  # two serves on one machine (the smoke test) would share it
wsgi_app = "balcao.wsgi:application"
