# One image for every GradeGrad process: web (gunicorn), workers, beat and the migration step.

# The exercise page's editor, bundled from the locked npm packages, and the math font (see web/frontend/).
FROM node:20-bookworm-slim AS editor
WORKDIR /build/web/frontend
COPY web/frontend/package.json web/frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/frontend/src ./src
RUN npm run build

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 OPENBLAS_NUM_THREADS=1 \
    GRADEGRAD_INSTANCE_PATH=/app/instance
WORKDIR /app

COPY pyproject.toml README.md ./
COPY grader ./grader
COPY exercises ./exercises
COPY web ./web
COPY --from=editor /build/web/static/editor ./web/static/editor
COPY --from=editor /build/web/static/fonts ./web/static/fonts
COPY worker ./worker
COPY client ./client
RUN pip install ./client . && useradd --system --uid 10001 --home-dir /app gradegrad \
    && mkdir -p /app/instance && chown gradegrad /app/instance

# The web runs as an unprivileged user; the worker's service runs as root inside its container
# because the sandbox gives every submission a uid of its own (see docker-compose.yml).
USER gradegrad
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", "--keep-alive", "5", "--no-control-socket", "web.wsgi:app"]
