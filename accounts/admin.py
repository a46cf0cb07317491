from django.contrib import admin

from .models import AccessKey


@admin.register(AccessKey)
class AccessKeyAdmin(admin.ModelAdmin):
    # The secret is deliberately absent: the admin lists keys, it never reveals them.
    list_display = ("key_id", "user", "description", "created", "last_used", "revoked_at")
    fields = ("key_id", "user", "description", "created", "last_used", "revoked_at")
    readonly_fields = ("key_id", "user", "created", "last_used")
    search_fields = ("key_id", "user__username")
    list_filter = ("revoked_at",)

    def has_add_permission(self, request):
        return False  # keys are issued through accounts.keys so the secret is shown once
