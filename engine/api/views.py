"""REST views of docs/api.md. Thin: scope by owner, validate with a serializer, call the use
case (engine.api.machines, engine.services), render. Errors go through errors.exception_handler.
"""
from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, generics, permissions as drf_permissions, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import services, start_limits
from engine.models import ExecutionStatus

from . import errors, handlers_catalog, machines, permissions
from . import serializers as s

ERRORS = {code: s.ErrorSerializer for code in (400, 401, 403, 404, 409, 413)}


class ApiMixin:
    """What every API view shares: JSON only, our error shape, and no login redirect.

    LoginRequiredMiddleware would send anonymous callers to the login page; the API answers
    401/403 itself (DRF authentication), so its views are login_not_required.
    """

    parser_classes = [JSONParser]  # docs/api.md: JSON in and out
    # Out too: no browsable-API HTML (another page rendering user text, with its own forms).
    renderer_classes = [JSONRenderer]

    def get_exception_handler(self):
        return errors.exception_handler

    def initial(self, request, *args, **kwargs):
        # DRF's parsers read the raw stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE check
        # on request.body: refuse an oversized body before anything reads it.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            raise errors.ApiError("payload_too_large",
                                  f"The request body is larger than {limit} bytes.")
        super().initial(request, *args, **kwargs)

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


@login_not_required
def not_found(request):
    # Anonymous callers are refused before anything else, as on every other API path (the
    # same 403 DRF gives when session authentication is tried first).
    if not request.user.is_authenticated:
        return JsonResponse(errors.body("Authentication credentials were not provided.",
                                        "not_authenticated"), status=403)
    return JsonResponse(errors.body("Not found.", "not_found"), status=404)


class SchemaView(ApiMixin, SpectacularAPIView):
    """The OpenAPI schema, for authenticated callers (drf-spectacular serves it to anyone)."""

    permission_classes = [drf_permissions.IsAuthenticated]
    renderer_classes = SpectacularAPIView.renderer_classes  # YAML and JSON, not ApiMixin's

    def finalize_response(self, request, response, *args, **kwargs):
        # A refusal is the API's JSON error, not a YAML "schema" of the error.
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def service_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except services.ServiceError as error:
        raise errors.from_aws(error.code, str(error)) from None


