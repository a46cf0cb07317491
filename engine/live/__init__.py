"""The live view: execution pages and the websockets that keep them current (issue #7)."""
