"""The access log's own retention: on PostgreSQL the trigger still refuses every update
and every delete, except a delete made by the retention path (audit.services.
access_log_cull), which first sets two transaction-local settings: that it is the cull,
and the moment before which rows may go. Anything else, raw SQL included, is refused."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
        AND current_setting('anhorigstod.access_log_cull', true) = 'on'
        AND OLD.at < NULLIF(current_setting('anhorigstod.access_log_cull_before', true), '')::timestamptz
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forward, backward)]
