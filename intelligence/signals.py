"""Sent by the record-writing path once a record, its location links and its
mention links are written (inside the writing transaction). Higher floors
listen (safeguarding: safety-plan alerts); this floor never imports them.

record_written(sender, record): a record was created, graded, linked to a
location or had another merged into it.
"""

from django.dispatch import Signal

record_written = Signal()
