"""One module per family of actions; each registers with dispatch.action."""
