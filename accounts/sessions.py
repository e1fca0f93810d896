"""Database sessions stored with their user's id (accounts.models.UserSession).

Django's own session table holds only opaque data, so finding one user's
sessions means decoding every row; with the user's id in an indexed column,
deactivating a user ends their sessions with one DELETE.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBSessionStore


class SessionStore(DBSessionStore):
    @classmethod
    def get_model_class(cls):
        # models.py and this module name each other, as Django's own session
        # engines and their models do (django.contrib.sessions): the one
        # import cycle left on purpose (docs/architecture.md), each side
        # importing the other inside a method.
        from .models import UserSession

        return UserSession

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            obj.user_id = None
        return obj
