"""The operator's admin never lists API tokens: their keys are credentials."""

from __future__ import annotations

from django.contrib import admin
from rest_framework.authtoken.models import Token, TokenProxy

for model in (Token, TokenProxy):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
