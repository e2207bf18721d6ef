from django.apps import AppConfig


class DenialsConfig(AppConfig):
    name = "denials"
    label = "denials"
    verbose_name = "Remittances and denials"
