from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "rcm.web"
    label = "web"
    verbose_name = "Web shell"
