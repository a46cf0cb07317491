"""The validator against what AWS really did.

* every definition AWS rejected (invalid_definitions.json) gets a diagnostic carrying AWS's text;
* every definition in the recorded corpus ran on AWS, so it must validate with no ERROR.
"""
import json
from pathlib import Path

import pytest

from engine.asl.validate import is_valid, validate

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "asl-conformance"
INVALID = CORPUS / "invalid_definitions.json"
CASES = sorted((CORPUS / "cases").glob("*.json"))

pytestmark = pytest.mark.skipif(not INVALID.exists(), reason="conformance corpus not present")

# The recorder replaced the activity ARN the LocalStack test created with this token; the
# definition AWS saw held a real activity ARN.
_RECORDER_TOKENS = {"create_activity[activityArn]":
                    "arn:aws:states:us-east-1:111111111111:activity:BaseActivity"}


def _invalid_entries():
    if not INVALID.exists():
        return []
    return json.loads(INVALID.read_text())


def _restore_tokens(definition):
    if not isinstance(definition, dict):
        return definition
    text = json.dumps(definition)
    for token, value in _RECORDER_TOKENS.items():
        text = text.replace(token, value)
    return json.loads(text)


@pytest.mark.parametrize("entry", _invalid_entries(), ids=lambda e: e["id"])
def test_definition_aws_rejected_gets_aws_message(entry):
    diagnostics = validate(_restore_tokens(entry["definition"]), entry["state_machine_type"])

    assert not is_valid(diagnostics)
    expected = entry["expected_error_substring"]
    if entry["api"] == "CreateStateMachine":
        # InvalidDefinition text: "<CODE>: <message> at <location>", comma-joined.
        rendered = [f"{d.code}: {d.message} at {d.extra.get('aws_location', d.location)}"
                    for d in diagnostics]
        assert any(expected in r for r in rendered), rendered
    else:
        # ValidateStateMachineDefinition: the diagnostic's code and message.
        assert any(d.code == entry["error_code"] and expected in d.message
                   for d in diagnostics), [d.to_dict() for d in diagnostics]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_definition_that_ran_on_aws_has_no_error(path):
    case = json.loads(path.read_text())

    diagnostics = validate(case["definition"], case.get("state_machine_type") or "STANDARD")

    assert [d.to_dict() for d in diagnostics if d.severity == "ERROR"] == []
