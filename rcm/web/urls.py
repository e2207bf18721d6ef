"""URLs of the web shell: sign in and out, home pages per role, health."""

from django.contrib.auth import views as auth_views
from django.urls import path

from rcm.web import two_factor, views
from rcm.web.forms import LockedAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LockedAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("login/verify/", two_factor.two_factor_verify, name="two-factor-verify"),
    path("security/", two_factor.security, name="security"),
    path("security/two-factor/", two_factor.two_factor_enrol, name="two-factor-enrol"),
    path("scope/", views.practice_scope_set, name="practice-scope"),
    path("health/", views.health, name="health"),
]
