"""Request and response shapes of docs/api.md; also what the OpenAPI schema is built from."""
from __future__ import annotations

import json

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from engine.services import NAME_RE as EXECUTION_NAME_RE

from engine.models import (Activity, Execution, ExecutionStatus, MachineType, MapRunStatus,
                           StateMachine, StateMachineVersion)
from engine.runtime import map_runs

PAYLOAD_MAX = 262144  # 256 KiB of JSON text: an execution's input/output, a task's output
DEFINITION_MAX = 1048576  # 1 MiB of JSON text: AWS's quota for a definition (as the AWS protocol)


def storable_json_size(value) -> int:
    """Bytes of `value` as UTF-8 JSON text; ValidationError when a database cannot store it.

    PostgreSQL's jsonb refuses U+0000 anywhere, and a lone surrogate ("\\ud800", valid in
    JSON text) has no UTF-8 encoding: both are bad input, refused here instead of failing
    later in the database.
    """
    text = json.dumps(value, ensure_ascii=False)
    if "\x00" in text:
        raise serializers.ValidationError("The value must not contain U+0000.")
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise serializers.ValidationError("The value contains an unpaired surrogate.") from None


class StrictCharField(serializers.CharField):
    """A JSON string, and only a string (DRF's CharField would turn 12 or true into text)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# What the schema says is what to_internal_value accepts: a generated object or string is
# not refused for its type (a valid JSON value can still be invalid ASL, which is a 400).
@extend_schema_field({"oneOf": [{"type": "object"}, {"type": "string"}],
                      "description": f"An ASL definition as a JSON object or its JSON text; "
                                     f"up to {DEFINITION_MAX} bytes."})
class DefinitionField(serializers.JSONField):
    """An ASL definition as a JSON object or as its text (both are accepted, as AWS does)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, (dict, str)):
            raise serializers.ValidationError("Expected a JSON object or a JSON string.")
        size = storable_json_size(value)  # also refuses U+0000 and lone surrogates
        if isinstance(value, str):
            size = len(value.encode("utf-8"))  # the text itself, as AWS counts it
        if size > DEFINITION_MAX:
            raise serializers.ValidationError(
                f"The definition is larger than {DEFINITION_MAX} bytes.")
        return value


