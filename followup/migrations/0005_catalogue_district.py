"""The survey's district field, and "Annat:" rows answered by their text alone (issue 11)."""

from django.db import migrations, models
from django.db.models import Q

# The "Annat:" rows of followup.catalogue (RowKind.OTHER_TEXT), fixed as of this migration.
OTHER_TEXT_ROWS = ("1.7", "6.9", "8.13", "9.3", "10.4", "14.4")


def other_rows_answered_by_their_text(apps, schema_editor):  # type: ignore[no-untyped-def]
    """An "Annat:" row is its own prompt: with a text it is answered "ja", without one it
    was never answered (a bare Ja/Nej there said nothing)."""
    responses = apps.get_model("followup", "CatalogueResponse").objects.filter(item_code__in=OTHER_TEXT_ROWS)
    responses.filter(text__regex=r"^\s*$").delete()
    responses.filter(~Q(answer="ja")).update(answer="ja")


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0004_report_kind_command_line"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportcatalogue",
            name="district",
            field=models.CharField(blank=True, max_length=200, verbose_name="district administration"),
        ),
        migrations.RunPython(other_rows_answered_by_their_text, migrations.RunPython.noop),
    ]
