from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "rcm.web"
    label = "web"
    verbose_name = "Web shell"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from rcm.web.middleware import session_stamp_at_sign_in

        # Session bookkeeping, not business logic: every way of signing in (the page, the
        # admin's login, the tests' force_login) goes through django.contrib.auth.login.
        user_logged_in.connect(session_stamp_at_sign_in, dispatch_uid="rcm-session-stamp")
