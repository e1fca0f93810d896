"""Background jobs (procrastinate, on PostgreSQL: no other broker). The
worker runs beside the web server (`make run`; `manage.py procrastinate
worker` in production); several workers may run, the jobs are idempotent."""

from procrastinate.contrib.django import app

from . import due, services


@app.task(name="notifications.email", queue="notifications", retry=5)
def notification_email(*, notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


# Every 15 minutes: flags and records coming due, and legal clocks about to
# run out (a closure notice lasts 24 hours, so hourly would be too coarse).
# The queueing lock keeps one scan queued at a time.
@app.periodic(cron="*/15 * * * *", periodic_id="notifications-due")
@app.task(
    name="notifications.due",
    queue="notifications",
    queueing_lock="notifications-due",
    pass_context=False,
)
def notifications_due(timestamp: int) -> dict[str, int]:
    return due.notifications_generate_due()
