"""Sent by people.services when a link is written (inside the transaction).
Higher floors listen (safeguarding: safety-plan alerts).

link_written(sender, link, records): a link now rests on these records.
"""

from django.dispatch import Signal

link_written = Signal()
