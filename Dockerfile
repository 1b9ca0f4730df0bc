# danvan: one image, the command `danvan` (default: `danvan run`).
#
#   docker compose up -d                  # see docker-compose.yml and docs/operating.md
#   docker build -t danvan . && docker run --env-file .env -v danvan-data:/data danvan
#
# Inside the image:
#   /app/flows             the bundled flows (docker-compose.yml mounts the host's ./flows here)
#   /app/locales           translations, compiled (.po -> .mo) while building
#   /config/danvan.yaml    the sample commune (docker-compose.yml mounts the host's file here)
#   /data/danvan.db        the database, on a volume
#
# No HEALTHCHECK: in polling mode the bot has no HTTP endpoint to ask, and a process that dies
# stops the container, which `restart: unless-stopped` brings back.

# --- the translations folder, which may be absent from a fresh checkout (git keeps no empty
# folder): copied when it exists, else left empty, so the final stage always has one to copy.
FROM python:3.11-slim AS files
COPY . /context
RUN mkdir -p /files/locales \
    && if [ -d /context/locales ]; then cp -R /context/locales/. /files/locales/; fi

# --- the image
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# sqlite3: the command line, for backups and queries with `docker compose exec`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends sqlite3 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 10001 danvan \
    && useradd --uid 10001 --gid danvan --create-home --shell /usr/sbin/nologin danvan \
    && mkdir -p /data /config \
    && chown danvan:danvan /data

# The package and its dependencies (no dev extras), at the versions pinned in constraints.txt
# (`make constraints` regenerates it), so that every build installs the same ones. README.md is
# the package's readme in pyproject.toml, so the build needs it.
COPY pyproject.toml README.md constraints.txt /src/
COPY bot /src/bot
RUN pip install -c /src/constraints.txt /src \
    && rm -rf /src

# The defaults: flows, translations and the sample commune. (From /app on, `import bot` can only
# find the installed package.)
WORKDIR /app
COPY flows /app/flows
COPY --from=files /files/locales /app/locales
COPY danvan.yaml /config/danvan.yaml

# The bot finds its translations in the folder `locales` next to the `bot` package
# (bot/i18n/catalogs.py, bot/flows/translations.py); installed, that is site-packages/locales,
# so link it to /app/locales. Then compile every catalog (the bot reads .mo files), and check
# that the bot finds the folder and that the bundled flows and the sample commune are sound.
RUN mkdir -p /app/locales \
    && site="$(python -c 'import pathlib, bot; print(pathlib.Path(bot.__file__).resolve().parents[1])')" \
    && ln -s /app/locales "$site/locales" \
    && python -m bot.i18n.maintain compile \
    && python -c 'from bot.i18n.catalogs import LOCALES as a; from bot.flows.translations import LOCALES as b; assert a.is_dir() and b.is_dir(), (a, b)' \
    && danvan flows lint /app/flows --config /config/danvan.yaml

ENV DANVAN_DB=/data/danvan.db \
    DANVAN_FLOWS=/app/flows \
    DANVAN_CONFIG=/config/danvan.yaml

VOLUME ["/data"]
USER danvan

# Webhook mode only (`run --webhook-url URL --port 8443`); polling opens no port.
EXPOSE 8443

# `danvan run` stops cleanly on SIGTERM: it finishes the messages under way and closes the
# database.
STOPSIGNAL SIGTERM
ENTRYPOINT ["danvan"]
CMD ["run"]
