# A talk's follow-up and a stödplan item can be marked done, with who and when ("Idag");
# a stödplan item gets a public code, so it can be edited by a URL without its integer key.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def give_plan_items_codes(apps, schema_editor):
    SupportPlanItem = apps.get_model("contacts", "SupportPlanItem")
    if schema_editor.connection.vendor == "postgresql":
        # One statement rather than a save per row (a national dataset has many items).
        schema_editor.execute("UPDATE contacts_supportplanitem SET code = gen_random_uuid() WHERE code IS NULL")
        return
    for item in SupportPlanItem.objects.filter(code__isnull=True).only("pk").iterator():
        SupportPlanItem.objects.filter(pk=item.pk).update(code=uuid.uuid4())


def date_done_items(apps, schema_editor):
    """Items marked done before who and when were kept: their last change is the best date known."""
    SupportPlanItem = apps.get_model("contacts", "SupportPlanItem")
    SupportPlanItem.objects.filter(done=True, done_at__isnull=True).update(done_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0013_partner_retired_exemption_minutes_and_reminder"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="talk",
            name="follow_up_done_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="follow-up done"),
        ),
        migrations.AddField(
            model_name="talk",
            name="follow_up_done_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="talk",
            constraint=models.CheckConstraint(
                condition=models.Q(("follow_up_done_at__isnull", True), ("follow_up_done_by__isnull", True))
                | models.Q(("follow_up_done_at__isnull", False), ("follow_up_on__isnull", False)),
                name="contacts_talk_follow_up_done_has_date",
            ),
        ),
        migrations.AddIndex(
            model_name="talk",
            index=models.Index(
                condition=models.Q(("follow_up_done_at__isnull", True), ("follow_up_on__isnull", False)),
                fields=["consultant", "follow_up_on"],
                name="contacts_talk_followup_idx",
            ),
        ),
        migrations.AddField(
            model_name="supportplanitem",
            name="done_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="done at"),
        ),
        migrations.AddField(
            model_name="supportplanitem",
            name="done_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(date_done_items, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="supportplanitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("done", True)) | models.Q(("done_at__isnull", True), ("done_by__isnull", True)),
                name="contacts_planitem_done_when_marked",
            ),
        ),
        migrations.AddField(
            model_name="supportplanitem",
            name="code",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_plan_items_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="supportplanitem",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
