# The bot. Dependencies sit in their own layer so a code change rebuilds in seconds.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# 1. Dependencies only (cached until pyproject.toml changes).
COPY pyproject.toml README.md ./
RUN mkdir -p bot sandbox \
 && touch bot/__init__.py sandbox/__init__.py \
 && pip install . \
 && pip uninstall -y tutorbot \
 && rm -rf bot sandbox build

# 2. The code, the course and the migrations.
COPY alembic.ini ./
COPY migrations ./migrations
COPY sandbox ./sandbox
COPY bot ./bot
COPY content ./content
RUN pip install --no-deps -e . \
 && useradd --create-home --uid 10001 tutor \
 && mkdir -p /app/data \
 && chown tutor:tutor /app/data

USER tutor
VOLUME ["/app/data"]
CMD ["tutorbot", "run"]
