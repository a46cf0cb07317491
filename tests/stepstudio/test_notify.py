"""ring() sends after COMMIT, never for a rolled-back transaction."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.test import override_settings

from stepstudio.notify import ring

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def layer(tmp_path):
    config = {"default": {"BACKEND": "stepstudio.layers.SQLiteChannelLayer",
                          "CONFIG": {"path": str(tmp_path / "c.sqlite3"), "poll_interval": 0.01}}}
    with override_settings(CHANNEL_LAYERS=config):
        yield get_channel_layer()


def listen(layer):
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("doorbell", channel)
    return channel


def pending(layer, channel, timeout=0.3):
    async def receive():
        try:
            return await asyncio.wait_for(layer.receive(channel), timeout)
        except asyncio.TimeoutError:
            return None

    return async_to_sync(receive)()


def test_the_bell_rings_only_after_commit(layer):
    channel = listen(layer)
    with transaction.atomic():
        ring("doorbell", {"type": "execution.advanced", "seq": 7})
        assert pending(layer, channel) is None
    assert pending(layer, channel, timeout=2) == {"type": "execution.advanced", "seq": 7}


def test_a_rolled_back_transaction_never_rings(layer):
    channel = listen(layer)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            ring("doorbell", {"type": "execution.advanced", "seq": 8})
            raise RuntimeError("the step failed")
    assert pending(layer, channel) is None


def test_bad_calls_fail_at_the_call_site(layer):
    with pytest.raises(TypeError):
        ring("not a group name", {"type": "x.y"})
    with pytest.raises(ValueError):
        ring("doorbell", {"seq": 1})
