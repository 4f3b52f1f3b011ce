"""The self-assessment's "carers take part in shaping the support" moves from delaktighet.6
to styrning.6; delaktighet.6 is now the survey's questions 13-14 (issue 11). Answers
already given keep their meaning by moving with it."""

from django.db import migrations


def move(apps, schema_editor, *, old: str, new: str):  # type: ignore[no-untyped-def]
    apps.get_model("followup", "AssessmentAnswer").objects.filter(indicator_code=old).update(indicator_code=new)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0005_catalogue_district"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: move(apps, editor, old="delaktighet.6", new="styrning.6"),
            lambda apps, editor: move(apps, editor, old="styrning.6", new="delaktighet.6"),
        ),
    ]
