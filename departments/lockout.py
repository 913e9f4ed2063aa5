"""Login protection (README, Security and reliability), on django-axes.

After LOGIN_FAILURE_LIMIT failed logins for one username from one client address within
LOGIN_LOCKOUT_MINUTES, that pair is refused, the right password included, until the
period has passed; a success resets the count. Axes counts and refuses; this module says
where a request comes from, how a refusal is answered on each login (the token endpoint,
the dashboard's, the admin's) and how HR clears a lockout.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from .services import audit_entry_create, require_hr

LOCKOUT_MESSAGE = (
    "Too many failed login attempts for this username from your address: logins are "
    "refused for {minutes} minutes. Try again later, or ask HR to clear the lockout."
)


def lockout_message() -> str:
    return LOCKOUT_MESSAGE.format(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with USE_X_FORWARDED_FOR (behind a proxy that
    appends the address it was connected from) the last X-Forwarded-For entry. Without the
    setting the header is ignored: a client could otherwise pick a fresh address per try."""
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer to a refused login (AXES_LOCKOUT_CALLABLE), status 429: JSON
    {"detail"} under /api/, otherwise the login page it came from with the message."""
    message = lockout_message()
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    if request.path.startswith(reverse("admin:index")):
        form = _form_with_error(AdminAuthenticationForm, request, username, message)
        context = {
            **admin_site.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            "form": form,
            "next": request.POST.get("next", reverse("admin:index")),
        }
        template = "admin/login.html"
    else:
        form = _form_with_error(AuthenticationForm, request, username, message)
        context = {"form": form, "next": request.POST.get("next", "/")}
        template = "registration/login.html"
    response = TemplateResponse(request, template, context, status=status)
    return response.render()


def _form_with_error(form_class, request, username: str, message: str):
    """A login form showing `message` as its error, without authenticating again."""
    form = form_class(request, data={"username": username})
    form.cleaned_data = {}
    form._errors = ErrorDict()
    form.add_error(None, message)
    return form


def login_lockout_reset(*, actor, attempts) -> int:
    """HR clears lockouts: deletes the failed-login records (axes' AccessAttempt) and
    writes one audit entry for each. Returns how many were cleared."""
    require_hr(actor, "clear login lockouts")
    cleared = 0
    with transaction.atomic():
        for attempt in list(attempts):
            audit_entry_create(
                actor=actor,
                verb="login_lockout_reset",
                target=attempt,
                before={
                    "username": attempt.username,
                    "ip_address": attempt.ip_address,
                    "failures": attempt.failures_since_start,
                    "last_attempt": attempt.attempt_time.isoformat(),
                },
            )
            attempt.delete()
            cleared += 1
    return cleared


class LoginProtectionBackend(AxesStandaloneBackend):
    """Axes' standalone backend (first in AUTHENTICATION_BACKENDS), for logins that come
    with a request: every HTTP login does (the dashboard's, the admin's, the token
    endpoint's). A call without one (code in a shell or a command, Django's test client)
    is left to the next backend instead of failing with a ValueError."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
