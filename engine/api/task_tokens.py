"""GET /api/executions/{id}/task-tokens/: the task tokens an execution waits on.

A `.waitForTaskToken` Task (or an activity task) waits until someone answers its token with
SendTaskSuccess / SendTaskFailure (/api/task-tokens/success/ and /failure/). The token is
a secret: it is handed to whoever is meant to answer, and now to the execution's owner, who
can finish the callback from the live page. Only the owner sees them: staff may look at
anyone's execution, but a token answers for its owner, so another user (staff included)
gets the same 404 as for an execution that does not exist.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.asl import step as asl_step
from engine.models import TaskToken, TokenStatus

from . import errors
from .views import ERRORS, ApiMixin, ExecutionMixin, execution_id_schema


class OpenTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    state = serializers.CharField(help_text="The Task state waiting on it.")
    iteration = serializers.CharField(allow_blank=True,
                                      help_text='Inside a Map iteration: "MapState[index]".')
    kind = serializers.CharField(help_text='"callback" (.waitForTaskToken) or "activity".')
    activity = serializers.CharField(allow_null=True)
    status = serializers.CharField(
        help_text='"SCHEDULED", or "STARTED" once an activity worker took it.')
    created = serializers.DateTimeField()
    heartbeatSeconds = serializers.IntegerField(allow_null=True)


class OpenTokensSerializer(serializers.Serializer):
    tokens = OpenTokenSerializer(many=True)


def open_tokens(execution) -> list[dict]:
    """The execution's tokens still waiting for an answer, oldest first."""
    rows = (TaskToken.objects.filter(execution=execution, answer__isnull=True,
                                     status__in=(TokenStatus.SCHEDULED, TokenStatus.STARTED))
            .select_related("frame", "activity").order_by("created"))
    out = []
    for t in rows:
        cursor = t.frame.cursor or {}
        frame = cursor.get("frame") or {}
        iteration = ""
        if frame.get("kind") == asl_step.MAP_ITERATION:
            iteration = f"{frame.get('parent_state')}[{frame.get('index', 0)}]"
        out.append({"token": t.token, "state": cursor.get("state") or "", "iteration": iteration,
                    "kind": "activity" if t.activity_id else "callback",
                    "activity": t.activity.name if t.activity_id else None,
                    "status": t.status, "created": t.created,
                    "heartbeatSeconds": t.heartbeat_seconds})
    return out


@execution_id_schema
class TaskTokenListView(ApiMixin, ExecutionMixin, APIView):
    @extend_schema(operation_id="executions_task_tokens_list",
                   responses={200: OpenTokensSerializer, **ERRORS})
    def get(self, request, id):
        execution = self.get_execution()
        if execution.state_machine.owner_id != request.user.pk:
            raise errors.ApiError("not_found", "No such execution.")
        return Response(OpenTokensSerializer({"tokens": open_tokens(execution)}).data)
