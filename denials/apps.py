from django.apps import AppConfig


class DenialsConfig(AppConfig):
    name = "denials"
    label = "denials"
    verbose_name = "Remittances and denials"

    def ready(self) -> None:
        from claims.reason_filter import reason_source_register
        from denials.selectors import claims_remitted_with_reason

        # The claims queues find claims by denial reason without importing this app.
        reason_source_register(claims_remitted_with_reason)
