"""Test cases and test runs (docs/testing.md): a machine's saved cases, and ad-hoc runs of a
definition being edited. Runs are in-process on the virtual clock (engine.asl.testcases):
nothing is stored, no worker is involved, Waits and retry back-offs take no real time.
"""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.asl import testcases
from engine.asl.errors import InvalidDefinition
from engine.models import MachineType

from . import errors, machines
from .views import ERRORS, ApiMixin, MachineMixin


class RunOptionsSerializer(serializers.Serializer):
    cases = serializers.ListField(child=serializers.CharField(), required=False, allow_null=True,
                                  help_text="names of the cases to run (default: all)")
    input = serializers.JSONField(required=False, allow_null=True,
                                  help_text="input of cases without their own Input (default {})")
    real_handlers = serializers.ListField(
        child=serializers.CharField(), required=False, allow_null=True,
        help_text="Task states whose real handler may run when not mocked (null: all)")
    history = serializers.BooleanField(required=False, default=False,
                                       help_text="include each run's history events")


class AdHocRunSerializer(RunOptionsSerializer):
    definition = serializers.JSONField(help_text="ASL definition (object or JSON text)")
    type = serializers.ChoiceField(choices=MachineType.choices, default=MachineType.STANDARD)
    mock_config = serializers.JSONField(help_text="Step Functions Local mock config")
    state_machine_name = serializers.CharField(required=False, allow_null=True)
    history = serializers.BooleanField(required=False, default=True)


class CaseResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    passed = serializers.BooleanField()
    status = serializers.CharField()
    output = serializers.JSONField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    cause = serializers.CharField(allow_null=True)
    expect = serializers.JSONField(allow_null=True)
    mismatches = serializers.ListField(child=serializers.CharField())
    events = serializers.ListField(child=serializers.JSONField(), required=False)


class RunResultSerializer(serializers.Serializer):
    passed = serializers.IntegerField()
    total = serializers.IntegerField()
    cases = CaseResultSerializer(many=True)


def checked_config(config) -> dict:
    problems = testcases.check_config(config)
    if problems:
        raise errors.ApiError("invalid", "The mock config: " + "; ".join(problems))
    return config


def run(definition, machine_type: str, config: dict, machine_name: str | None, options: dict):
    checked_config(config)
    value = options.get("input")
    value = {} if value is None else value
    if testcases.input_too_large(value):
        raise errors.ApiError("payload_too_large", "input: larger than 256 KiB (UTF-8).")
    try:
        results = testcases.run_cases(definition, config, machine_name, value,
                                      cases=options.get("cases"),
                                      real_handlers=options.get("real_handlers"),
                                      state_machine_type=machine_type)
    except InvalidDefinition as exc:
        raise errors.from_aws("InvalidDefinition", "The definition is not valid.",
                              exc.diagnostics) from None
    except KeyError as exc:
        raise errors.ApiError("invalid", f"cases: no test case {exc.args[0]!r}.") from None
    history = options.get("history", False)
    return Response({"passed": sum(r.passed for r in results), "total": len(results),
                     "cases": [r.to_dict(history) for r in results]})


class TestCasesView(ApiMixin, MachineMixin, APIView):
    """The machine's test cases as the mock-config file itself: GET exports it, PUT imports."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request, name):
        return Response(self.get_machine().test_cases or {"StateMachines": {}, "MockedResponses": {}})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def put(self, request, name):
        machine = self.get_machine()
        machine.test_cases = checked_config(request.data)
        machine.save(update_fields=["test_cases"])
        return Response(machine.test_cases)


class TestCasesRunView(ApiMixin, MachineMixin, APIView):
    """Run the saved cases on the saved definition."""

    @extend_schema(request=RunOptionsSerializer, responses={200: RunResultSerializer, **ERRORS})
    def post(self, request, name):
        machine = self.get_machine()
        options = RunOptionsSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        config = machine.test_cases or {}
        machine_name, cases = testcases.machine_cases(config, machine.name)
        if not cases:
            machine_name, cases = testcases.machine_cases(config, None)
        if not cases:
            raise errors.ApiError("invalid", f"The state machine '{machine.name}' has no test "
                                             "cases.")
        return run(machine.definition, machine.type, config, machine_name, options.validated_data)


class AdHocRunView(ApiMixin, APIView):
    """Run a definition that need not be saved (the designer's Test panel) with a mock config."""

    @extend_schema(request=AdHocRunSerializer, responses={200: RunResultSerializer, **ERRORS})
    def post(self, request):
        data = AdHocRunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        options = data.validated_data
        definition, diagnostics = machines.load_definition(options["definition"], options["type"])
        if definition is None or any(d.severity == "ERROR" for d in diagnostics):
            raise errors.from_aws("InvalidDefinition", "The definition is not valid.", diagnostics)
        return run(definition, options["type"], options["mock_config"],
                   options.get("state_machine_name"), options)
