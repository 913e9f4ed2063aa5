"""Create the login of an integration (Jira, an HRIS sync) and print its API token once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from departments.actors import SYSTEM
from departments.errors import DomainError
from departments.services import integration_create, integration_rotate


class Command(BaseCommand):
    help = (
        "Create an integration login NAME (group Integrations, no password) and print its "
        "API token, once, alone on standard output: TOKEN=$(manage.py create_integration "
        "NAME). An existing NAME is refused; with --rotate its token is replaced (the old "
        "one stops working) and the login reactivated. HR can do the same in the admin "
        "(Integration logins)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The login's username, e.g. jira-automation.")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="If NAME exists, replace its token (the old one stops working).",
        )

    def handle(self, *args, name: str, rotate: bool, **options):
        existing = get_user_model().objects.filter(username=name.strip()).first()
        try:
            if existing is None:
                login, key = integration_create(
                    actor=SYSTEM, name=name, note="manage.py create_integration"
                )
                done = "created"
            elif rotate:
                login, key = existing, integration_rotate(actor=SYSTEM, login=existing)
                done = "given a new token (the old one no longer works)"
            else:
                raise CommandError(
                    f"A login named {existing.username!r} already exists. Run again with "
                    "--rotate to replace its token (the old one stops working)."
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"Integration login {login.username!r} {done}. Its token, shown only this once, "
            "goes in each request as `Authorization: Token <token>`:"
        )
        self.stdout.write(key)
