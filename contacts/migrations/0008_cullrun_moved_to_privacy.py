"""The retention job's run record moves to the platform's register of personal data
(anhorigstod.privacy): the past runs are copied over (counts and cut-off only, as before),
then the old table goes."""

from django.db import migrations


def copy_runs(apps, schema_editor):
    old = apps.get_model("contacts", "CullRun")
    new = apps.get_model("privacy", "CullRun")
    for run in old.objects.order_by("pk").iterator():
        copied = new.objects.create(
            municipality_id=run.municipality_id,
            dry_run=run.dry_run,
            cutoff=run.cutoff,
            cutoffs={"carer_records": run.cutoff.isoformat()},
            counts=run.counts,
        )
        # ran_at is auto_now_add: set the original moment afterwards.
        new.objects.filter(pk=copied.pk).update(ran_at=run.ran_at)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0007_talk_anonymous_index"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_runs, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="CullRun"),
    ]
