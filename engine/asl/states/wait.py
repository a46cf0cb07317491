"""Wait: "delays the state machine from continuing for a specified time" (spec "Wait State").

Seconds / SecondsPath / Timestamp / TimestampPath. The state never sleeps: it returns
`Sleep(until)` and finishes when the driver wakes it (style habit 11). A timestamp in the
past means no delay.
"""
import re
from datetime import datetime, timedelta, timezone

from ..errors import ErrorName, StatesError
from ..limits import dumps
from .. import step as S
from .base import StateType, register

# Spec: timestamps "must conform to the RFC3339 profile of ISO 8601, with the further
# restrictions that an uppercase T must separate the date and time portions, and an
# uppercase Z must denote that a numeric time zone offset is not present".
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_timestamp(s) -> datetime | None:
    if not isinstance(s, str):
        return None
    m = _RFC3339.match(s)
    if not m:
        return None
    y, mo, d, h, mi, sec, frac, tz = m.groups()
    try:
        micro = int((frac[1:] + "000000")[:6]) if frac else 0
        if tz == "Z":
            tzinfo = timezone.utc
        else:
            sign = 1 if tz[0] == "+" else -1
            tzinfo = timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6])))
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec), micro, tzinfo)
    except ValueError:
        return None


@register
class WaitState(StateType):
    type_name = "Wait"

    def _error(self, x, reason):
        if x.df.query_language == "JSONata":
            return StatesError(ErrorName.QUERY_EVALUATION_ERROR, f"{x.where()} {reason}")
        return x.runtime_error(reason)

    def attempt(self, x):
        env = x.env()
        now = x.em.clock.now()
        try:
            fv = x.df.field(x.state, "Seconds", env)
        except StatesError as ex:
            if getattr(ex, "field", None) == "SecondsPath":
                raise x.runtime_error(f"The SecondsPath parameter does not reference an input value: {ex.path}") from None
            raise
        if fv is not None:
            v = fv.value
            label = f"The {fv.field} parameter"
            shown = f"{fv.expression} == {dumps(v)}" if fv.expression else dumps(v)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
                raise self._error(x, f"{label} cannot be parsed as a long value: {shown}")
            if v < 0:
                raise self._error(x, f"{label} references a negative value: {shown}")
            until = now + timedelta(seconds=int(v))
        else:
            try:
                fv = x.df.field(x.state, "Timestamp", env)
            except StatesError as ex:
                if getattr(ex, "field", None) == "TimestampPath":
                    raise x.runtime_error(f"The TimestampPath parameter does not reference an input value: {ex.path}") from None
                raise
            if fv is None:
                raise x.runtime_error("A Wait state needs one of Seconds, SecondsPath, Timestamp, TimestampPath")
            ts = parse_timestamp(fv.value)
            if ts is None:
                shown = f"{fv.expression} == {dumps(fv.value)}" if fv.expression else dumps(fv.value)
                raise self._error(x, f"The {fv.field} parameter does not reference a valid ISO-8601 "
                                     f"extended offset date-time format string: {shown}")
            until = max(now, ts)
        x.cursor["phase"] = "waiting"
        return S.Sleep(x.cursor, x.em.events, until)

    def resume(self, x, inbound):
        if not isinstance(inbound, S.Wake):
            return super().resume(x, inbound)
        return x.succeed(x.df.effective_input(x.state, x.env()))
