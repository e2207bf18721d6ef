from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    label = "claims"
    verbose_name = "Claims"