class SubstitutionsField(serializers.JSONField):
    """`definitionSubstitutions`: values for a definition's `${Name}` placeholders, a map of
    names to strings (CloudFormation's DefinitionSubstitutions; numbers and booleans are taken
    as their JSON text)."""

    def to_internal_value(self, data):
        from engine.asl.substitutions import check_map

        value = super().to_internal_value(data)
        try:
            return check_map(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


@extend_schema_field({"not": {"type": "null"},
                      "description": f"Any JSON value (null only where the field says so), "
                                     f"up to {PAYLOAD_MAX} bytes once serialized."})
class PayloadField(serializers.JSONField):
    """Any JSON value up to 256 KiB once serialized (AWS's payload quota)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if storable_json_size(value) > PAYLOAD_MAX:
            raise serializers.ValidationError(
                f"The payload is larger than {PAYLOAD_MAX} bytes once serialized.")
        return value


@extend_schema_field({"description": f"Any JSON value or null (none), up to {PAYLOAD_MAX} "
                                     f"bytes once serialized."})
class NullablePayloadField(PayloadField):
    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)


# AWS's state machine and activity names (engine.api.machines.check_name says why), as a
# pattern the OpenAPI schema can carry.
NAME_PATTERN = r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]+$"
# (%% because Django formats validator messages with %-params.)
name_validator = RegexValidator(NAME_PATTERN, "Invalid name: no white space, brackets, "
                                "wildcards or any of \" # %% \\ ^ | ~ ` $ & , ; : /",
                                code="invalid_name")


class DiagnosticSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["ERROR", "WARNING"])
    message = serializers.CharField()
    location = serializers.CharField(allow_blank=True)
    # The same finding for a person: names the field (engine.asl.validation.explain).
    explanation = serializers.CharField(required=False)
    field = serializers.CharField(required=False, allow_blank=True)


class ValidateRequestSerializer(serializers.Serializer):
    definition = DefinitionField()


class ValidateResponseSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    diagnostics = DiagnosticSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    diagnostics = DiagnosticSerializer(many=True)


class StateMachineSerializer(serializers.ModelSerializer):
    arn = serializers.CharField(read_only=True)
    latest_version = serializers.SerializerMethodField()
    unresolved_substitutions = serializers.SerializerMethodField()

    class Meta:
        model = StateMachine
        # definition_text: the text as written when `${Name}` placeholders are left in it
        # (bare ones are not JSON), else "".
        fields = ["name", "arn", "type", "definition", "definition_text",
                  "unresolved_substitutions", "created", "updated", "latest_version",
                  "example_input"]
        read_only_fields = fields

    def get_unresolved_substitutions(self, machine) -> list[str]:
        from engine.asl.substitutions import unresolved

        return unresolved(machine.definition)

    def get_latest_version(self, machine) -> int | None:
        # Lists annotate the number (one query for the page, not one per machine).
        if hasattr(machine, "latest_version_number"):
            return machine.latest_version_number
        version = machine.latest_version
        return version.version if version else None


class StateMachineCreateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=80, trim_whitespace=False,
                                 validators=[name_validator])
    type = serializers.ChoiceField(choices=MachineType.choices, default=MachineType.STANDARD)
    definition = DefinitionField()
    description = StrictCharField(required=False, allow_blank=True, max_length=1024,
                                        default="")
    definitionSubstitutions = SubstitutionsField(required=False)
    # What the Start execution dialogs are prefilled with; null or absent: none.
    example_input = NullablePayloadField(required=False, default=None)


class StateMachineUpdateSerializer(serializers.Serializer):
    definition = DefinitionField(required=False)
    type = serializers.ChoiceField(choices=MachineType.choices, required=False)
    definitionSubstitutions = SubstitutionsField(required=False)
    # null clears it (the dialogs then offer the last execution's input).
    example_input = NullablePayloadField(required=False)


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = StateMachineVersion
        fields = ["version", "description", "definition", "definition_text", "created"]
        read_only_fields = fields


class VersionCreateSerializer(serializers.Serializer):
    description = StrictCharField(allow_blank=True, max_length=256, default="")
    definition = DefinitionField(required=False)


class StartExecutionSerializer(serializers.Serializer):
    input = PayloadField(required=False, default=dict)
    definitionSubstitutions = SubstitutionsField(required=False)
    name = StrictCharField(required=False, max_length=80, trim_whitespace=False,
                                 validators=[RegexValidator(EXECUTION_NAME_RE.pattern)])


class StartedExecutionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=ExecutionStatus.choices)
    url = serializers.CharField()


class ParentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    arn = serializers.CharField()
    state_machine = serializers.CharField()
    state = serializers.CharField(help_text="the parent's Task state that started it")
    url = serializers.CharField()


class ChildSerializer(ParentSerializer):
    status = serializers.ChoiceField(choices=ExecutionStatus.choices)
    pattern = serializers.CharField(
        help_text="request_response, sync, sync:2 or wait_for_task_token")


CHILDREN_SHOWN = 100


class MapRunChildSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    arn = serializers.CharField()
    status = serializers.ChoiceField(choices=ExecutionStatus.choices)
    url = serializers.CharField()


class MapRunSerializer(serializers.Serializer):
    """A DISTRIBUTED Map's map run (AWS DescribeMapRun's fields) and its child executions."""

    arn = serializers.CharField()
    state = serializers.CharField(help_text="the Map state that started it")
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=MapRunStatus.choices)
    start_date = serializers.DateTimeField()
    stop_date = serializers.DateTimeField(allow_null=True)
    max_concurrency = serializers.IntegerField()
    tolerated_failure_count = serializers.IntegerField(allow_null=True)
    tolerated_failure_percentage = serializers.FloatField(allow_null=True)
    redrive_count = serializers.IntegerField()
    item_counts = serializers.DictField(child=serializers.IntegerField())
    children = MapRunChildSerializer(many=True, help_text="the first 100 child executions")


def map_run_data(run) -> dict:
    items, _ = map_runs.counts(run)
    children = (run.child_executions.only("id", "name", "status", "map_run_id")
                .order_by("start_date", "id")[:CHILDREN_SHOWN])
    return {"arn": run.arn, "state": run.state_name, "label": run.label, "status": run.status,
            "start_date": run.start_date, "stop_date": run.stop_date,
            "max_concurrency": run.max_concurrency,
            "tolerated_failure_count": run.tolerated_failure_count,
            "tolerated_failure_percentage": run.tolerated_failure_percentage,
            "redrive_count": run.redrive_count, "item_counts": items,
            "children": [{"id": str(c.id), "name": c.name, "arn": run.child_arn(c.name),
                          "status": c.status, "url": f"/executions/{c.id}/"} for c in children]}


class ExecutionSerializer(serializers.ModelSerializer):
    arn = serializers.CharField(read_only=True)
    state_machine = serializers.CharField(source="state_machine.name", read_only=True)
    version = serializers.SerializerMethodField()
    error = serializers.CharField(read_only=True, allow_null=True)
    cause = serializers.CharField(read_only=True, allow_null=True)
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Execution
        fields = ["id", "name", "arn", "state_machine", "version", "status", "input", "output",
                  "error", "cause", "start_date", "stop_date", "redrive_count", "parent"]
        read_only_fields = fields

    def get_version(self, execution) -> int | None:
        return execution.version.version if execution.version_id else None

    @extend_schema_field(ParentSerializer(allow_null=True))
    def get_parent(self, execution) -> dict | None:
        """The execution whose Task started this one (a nested execution) or whose
        Distributed Map runs it (a map run's child execution; `state` is the Map), or null."""
        state = execution.parent_state
        parent = execution.parent_execution if execution.parent_execution_id else None
        if execution.map_run_id:
            parent, state = execution.map_run.execution, execution.map_run.state_name
        if parent is None:
            return None
        return {"id": str(parent.id), "name": parent.name, "arn": parent.arn,
                "state_machine": parent.state_machine.name, "state": state,
                "url": f"/executions/{parent.id}/"}

    def to_representation(self, execution):
        out = super().to_representation(execution)
        # Empty strings in the database mean "no error"; the API says null.
        out["error"] = execution.error or None
        out["cause"] = execution.cause or None
        return out




class ExecutionDetailSerializer(ExecutionSerializer):
    """One execution, with the executions its Tasks started (the first CHILDREN_SHOWN) and
    its Distributed Maps' map runs (each with its first CHILDREN_SHOWN child executions)."""

    children = serializers.SerializerMethodField()
    map_runs = serializers.SerializerMethodField()

    class Meta(ExecutionSerializer.Meta):
        fields = [*ExecutionSerializer.Meta.fields, "children", "map_runs"]
        read_only_fields = fields

    @extend_schema_field(MapRunSerializer(many=True))
    def get_map_runs(self, execution) -> list[dict]:
        runs = execution.map_runs.select_related("execution__state_machine").order_by(
            "start_date")[:CHILDREN_SHOWN]
        return [map_run_data(run) for run in runs]

    @extend_schema_field(ChildSerializer(many=True))
    def get_children(self, execution) -> list[dict]:
        rows = (execution.child_executions.select_related("state_machine")
                .order_by("start_date", "id")[:CHILDREN_SHOWN])
        return [{"id": str(c.id), "name": c.name, "arn": c.arn,
                 "state_machine": c.state_machine.name, "state": c.parent_state,
                 "status": c.status, "pattern": c.parent_pattern, "url": f"/executions/{c.id}/"}
                for c in rows]


class StopSerializer(serializers.Serializer):
    error = StrictCharField(required=False, allow_blank=True, max_length=256, default="")
    cause = StrictCharField(required=False, allow_blank=True, max_length=32768,
                                  default="")


class ExecutionFilterSerializer(serializers.Serializer):
    state_machine = StrictCharField(required=False, max_length=80)
    status = serializers.ChoiceField(choices=ExecutionStatus.choices, required=False)


class HistoryQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=100)
    order = serializers.ChoiceField(choices=["asc", "desc"], default="asc")