class Pagination(CursorPagination):
    """`{"results", "next", "previous"}`; `next` is a URL carrying an opaque `cursor`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        # DRF quietly falls back to the default for a bad page_size; we say it is bad.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # isascii: "²" is a digit to str.isdigit but not to int().
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise errors.ApiError("invalid", f"page_size: must be an integer from 1 to "
                                             f"{self.max_page_size}.")
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                # The bounds get_page_size enforces, so a schema-valid page_size is accepted.
                parameter["schema"] = {"type": "integer", "minimum": 1,
                                       "maximum": self.max_page_size, "default": self.page_size}
        return parameters


class NamePagination(Pagination):
    ordering = ("name", "id")


class VersionPagination(Pagination):
    ordering = ("-version",)


class ExecutionPagination(Pagination):
    ordering = ("-start_date", "-id")


# -- definitions ------------------------------------------------------------------------

def validation_result(definition, type_="STANDARD") -> dict:
    _, diagnostics = machines.load_definition(definition, type_)
    return {"valid": not any(d.severity == "ERROR" for d in diagnostics),
            "diagnostics": [errors.diagnostic_body(d) for d in diagnostics]}


class ValidateView(ApiMixin, APIView):
    @extend_schema(request=s.ValidateRequestSerializer,
                   responses={200: s.ValidateResponseSerializer, **ERRORS})
    def post(self, request):
        data = s.ValidateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(validation_result(data.validated_data["definition"]))


class TaskHandlersView(ApiMixin, APIView):
    @extend_schema(responses={200: s.TaskHandlersSerializer, **ERRORS})
    def get(self, request):
        return Response({"results": handlers_catalog.catalog()})


# -- state machines ---------------------------------------------------------------------

class StateMachineListView(ApiMixin, generics.ListAPIView):
    serializer_class = s.StateMachineSerializer
    pagination_class = NamePagination

    def get_queryset(self):
        return permissions.listed_state_machines(self.request.user).annotate(
            latest_version_number=Max("versions__version"))

    @extend_schema(responses={200: s.StateMachineSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.StateMachineCreateSerializer,
                   responses={201: s.StateMachineSerializer, **ERRORS})
    def post(self, request):
        data = s.StateMachineCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if permissions.state_machines(request.user).filter(name=v["name"]).exists():
            # REST creates, it does not upsert (unlike CreateStateMachine's idempotency).
            raise errors.ApiError("already_exists", f"State machine '{v['name']}' already exists.")
        machine, _ = machines.create(request.user, v["name"], v["definition"], v["type"],
                                     description=v["description"],
                                     substitutions=v.get("definitionSubstitutions"),
                                     example_input=v["example_input"])
        return Response(s.StateMachineSerializer(machine).data, status=status.HTTP_201_CREATED)


class MachineMixin:
    def get_machine(self):
        return get_object_or_404(permissions.state_machines(self.request.user),
                                 name=self.kwargs["name"])


class StateMachineDetailView(ApiMixin, MachineMixin, APIView):
    @extend_schema(responses={200: s.StateMachineSerializer, **ERRORS})
    def get(self, request, name):
        return Response(s.StateMachineSerializer(self.get_machine()).data)

    @extend_schema(request=s.StateMachineUpdateSerializer,
                   responses={200: s.StateMachineSerializer, **ERRORS})
    def patch(self, request, name):
        machine = self.get_machine()
        data = s.StateMachineUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        machines.update(machine, definition=data.validated_data.get("definition"),
                        type_=data.validated_data.get("type"),
                        substitutions=data.validated_data.get("definitionSubstitutions"),
                        example_input=data.validated_data.get("example_input",
                                                              machines.UNCHANGED))
        machine.refresh_from_db()
        return Response(s.StateMachineSerializer(machine).data)

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request, name):
        machines.delete(self.get_machine())
        return Response(status=status.HTTP_204_NO_CONTENT)


class StateMachineValidateView(ApiMixin, MachineMixin, APIView):
    @extend_schema(request=None, responses={200: s.ValidateResponseSerializer, **ERRORS})
    def post(self, request, name):
        machine = self.get_machine()
        return Response(validation_result(machine.definition_text or machine.definition,
                                          machine.type))


class VersionListView(ApiMixin, MachineMixin, generics.ListAPIView):
    serializer_class = s.VersionSerializer
    pagination_class = VersionPagination

    def get_queryset(self):
        return self.get_machine().versions.all()

    @extend_schema(responses={200: s.VersionSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.VersionCreateSerializer,
                   responses={201: s.VersionSerializer, 200: s.VersionSerializer, **ERRORS})
    def post(self, request, name):
        machine = self.get_machine()
        data = s.VersionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            if "definition" in data.validated_data:
                # docs/api.md: a definition given here is also saved as the current one.
                machines.update(machine, definition=data.validated_data["definition"])
            latest = machine.latest_version
            version = machines.publish_version(machine, data.validated_data["description"])
        # Nothing changed since the latest version: that version again (as AWS), with 200.
        reused = latest is not None and version.pk == latest.pk
        return Response(s.VersionSerializer(version).data,
                        status=status.HTTP_200_OK if reused else status.HTTP_201_CREATED)


class VersionDetailView(ApiMixin, MachineMixin, APIView):
    @extend_schema(parameters=[OpenApiParameter("version", int, OpenApiParameter.PATH)],
                   responses={200: s.VersionSerializer, **ERRORS})
    def get(self, request, name, version):
        # The URL takes any segment so that a non-number is our JSON 404, not Django's page.
        number = (int(version) if version.isascii() and version.isdigit() and len(version) < 10
                  else None)
        found = get_object_or_404(self.get_machine().versions, version=number)
        return Response(s.VersionSerializer(found).data)


class StartExecutionView(ApiMixin, MachineMixin, APIView):
    @extend_schema(request=s.StartExecutionSerializer,
                   responses={201: s.StartedExecutionSerializer, **ERRORS,
                              429: s.ErrorSerializer})
    def post(self, request, name):
        machine = self.get_machine()
        data = s.StartExecutionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            start_limits.admit(request.user, machine)
        except start_limits.Refused as refused:
            if refused.retry_after is not None:
                raise exceptions.Throttled(refused.retry_after) from None  # 429, Retry-After
            raise errors.from_aws(refused.code, refused.message) from None
        # As JSON text: services reads a str as JSON text (the AWS form), and REST input may
        # itself be a JSON string value.
        execution = service_call(services.start_execution, machine,
                                 json.dumps(data.validated_data["input"]),
                                 data.validated_data.get("name"),
                                 substitutions=data.validated_data.get("definitionSubstitutions"))
        return Response({"id": str(execution.id), "name": execution.name,
                         "status": execution.status, "url": f"/executions/{execution.id}/"},
                        status=status.HTTP_201_CREATED)


# -- executions -------------------------------------------------------------------------

class ExecutionListView(ApiMixin, generics.ListAPIView):
    serializer_class = s.ExecutionSerializer
    pagination_class = ExecutionPagination

    @extend_schema(parameters=[s.ExecutionFilterSerializer],
                   responses={200: s.ExecutionSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # A plain dict, not the QueryDict: DRF reads "?status=" from a QueryDict as "absent".
        filters = s.ExecutionFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        # A map run's children are listed with their map run (the parent's detail), not here.
        queryset = permissions.executions(self.request.user).filter(
            map_run__isnull=True).select_related("parent_execution__state_machine")
        if "state_machine" in filters.validated_data:
            # By name in the caller's namespace; staff filter across owners by name.
            queryset = queryset.filter(state_machine__name=filters.validated_data["state_machine"])
            if not self.request.user.is_staff:
                queryset = queryset.filter(state_machine__owner=self.request.user)
        if "status" in filters.validated_data:
            queryset = queryset.filter(status=filters.validated_data["status"])
        return queryset


# Execution ids are UUIDs; the URL takes any segment (see get_execution), the schema says so.
execution_id_schema = extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])


class ExecutionMixin:
    def get_execution(self):
        # The URL takes any segment so that a malformed id is our JSON 404, not Django's page.
        try:
            execution_id = uuid.UUID(self.kwargs["id"])
        except ValueError:
            raise errors.ApiError("not_found", "No such execution.") from None
        return get_object_or_404(permissions.executions(self.request.user), id=execution_id)


@execution_id_schema
class ExecutionDetailView(ApiMixin, ExecutionMixin, APIView):
    @extend_schema(responses={200: s.ExecutionDetailSerializer, **ERRORS})
    def get(self, request, id):
        return Response(s.ExecutionDetailSerializer(self.get_execution()).data)


@execution_id_schema
class StopExecutionView(ApiMixin, ExecutionMixin, APIView):
    @extend_schema(request=s.StopSerializer, responses={200: s.ExecutionSerializer, **ERRORS})
    def post(self, request, id):
        execution = self.get_execution()
        data = s.StopSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if execution.status != ExecutionStatus.RUNNING:
            raise errors.ApiError("execution_not_running",
                                  f"Execution is {execution.status}, not RUNNING.")
        execution = service_call(services.stop_execution, execution,
                                 data.validated_data["error"], data.validated_data["cause"])
        return Response(s.ExecutionSerializer(execution).data)


@execution_id_schema
class RedriveExecutionView(ApiMixin, ExecutionMixin, APIView):
    @extend_schema(request=None, responses={200: s.ExecutionSerializer, **ERRORS})
    def post(self, request, id):
        execution = service_call(services.redrive_execution, self.get_execution())
        return Response(s.ExecutionSerializer(execution).data)


@execution_id_schema
class HistoryView(ApiMixin, ExecutionMixin, APIView):
    @extend_schema(parameters=[s.HistoryQuerySerializer],
                   responses={200: s.HistorySerializer, **ERRORS})
    def get(self, request, id):
        execution = self.get_execution()
        query = s.HistoryQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        limit = query.validated_data["limit"]
        after = query.validated_data.get("after", 0)
        reverse = query.validated_data["order"] == "desc"
        # One more than asked: tells whether there is a next page without a COUNT.
        events = services.get_execution_history(execution, after=after, limit=limit + 1,
                                                reverse=reverse)
        more = len(events) > limit
        events = events[:limit]
        return Response({"events": events, "next_after": events[-1]["id"] if more else None})


# -- task tokens ------------------------------------------------------------------------

class TaskTokenView(ApiMixin, APIView):
    """Base of the three callbacks: the token must belong to the caller's execution."""

    serializer_class = s.TaskHeartbeatSerializer

    def authorised(self, request):
        data = self.serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        owner = permissions.token_owner_id(data.validated_data["token"])
        if owner is not None and owner != request.user.pk and not request.user.is_staff:
            raise errors.ApiError("task_does_not_exist", "Task does not exist")
        return data.validated_data


