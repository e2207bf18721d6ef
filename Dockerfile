# The RCM application image: web (gunicorn), Celery worker and beat all run from it.
# See docs/DEPLOYMENT.md. Runtime dependencies only, pinned in requirements.txt.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=rcm.settings \
    RCM_VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/files \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

RUN groupadd --system --gid 10001 rcm \
    && useradd --system --uid 10001 --gid rcm --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin rcm

COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code stays owned by root (read-only for the app user); only /app/var is writable.
COPY . .

# collectstatic needs no database or Redis, but settings start the embedded servers when the
# URLs are missing: give it dummy ones for this step only (nothing is baked into the image).
# STATIC_ROOT is outside /app/var so that a volume on /app/var never hides newer assets.
RUN DATABASE_URL=postgres://x@localhost/x \
    REDIS_URL=redis://localhost:6379/0 \
    DJANGO_SECRET_KEY=build \
    python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /app/var/files \
    && chown -R rcm:rcm /app/var

USER rcm
VOLUME ["/app/var"]
EXPOSE 8000

# /health/ answers 200 when the database and Redis answer; urlopen raises on any other status.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=8)" || exit 1

CMD ["gunicorn", "rcm.wsgi:application", "--config", "python:rcm.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "3"]
