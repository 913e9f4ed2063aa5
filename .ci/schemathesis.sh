#!/usr/bin/env bash
# Fuzz the served API against its own OpenAPI schema (every operation, as HR with a
# token) on PostgreSQL behind gunicorn, with valid and invalid data (--mode all: the
# negative cases are what a broken integration sends); fail on any server error or any
# response that does not match the schema.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BASE="${CI_PG_BASE:-postgres://postgres@127.0.0.1:5432}"
DB=techleads_schemathesis
PORT="${SCHEMATHESIS_PORT:-8733}"
export DATABASE_URL="$PG_BASE/$DB" DEBUG=0 ALLOWED_HOSTS=127.0.0.1 \
  SECRET_KEY="schemathesis-only-$(date +%s)-not-a-real-secret-key-000000" \
  SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
  LOG_LEVEL=ERROR
unset REDIS_URL

psql "$PG_BASE/postgres" -qc "DROP DATABASE IF EXISTS $DB" -qc "CREATE DATABASE $DB" >/dev/null
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py seed_demo --password "schemathesis-$(date +%s)" >/dev/null
TOKEN=$(.venv/bin/python manage.py shell -c \
  "from rest_framework.authtoken.models import Token; from django.contrib.auth.models import User; print(Token.objects.get_or_create(user=User.objects.get(username='hr'))[0].key)" | tail -1)

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT

.venv/bin/st run "http://127.0.0.1:$PORT/api/schema/" \
  --header "Authorization: Token $TOKEN" \
  --checks not_a_server_error,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --mode all \
  --max-time "${SCHEMATHESIS_MAX_TIME:-180}" \
  --wait-for-schema 30 \
  --seed 20261125 \
  --no-color
