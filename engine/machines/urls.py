from django.urls import path

from . import views

urlpatterns = [
    # Also at "/" (stepstudio.views.root): the home page after login.
    path("state-machines/", views.machine_list, name="state-machines"),
    path("state-machines/new/", views.machine_create, name="state-machine-create"),
    path("state-machines/samples/", views.load_samples, name="state-machine-samples"),
    path("state-machines/<str:name>/delete/", views.machine_delete,
         name="state-machine-delete"),
]
