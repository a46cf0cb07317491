from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Per-user AWS-style access keys: what the Step Functions wire protocol signs with."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
