"""GET /api/executions/{id}/definition/: the definition an execution runs (copied at its start,
or replaced by a redrive on a new definition), for the embeddable graph (docs/embed.md),
which draws the graph from it and colours it from the history."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .views import ERRORS, ApiMixin, ExecutionMixin, execution_id_schema


@execution_id_schema
class ExecutionDefinitionView(ApiMixin, ExecutionMixin, APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request, id):
        execution = self.get_execution()
        return Response({"definition": execution.definition})
