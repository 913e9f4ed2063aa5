"""Liveness and readiness probes for load balancers and orchestrators.

`/healthz` answers without touching the database or the broker: the process serves
requests. `/readyz` checks what a request needs: the database (`SELECT 1`) and, when
REDIS_URL is set, the broker (a Redis PING with a short timeout). 200 when every check is
"ok"; 503 naming the failing check ("unavailable"). Without REDIS_URL Celery runs eagerly
and there is no broker to check: "broker": "not configured" (still a 200).

Both are anonymous and cheap: plain Django views, no session, no authentication.
"""

import redis
from django.conf import settings
from django.db import Error, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK = "ok"
UNAVAILABLE = "unavailable"
NOT_CONFIGURED = "not configured"


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        return UNAVAILABLE
    return OK


def broker_check() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    timeout = getattr(settings, "BROKER_TIMEOUT", 2)
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return UNAVAILABLE
    finally:
        client.close()
    return OK


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    checks = {"database": database_check(), "broker": broker_check()}
    ready = all(value in (OK, NOT_CONFIGURED) for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else UNAVAILABLE, "checks": checks}, status=200 if ready else 503
    )
