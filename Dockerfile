# One image for web, worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/vendor_assets.js scripts/
RUN node scripts/vendor_assets.js

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends procps && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY qhprojects qhprojects
COPY apps apps
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/static/vendor static/vendor
RUN SECRET_KEY=build ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "qhprojects.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
