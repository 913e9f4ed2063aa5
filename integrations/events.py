"""The events outbound webhooks subscribe to. Services of the apps above publish them with
`integrations.services.event_publish(EVENT, data)`; the names are the contract with the
receivers (DESIGN.md, Outbound webhooks)."""

TECHLEAD_ASSIGNED = "techlead.assigned"
TECHLEAD_ENDED = "techlead.ended"
TECHLEAD_HANDED_OVER = "techlead.handed_over"
DOCUMENT_STALE = "document.stale"
DOCUMENT_ESCALATED = "document.escalated"
PERSON_DEACTIVATED = "person.deactivated"
INCIDENT_OPENED = "incident.opened"

EVENTS = (
    TECHLEAD_ASSIGNED,
    TECHLEAD_ENDED,
    TECHLEAD_HANDED_OVER,
    DOCUMENT_STALE,
    DOCUMENT_ESCALATED,
    PERSON_DEACTIVATED,
    INCIDENT_OPENED,
)
EVENT_CHOICES = [(name, name) for name in EVENTS]
