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
        user = User.objects.filter(username=username).first()
        if user is not None and user.has_usable_password():
            self.stdout.write(
                f"The login '{username}' exists already (its password was printed when it was "
                f"created). To set a new one: python manage.py changepassword {username}")
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            User.objects.create_superuser(username=username, email="", password=password)
        else:
            # Created without a password by something that needed an owner (e.g. sample
            # loading): nobody can log in as it yet, so this is still the first login.
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
        self.stdout.write(self.style.SUCCESS(
            f"Created a login for StepStudio (shown only this once):\n"
            f"    user:     {username}\n"
            f"    password: {password}"))
