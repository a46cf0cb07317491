from django.urls import path

from designer import views

urlpatterns = [
    path("designer/", views.designer_new, name="designer-new"),
    path("designer/<str:name>/", views.designer_edit, name="designer-edit"),
]
