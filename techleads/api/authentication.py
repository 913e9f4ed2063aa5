"""Jira Cloud's admin webhooks cannot send an Authorization header: they sign the raw body
with a shared secret instead (X-Hub-Signature: sha256=<hex HMAC-SHA256>)."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from departments.errors import DomainError
from techleads.rules import jira_signature_valid
from techleads.services.jira import jira_webhook_login

# request.auth of a signed request: the view names it in the audit entry's note.
JIRA_SIGNATURE = "Jira webhook signature"


class JiraWebhookSignatureAuthentication(BaseAuthentication):
    """A body signed with JIRA_WEBHOOK_SECRET acts as the `jira-webhook` integration login.

    Without the header this authenticator abstains (a token may follow, or the request is
    anonymous: a 401). With it, a wrong signature, or signatures switched off (no secret),
    is a 401, as is a revoked `jira-webhook` login.
    """

    def authenticate(self, request):
        header = request.META.get("HTTP_X_HUB_SIGNATURE")
        if header is None:
            return None
        secret = settings.JIRA_WEBHOOK_SECRET
        if not secret:
            raise AuthenticationFailed(
                "Webhook signatures are off (JIRA_WEBHOOK_SECRET is not set): send an "
                "integration token instead."
            )
        if not jira_signature_valid(secret=secret, body=request.body, header=header):
            raise AuthenticationFailed("The X-Hub-Signature does not match the body.")
        try:
            login = jira_webhook_login()
        except DomainError as exc:
            raise AuthenticationFailed(exc.message) from exc
        if not login.is_active:
            raise AuthenticationFailed("The Jira webhook login has been revoked.")
        return login, JIRA_SIGNATURE


class JiraWebhookSignatureScheme(OpenApiAuthenticationExtension):
    target_class = JiraWebhookSignatureAuthentication
    name = "jiraWebhookSignature"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Hub-Signature",
            "description": (
                "`sha256=<hex HMAC-SHA256 of the raw body with JIRA_WEBHOOK_SECRET>`, as "
                "Jira Cloud's admin webhooks sign it."
            ),
        }
