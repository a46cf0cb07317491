# Placeholder: the live-view engineer adds /ws/executions/<id>/ here.
websocket_urlpatterns = []
