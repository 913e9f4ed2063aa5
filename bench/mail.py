"""An email backend for the benchmarks: builds each message as SMTP would (the CPU work
of sending), keeps none (locmem keeps every message: at 80,000 digests its outbox was
most of the measured memory)."""

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            message.message().as_bytes()
        return len(email_messages)