class HistoryEventSerializer(serializers.Serializer):
    """A GetExecutionHistory event: id, previousEventId, timestamp, type, and its details."""

    id = serializers.IntegerField()
    previousEventId = serializers.IntegerField()
    timestamp = serializers.DateTimeField()
    type = serializers.CharField()


class HistorySerializer(serializers.Serializer):
    events = HistoryEventSerializer(many=True)
    next_after = serializers.IntegerField(allow_null=True)


def token_field():
    # Not trimmed: a token of spaces is a token no task has (404), so the one value refused
    # for its form is the empty string, which minLength states.
    return StrictCharField(min_length=1, max_length=2048, trim_whitespace=False)


class TaskSuccessSerializer(serializers.Serializer):
    token = token_field()
    output = PayloadField()


class TaskFailureSerializer(serializers.Serializer):
    token = token_field()
    error = StrictCharField(required=False, allow_blank=True, max_length=256, default="")
    cause = StrictCharField(required=False, allow_blank=True, max_length=32768,
                                  default="")


class TaskHeartbeatSerializer(serializers.Serializer):
    token = token_field()


class EmptySerializer(serializers.Serializer):
    pass


class TaskHandlerSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=["handler", "lambda", "http"])
    queue = serializers.CharField(allow_null=True, help_text="worker queue (null: default)")
    origin = serializers.CharField(help_text="module.function that runs it")
    state_template = serializers.JSONField()


class TaskHandlersSerializer(serializers.Serializer):
    results = TaskHandlerSerializer(many=True)


class ActivitySerializer(serializers.ModelSerializer):
    arn = serializers.CharField(read_only=True)
    name = StrictCharField(max_length=80, trim_whitespace=False,
                                 validators=[name_validator])

    class Meta:
        model = Activity
        fields = ["name", "arn", "created"]
        read_only_fields = ["arn", "created"]
        # Uniqueness is per owner and is checked by the view (the owner is not a field).
        validators = []
