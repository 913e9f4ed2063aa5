"""Outbound webhooks (API v1, HR only): `webhooks/` subscribes a URL to events, and
`webhook-deliveries/` is what was sent, with `redeliver/` to send one again.

A webhook's `secret` is write-only: generated when omitted, and returned once, in the
201 body of the create. The services (departments.services) check the role and audit."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.filtersets import WebhookDeliveryFilter
from departments.services import webhook_create, webhook_delete, webhook_redeliver, webhook_update
from integrations.events import EVENT_CHOICES, EVENTS
from integrations.models import Webhook, WebhookDelivery

from .permissions import IsHR
from .viewsets import GenericViewSet, ServiceWritesMixin

ERRORS = {400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT}
SIGNING_HELP = (
    "Signs every delivery (X-TechLeads-Signature). Write-only: generated when omitted and "
    "returned once, in the 201 body."
)


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        allow_empty=False,
        max_length=len(EVENTS),
        help_text="The events it receives.",
    )
    secret = serializers.CharField(
        write_only=True, required=False, min_length=16, max_length=200, help_text=SIGNING_HELP
    )

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "secret", "is_active"]

    def validate_events(self, value):
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Each event once.")
        return value


class WebhookCreatedSerializer(WebhookSerializer):
    """The 201 body: the only time the secret is shown."""

    secret = serializers.CharField(read_only=True, help_text=SIGNING_HELP)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "webhook",
            "event",
            "event_id",
            "status",
            "attempts",
            "response_status",
            "last_error",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


WEBHOOK_EXAMPLES = [
    OpenApiExample(
        "Subscribe",
        value={
            "url": "https://hooks.example.com/techleads",
            "events": ["techlead.assigned", "techlead.handed_over"],
        },
        request_only=True,
    ),
    OpenApiExample(
        "Subscribed (201: the secret, once)",
        value={
            "id": 3,
            "url": "https://hooks.example.com/techleads",
            "events": ["techlead.assigned", "techlead.handed_over"],
            "secret": "Jx0b0Q2n7m4c1rY8Kp3Vd6Wf9Zs5Lh2Tg0Ue7Ai4Oq",
            "is_active": True,
        },
        response_only=True,
        status_codes=["201"],
    ),
    OpenApiExample(
        "A webhook (the secret is never shown again)",
        value={
            "id": 3,
            "url": "https://hooks.example.com/techleads",
            "events": ["techlead.assigned", "techlead.handed_over"],
            "is_active": True,
        },
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "A private address (400)",
        value={
            "url": [
                "The host 10.0.0.5 resolves to a loopback, private or reserved address; "
                "webhooks call public addresses only."
            ]
        },
        response_only=True,
        status_codes=["400"],
    ),
]
DELIVERY_EXAMPLE = OpenApiExample(
    "A delivery",
    value={
        "id": 41,
        "webhook": 3,
        "event": "techlead.assigned",
        "event_id": "5b0e6c1e-4a57-4d0b-9a51-0f6f1f3c2a9d",
        "status": "pending",
        "attempts": 2,
        "response_status": 503,
        "last_error": "HTTP 503: Service Unavailable",
        "created_at": "2026-12-06T07:10:00Z",
        "delivered_at": None,
    },
    response_only=True,
    status_codes=["200", "202"],
)


@extend_schema(examples=WEBHOOK_EXAMPLES)
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ServiceWritesMixin,
    GenericViewSet,
):
    """Webhook subscriptions (HR): a URL, the events it receives, whether it is active."""

    queryset = Webhook.objects.order_by("id")
    serializer_class = WebhookSerializer
    permission_classes = [IsHR]
    create_service = staticmethod(webhook_create)
    update_service = staticmethod(webhook_update)
    instance_name = "webhook"

    @extend_schema(
        request=WebhookSerializer,
        responses={201: WebhookCreatedSerializer, **ERRORS},
        examples=WEBHOOK_EXAMPLES,
    )
    def create(self, request, *args, **kwargs):
        """Subscribe a URL; the answer holds the secret, this once."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        body = WebhookCreatedSerializer(serializer.instance).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        webhook_delete(actor=self.request.user, webhook=instance)


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """What was sent to the webhooks, newest first (HR): each delivery's status, attempts
    and the receiver's last answer."""

    queryset = WebhookDelivery.objects.order_by("-created_at", "-id")
    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilter
    permission_classes = [IsHR]

    @extend_schema(examples=[DELIVERY_EXAMPLE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(examples=[DELIVERY_EXAMPLE])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        examples=[
            DELIVERY_EXAMPLE,
            OpenApiExample(
                "Inactive webhook (409)",
                value={"detail": "The webhook is inactive; activate it before redelivering."},
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        """Send the delivery again (the same event id and body), with a fresh count of
        attempts; queued, so the answer is 202 with the delivery pending."""
        delivery = webhook_redeliver(actor=request.user, delivery=self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
