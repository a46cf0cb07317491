"""Example packages of user code, loaded with STEPSTUDIO_HANDLERS (see each one's README)."""
