"""Create the demo organisation and everything it shows, and print the logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from peerwork.demo import seed
from peerwork.demo.people import DEMO_PASSWORD, login_rows

WHAT_TO_SEE = """\
What to look at (each login sees what its role may see):
  manager    Readiness assessments: this year's round and last year's (trend, action plan);
             Roles: the designed role, its checks and pay check, job description, onboarding plan;
             Impact log; Surveys: the Model 4 impact survey, three waves
  peer       Roles (your role, confirm documents); Impact log; the national organisation's
             survey results and "where do I stand"; Analysis: code the interviews
  colleague  Assessments; Roles; Impact log; Analysis: validate (comments)
  analyst    National benchmark; the national survey (results, trends, exports);
             Analysis: the project's lead (all four STC steps, agreement, report)
  orgadmin   Members and the audit trail (no access to the analysis project: not in its team)"""


class Command(BaseCommand):
    help = "Create the demo organisation (a municipal mental health and substance use service)."

    def handle(self, *args: Any, **options: Any) -> None:
        cast = seed()
        self.stdout.write(self.style.SUCCESS(f"Demo organisation: {cast.organisation.name}"))
        self.stdout.write(f"Open {settings.SITE_URL}/ and log in.")
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}")
        for email, label in login_rows():
            self.stdout.write(f"  {email:34} {label}")
        self.stdout.write("National analysts and administrators set up two-factor "
                          "authentication at their first login.")
        self.stdout.write(WHAT_TO_SEE)
