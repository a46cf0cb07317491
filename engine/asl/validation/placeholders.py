"""Definition substitutions (`${Name}`) in a definition: one WARNING per placeholder, at its
location, and an ERROR for a `${` that is never closed.

AWS never validates a placeholder: CloudFormation, SAM and CDK replace them first
(`DefinitionSubstitutions`). A definition kept with its placeholders is checked everywhere
else; the value checks skip what a placeholder stands for (values.py) except a quoted one in
a number or boolean field, which substitution would turn into a string.
"""
from __future__ import annotations

from engine.asl.substitutions import Unquoted, find, may_hold, names_in, unclosed

from .report import SCHEMA, Report

SUBSTITUTION = "DEFINITION_SUBSTITUTION"  # warning


def check_placeholders(report: Report, doc) -> None:
    if not may_hold(doc):
        return
    for loc, text, is_key in find(doc):
        if unclosed(text):
            report.schema(f"The placeholder in '{text}' is not closed: a definition "
                          "substitution is written ${Name}", loc)
        bare = " (bare: its value is put in as JSON text)" if isinstance(text, Unquoted) else ""
        for name in dict.fromkeys(names_in(text)):
            report.warning(SUBSTITUTION, f"Definition substitution ${{{name}}}{bare}: it must be "
                           "given in definitionSubstitutions before the state machine runs",
                           loc)
