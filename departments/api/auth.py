"""POST /api/v1/auth/token/: DRF's token login, under the login protection.

Axes refuses a locked-out pair inside authenticate() and marks DRF's request, which its
middleware (reading Django's request) does not see: this view answers the refusal itself,
429 {"detail"}. DRF's view never calls login(), so a success resets the failure count
here, as a dashboard login does through the user_logged_in signal.
"""

from axes.handlers.proxy import AxesProxyHandler
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from departments.lockout import lockout_message

from .parsers import JSONParser


class LockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class ObtainAuthTokenView(ObtainAuthToken):
    # DRF's token view brings its own parsers; JSON goes through the depth-limited one.
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        responses={
            200: AuthTokenSerializer,
            429: OpenApiResponse(
                inline_serializer("LockedOut", {"detail": serializers.CharField()}),
                description="Too many failed logins for this username from this address "
                "(LOGIN_FAILURE_LIMIT within LOGIN_LOCKOUT_MINUTES): refused until then.",
            ),
        }
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(lockout_message())
        if not valid:
            serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        AxesProxyHandler.user_logged_in(sender=type(self), request=request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


obtain_auth_token = ObtainAuthTokenView.as_view()
