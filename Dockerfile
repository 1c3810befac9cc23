# Back Story: one image for the site (gunicorn) and the task workers (db_worker or rqworker).
#   docker build -t backstory .
# See compose.yaml for the site with PostgreSQL, Redis and an RQ worker, and docs/deploying.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    GUNICORN_BIND=0.0.0.0:8000 \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/app/staticfiles \
    CONTENT_VERSION_FILE=/data/content-version

WORKDIR /app

# Every runtime dependency ships as a wheel (psycopg's binary build, Pillow, nh3): no compiler.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Hashed, pre-compressed static files are part of the image; the key is only for this step.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin backstory \
    && mkdir -p /data/media \
    && chown -R backstory:backstory /data

USER 10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "backstory.wsgi"]
