"""Pure rules of outbound webhooks: the signature and the retry schedule."""

import hashlib
import hmac
from datetime import timedelta

# The first retry comes this long after a failed attempt; each next one waits 4 times longer
# (30 s, 2 min, 8 min, 32 min, 2 h 8 min: six attempts span about 2 h 50 min).
FIRST_RETRY_SECONDS = 30
BACKOFF_FACTOR = 4


def signature(*, secret: str, body: bytes) -> str:
    """The X-TechLeads-Signature header of `body`: sha256=<hex HMAC-SHA256 with the secret>."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def retry_delay(*, attempts: int) -> timedelta:
    """How long after its `attempts`-th failed attempt a delivery is tried again."""
    return timedelta(seconds=FIRST_RETRY_SECONDS * BACKOFF_FACTOR ** max(attempts - 1, 0))
