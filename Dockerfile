# Production image for Anhörigstöd: gunicorn serves anhorigstod.wsgi:application on
# port 8000. The same image runs the Celery worker and beat (see docker-compose.yml).
#
# Migrations are not run here or at container start: run
#   python manage.py migrate --noinput
# once per release before the new web containers take traffic (docker-compose.yml
# does it in its one-shot `migrate` service).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# WeasyPrint dlopens GObject, Pango, PangoFT2, HarfBuzz (and its subsetter) and
# fontconfig when it is imported; DejaVu gives the PDFs a font with å, ä and ö.
# gettext compiles the translation catalogue below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libglib2.0-0 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer: production dependencies only (no [dev]),
# pinned by constraints.txt. Only pyproject.toml is copied here, so this installs the
# dependencies and an empty project distribution; the code itself runs from /app
# (PYTHONPATH below), because settings find templates/, static/ and locale/ next to
# the anhorigstod package and those are not package data.
COPY pyproject.toml constraints.txt ./
RUN pip install -c constraints.txt .

COPY . .
ENV PYTHONPATH=/app

# Static files and translations are built into the image, owned by root and
# read-only for the app user. The secret key here is a build-time dummy that exists
# only for this RUN line (settings refuse to load without one when DEBUG is off).
RUN DJANGO_SECRET_KEY=build-only-dummy-not-used-at-runtime python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=build-only-dummy-not-used-at-runtime python manage.py compilemessages

# Writable places: private files (reports, extracts; mount a volume shared by web
# and worker) and the Celery beat schedule. Created here so that a fresh named
# volume mounted on them inherits the app user's ownership.
RUN mkdir -p /data/private /data/beat && chown -R app:app /data
ENV PRIVATE_STORAGE_ROOT=/data/private

USER app

# gunicorn only believes X-Forwarded-Proto (and so wsgi.url_scheme) from these
# addresses. The default trusts only the container itself; behind a TLS-terminating
# proxy set FORWARDED_ALLOW_IPS to the proxy's address or network (for example
# 10.0.0.0/8). WEB_CONCURRENCY sets the number of gunicorn worker processes.
ENV FORWARDED_ALLOW_IPS=127.0.0.1,::1 \
    WEB_CONCURRENCY=3

EXPOSE 8000

# /healthz/ checks the database too. It is exempt from the SSL redirect; the Host
# header is the first of DJANGO_ALLOWED_HOSTS so that host validation passes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h not in ('', '*') else 'localhost'; r = u.urlopen(u.Request('http://127.0.0.1:8000/healthz/', headers={'Host': h}), timeout=5); raise SystemExit(0 if r.status == 200 and r.read() == b'ok' else 1)"]

CMD ["sh", "-c", "exec gunicorn anhorigstod.wsgi:application --bind 0.0.0.0:8000 --forwarded-allow-ips \"$FORWARDED_ALLOW_IPS\" --workers \"$WEB_CONCURRENCY\" --access-logfile -"]
