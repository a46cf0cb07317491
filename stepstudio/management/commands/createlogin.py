import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Create the first login (a superuser) with a random password and print it once; "
            "if it exists already, say so and how to reset it.")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"The login '{username}' exists already (its password was printed when it was "
                f"created). To set a new one: python manage.py changepassword {username}")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(
            f"Created a login for StepStudio (shown only this once):\n"
            f"    user:     {username}\n"
            f"    password: {password}"))
