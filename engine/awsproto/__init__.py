"""The Step Functions wire protocol (AWS JSON 1.0 over `POST /`), so AWS SDKs work unchanged.

view.py authenticates (sigv4.py) and decodes; dispatch.py maps X-Amz-Target to an action;
actions/ holds one module per family; errors.py renders AWS's error shape.
"""
