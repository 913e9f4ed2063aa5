import pytest

from integrations.services import background_sends_wait

from .receiver import receiver_start


@pytest.fixture
def receiver():
    """A local HTTP receiver (answers 200 until told otherwise)."""
    receiver, server = receiver_start()
    yield receiver
    background_sends_wait()
    server.shutdown()
    server.server_close()
