# The bot. Dependencies sit in their own layer so a code change rebuilds in seconds.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# 1. Dependencies only (cached until pyproject.toml changes). Wheels put in docker/wheels/ (e.g. by
#    `pip wheel -w docker/wheels .` on a machine that reaches PyPI) are used instead of the index.
COPY pyproject.toml README.md ./
COPY docker/wheels/ /wheels/
RUN mkdir -p bot sandbox \
 && touch bot/__init__.py sandbox/__init__.py \
 && if ls /wheels/*.whl >/dev/null 2>&1; then echo "--no-index --find-links /wheels" > /etc/pip-offline; fi \
 && pip install $(cat /etc/pip-offline 2>/dev/null) . \
 && pip uninstall -y tutorbot \
 && rm -rf bot sandbox build

# 2. The code, the course and the migrations.
COPY alembic.ini ./
COPY migrations ./migrations
COPY sandbox ./sandbox
COPY bot ./bot
COPY content ./content
RUN pip install $(cat /etc/pip-offline 2>/dev/null) --no-deps -e . \
 && groupadd --gid 10001 tutor \
 && useradd --create-home --uid 10001 --gid 10001 tutor \
 && mkdir -p /app/data \
 && chown tutor:tutor /app/data

USER tutor
VOLUME ["/app/data"]
CMD ["tutorbot", "run"]
