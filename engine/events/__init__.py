"""Execution status-change events (EventBridge's "Step Functions Execution Status Change").

The runtime records one outbox row per status change inside the transaction that changes
it (outbox.record); after commit the in-process signal is sent and a Celery task fans the
event out to the owner's matching webhooks (fanout), which are delivered with retries
(delivery, retry) and signed (signing).
"""
