"""DRF's own API tokens are kept in plain text and never expire: every one of
them is removed, with its table. Their holders issue a new, scoped token at
/accounts/tokens/ (README: Sign-in and production)."""

from django.db import migrations

DROP = """
DROP TABLE IF EXISTS authtoken_token CASCADE;
-- knox's own token table, made by its migrations although the product's
-- tokens are accounts.ApiToken (KNOX_TOKEN_MODEL): never used, and its key
-- to auth_user would stop a flush of the users.
DROP TABLE IF EXISTS knox_authtoken CASCADE;
-- So that adding rest_framework.authtoken again would create the table anew.
DELETE FROM django_migrations WHERE app = 'authtoken';
DELETE FROM auth_group_permissions WHERE permission_id IN
    (SELECT p.id FROM auth_permission p JOIN django_content_type c
     ON c.id = p.content_type_id WHERE c.app_label = 'authtoken');
DELETE FROM auth_user_user_permissions WHERE permission_id IN
    (SELECT p.id FROM auth_permission p JOIN django_content_type c
     ON c.id = p.content_type_id WHERE c.app_label = 'authtoken');
DELETE FROM auth_permission WHERE content_type_id IN
    (SELECT id FROM django_content_type WHERE app_label = 'authtoken');
DELETE FROM django_content_type WHERE app_label = 'authtoken';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_api_tokens_and_lockouts"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunSQL(DROP, migrations.RunSQL.noop)]
