"""A minimal authenticated websocket: proves the ASGI stack and the channel layer end to end."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

PING_GROUP = "ping"


class PingConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        if not self.scope["user"].is_authenticated:
            await self.close(code=4401)
            return
        await self.channel_layer.group_add(PING_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.channel_layer is not None and self.channel_name:
            await self.channel_layer.group_discard(PING_GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Binary frames and text that is not JSON are ignored, not a crash of the consumer.
        if text_data is None:
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "pong", "echo": content})

    async def ping_message(self, event):
        """Handler for {"type": "ping.message", ...} sent to the group."""
        await self.send_json(event)
