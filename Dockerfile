# KPI Portal web image: gunicorn behind a load balancer, static files served by whitenoise.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 KPI_VAR_DIR=/app/var
# WeasyPrint needs pango; the Thai fonts themselves are vendored under static/fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libthai0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY kpi_portal kpi_portal
COPY indicators indicators
COPY reports reports
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && useradd --system --home /app kpi && mkdir -p var/media && chown -R kpi var
USER kpi

EXPOSE 8000
CMD ["gunicorn", "kpi_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--access-logfile", "-"]
