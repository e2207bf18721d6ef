from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "rcm.files"
    label = "files"
    verbose_name = "Exchanged files"
