"""Sessions end after SESSION_IDLE_MINUTES without a request (README, Security and
reliability).

A session lives SESSION_COOKIE_AGE (the idle time) from its last save, in the database
and in the cookie. Saving it on every request (SESSION_SAVE_EVERY_REQUEST) would cost
every page a write; this middleware renews a logged-in session at most once per
REFRESH_SECONDS (or a tenth of the idle time, if shorter), so a page still costs none.

The renewal time is stamped in the session when it is saved for a login. A session
without the stamp (one made by code, such as the test client's force_login, or one from
before this release) is not renewed: it keeps the expiry it was last saved with.
"""

import time

from django.conf import settings

REFRESH_KEY = "_idle_renewed_at"
REFRESH_SECONDS = 60


def refresh_interval() -> int:
    return min(REFRESH_SECONDS, max(1, settings.SESSION_COOKIE_AGE // 10))


class SessionIdleMiddleware:
    """After SessionMiddleware: renews a session the request used when it was last renewed
    more than refresh_interval() ago, or is being saved anyway (a login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        renewed_at = session.get(REFRESH_KEY)
        if session.modified or (renewed_at is not None and now - renewed_at >= refresh_interval()):
            session[REFRESH_KEY] = now
        return response
