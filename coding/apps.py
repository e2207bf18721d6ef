from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "coding"
    label = "coding"
    verbose_name = "Coding"
