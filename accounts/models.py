from django.conf import settings
from django.db import models


class AccessKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class AccessKey(models.Model):
    """An access key id + secret that a user's AWS SDK signs requests with (SigV4).

    The secret is stored as issued, not hashed: SigV4 is an HMAC scheme, so the server must
    compute HMAC(secret, request) itself and a one-way hash of the secret cannot do that
    (AWS holds its secrets the same way). It is shown to the user once, never listed again,
    and kept out of the admin; revoking a key is the remedy for a leak.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="access_keys")
    key_id = models.CharField(max_length=20, unique=True)  # unique: the SigV4 lookup
    secret = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.key_id} ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
