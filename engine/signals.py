"""Django signals of the engine, for in-process Python.

`execution_status_changed` is sent after the transaction that changed an execution's
status committed, in the process that changed it, with `sender=Execution` and:

* `event`: the EventBridge-shaped event (engine.events.payload) as a dict;
* `execution_id`: the execution's id (a UUID string);
* `status`: the new status.

Receivers run after commit (a failing receiver is logged and never undoes the change, the
signal is sent with send_robust); they are in-process and best effort: a process killed
between commit and the signal does not send it. Use a webhook for delivery that survives.
"""
from django.dispatch import Signal

execution_status_changed = Signal()
