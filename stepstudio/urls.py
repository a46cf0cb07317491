from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from stepstudio import views

# A database outage answers 503 in the caller's error shape; other errors Django's 500 page.
handler500 = "stepstudio.http.outage.server_error"

urlpatterns = [
    # First, so that engine.urls' "" (the AWS protocol) cannot shadow GET /; see views.root.
    path("", views.root, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("admin/", admin.site.urls),
    path("", include("designer.urls")),
    path("", include("engine.urls")),
]
