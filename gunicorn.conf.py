"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py backstory.wsgi`.

Each value can be overridden by the environment (GUNICORN_WORKERS, PORT, …) so one file serves
a small VM and a bigger one.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Rendering is CPU-bound Python: one sync worker per core, plus one to cover a worker that is
# waiting on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Nginx in front buffers slow clients, so sync workers never wait on a phone's network.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
# A search query may be long (the site answers 5,000-character queries); the default 4094 bytes
# would refuse it. 8190 is gunicorn's maximum; nginx's large_client_header_buffers match it.
limit_request_line = 8190
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
preload_app = True

# LOG_FORMAT=json: gunicorn's own lines (start-up, worker restarts, the access log) are one JSON
# object a line too, like the application's (backstory/settings.py LOGGING).
if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "error_console": {"class": "logging.StreamHandler", "formatter": "json"},
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
