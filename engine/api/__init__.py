"""The REST API of docs/api.md (DRF) and the state-machine use cases it shares with awsproto."""