class TaskSuccessView(TaskTokenView):
    serializer_class = s.TaskSuccessSerializer

    @extend_schema(request=s.TaskSuccessSerializer, responses={200: s.EmptySerializer, **ERRORS})
    def post(self, request):
        v = self.authorised(request)
        service_call(services.send_task_success, v["token"], json.dumps(v["output"]))
        return Response({})


class TaskFailureView(TaskTokenView):
    serializer_class = s.TaskFailureSerializer

    @extend_schema(request=s.TaskFailureSerializer, responses={200: s.EmptySerializer, **ERRORS})
    def post(self, request):
        v = self.authorised(request)
        service_call(services.send_task_failure, v["token"], v["error"], v["cause"])
        return Response({})


class TaskHeartbeatView(TaskTokenView):
    serializer_class = s.TaskHeartbeatSerializer

    @extend_schema(request=s.TaskHeartbeatSerializer,
                   responses={200: s.EmptySerializer, **ERRORS})
    def post(self, request):
        v = self.authorised(request)
        service_call(services.send_task_heartbeat, v["token"])
        return Response({})


# -- activities -------------------------------------------------------------------------

class ActivityListView(ApiMixin, generics.ListAPIView):
    serializer_class = s.ActivitySerializer
    pagination_class = NamePagination

    def get_queryset(self):
        return permissions.activities(self.request.user)

    @extend_schema(responses={200: s.ActivitySerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.ActivitySerializer, responses={201: s.ActivitySerializer, **ERRORS})
    def post(self, request):
        data = s.ActivitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name = data.validated_data["name"]
        machines.check_name(name)
        if permissions.activities(request.user).filter(name=name).exists():
            raise errors.ApiError("already_exists", f"Activity '{name}' already exists.")
        activity = data.save(owner=request.user)
        return Response(s.ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(ApiMixin, generics.RetrieveDestroyAPIView):
    serializer_class = s.ActivitySerializer
    lookup_field = "name"

    def get_queryset(self):
        return permissions.activities(self.request.user)

    @extend_schema(responses={200: s.ActivitySerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request, *args, **kwargs):
        return super().delete(request, *args, **kwargs)

