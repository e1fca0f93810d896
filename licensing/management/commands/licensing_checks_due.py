"""manage.py licensing_checks_due: email every licensing officer the DBS
and CSE training checks overdue or falling due in the coming week.

Run daily by cron or a systemd timer (README, "Scheduled jobs"). The email
carries licence numbers and what is due, never names: an email travels
further than the product's pages."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from accounts.roles import LICENSING_OFFICER
from licensing.compliance import compliance_missing
from licensing.selectors import checks_due_within

WEEK = 7


def checks_due_text(*, drivers: list, today) -> str:
    overdue = [d for d in drivers if d.compliance == "not_compliant"]
    due = [d for d in drivers if d.compliance != "not_compliant"]
    lines = [f"Licensing checks as of {today:%d %b %Y}.", ""]
    lines.append(f"Overdue or missing ({len(overdue)}):")
    lines += [
        f"  {d.licence_number}: {d.days_overdue} days overdue — "
        + "; ".join(compliance_missing(d))
        for d in overdue
    ] or ["  none"]
    lines += ["", f"Falling due within {WEEK} days ({len(due)}):"]
    lines += [
        f"  {d.licence_number}: next check {d.next_due:%d %b %Y}" for d in due
    ] or ["  none"]
    lines += ["", f"The register: {settings.SITE_URL}{reverse('licensing:drivers')}"]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Email licensing officers the week's due and overdue DBS and training checks."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        drivers = list(
            checks_due_within(days=WEEK, today=today)
            .filter(status="active")
            .order_by("-days_overdue", "next_due", "licence_number")
        )
        officers = (
            get_user_model()
            .objects.filter(groups__name=LICENSING_OFFICER, is_active=True)
            .exclude(email="")
            .distinct()
        )
        if not drivers:
            self.stdout.write("No checks due or overdue: no email sent.")
            return
        body = checks_due_text(drivers=drivers, today=today)
        sent = 0
        for officer in officers:
            sent += send_mail(
                subject=f"Licensing: {len(drivers)} DBS and training checks due or overdue",
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[officer.email],
            )
        self.stdout.write(f"{len(drivers)} checks due or overdue; {sent} emails sent.")
