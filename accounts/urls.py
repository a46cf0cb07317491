from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("keys/", views.key_list, name="keys"),
    path("keys/<str:key_id>/revoke/", views.key_revoke, name="key-revoke"),
]
