"""The token authentication every API request goes through (settings: REST_FRAMEWORK)."""

from functools import cache

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from rest_framework import authentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from departments.constants import HR_GROUP


@cache
def tokens_with_role():
    """Tokens with their login, the login's person and whether the login is HR
    (`user_is_hr`). Built once: resolving the HR subquery and the joins again for every
    request cost as much as running the query. Never evaluated itself (each use chains a
    new queryset), so it is safe to share."""
    hr = Group.objects.filter(user=OuterRef("user_id"), name=HR_GROUP)
    return Token.objects.select_related("user", "user__person").annotate(user_is_hr=Exists(hr))


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading in its one query what every request then asks:
    whether the login is HR (user_is_hr's cache) and its person (user_person's), which
    were two more queries per request."""

    def authenticate_credentials(self, key):
        try:
            token = tokens_with_role().get(key=key)
        except Token.DoesNotExist as exc:
            raise AuthenticationFailed("Invalid token.") from exc
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        token.user._is_hr = token.user_is_hr
        return (token.user, token)
