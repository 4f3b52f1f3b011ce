"""Loggkontroll tells "opened the record" from "listed on a page" (issue 12).

Rows written before cannot be told apart: the log is append-only (the trigger of 0002
refuses updates), so they keep ``listed = false`` and read as openings. Adding a column
with a default updates no row, so the trigger is not involved.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_privileged_retention_delete'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslog',
            name='listed',
            field=models.BooleanField(db_default=False, default=False, verbose_name='listed on a page'),
        ),
    ]
