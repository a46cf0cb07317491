"""POST /api/executions/{id}/redrive-with-definition/ (docs/testing.md): "Redrive with the new
definition" — resume a failed, aborted or timed-out execution from the state it stopped in,
on its state machine's current definition (or one of its versions), where AWS's redrive
keeps the definition the execution started with. Refused (409 execution_not_redrivable)
where that state no longer exists in the new definition or its shape changed."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import services

from . import errors
from . import serializers as s
from .views import ERRORS, ApiMixin, ExecutionMixin, execution_id_schema, service_call


class RedriveWithDefinitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=(
        "a version of the execution's state machine (default: its current definition)"))


@execution_id_schema
class RedriveWithDefinitionView(ApiMixin, ExecutionMixin, APIView):
    @extend_schema(request=RedriveWithDefinitionSerializer,
                   responses={200: s.ExecutionSerializer, **ERRORS})
    def post(self, request, id):
        execution = self.get_execution()
        data = RedriveWithDefinitionSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        machine = execution.state_machine
        number = data.validated_data.get("version")
        if number is not None:
            version = machine.versions.filter(version=number).first()
            if version is None:
                raise errors.ApiError("not_found", f"The state machine has no version {number}.")
            definition = version.definition
        else:
            definition = machine.definition
            latest = machine.latest_version
            # The current definition is that version's when they are the same.
            version = latest if latest is not None and latest.definition == definition else None
        execution = service_call(services.redrive_execution, execution, definition, version)
        return Response(s.ExecutionSerializer(execution).data)
