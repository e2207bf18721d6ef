from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "rcm.practice"
    label = "practice"
    verbose_name = "Practices and setup"
