"""Store the total score of every measurement recorded before ``Measurement.total`` existed.

The rule is the one of ``contacts.measurements``: an answer counts as its value, a
reversed item as ``scale_min + scale_max - value``, and the total is their sum. A
measurement with an answer missing keeps no total and is scored from its answers.
"""

from django.db import migrations


def fill_totals(apps, schema_editor):  # type: ignore[no-untyped-def]
    Measurement = apps.get_model("contacts", "Measurement")
    MeasurementAnswer = apps.get_model("contacts", "MeasurementAnswer")
    InstrumentItem = apps.get_model("contacts", "InstrumentItem")
    items = {item.pk: (item.instrument_id, item.reversed) for item in InstrumentItem.objects.all()}
    counts = {}
    for instrument_id, _reversed in items.values():
        counts[instrument_id] = counts.get(instrument_id, 0) + 1
    pending = list(Measurement.objects.filter(total__isnull=True).values_list("pk", "instrument_id"))
    scales = {
        instrument.pk: (instrument.scale_min, instrument.scale_max)
        for instrument in apps.get_model("contacts", "Instrument").objects.all()
    }
    for start in range(0, len(pending), 2000):
        chunk = dict(pending[start : start + 2000])
        answers = {}
        for measurement_id, item_id, value in MeasurementAnswer.objects.filter(
            measurement_id__in=list(chunk)
        ).values_list("measurement_id", "item_id", "value"):
            answers.setdefault(measurement_id, []).append((item_id, value))
        scored = []
        for measurement_id, instrument_id in chunk.items():
            given = answers.get(measurement_id, [])
            if len(given) != counts.get(instrument_id, 0):
                continue  # incomplete: scored from its answers when needed
            low, high = scales[instrument_id]
            total = sum(low + high - value if items[item_id][1] else value for item_id, value in given)
            scored.append(Measurement(pk=measurement_id, total=total))
        Measurement.objects.bulk_update(scored, ["total"])


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_measurement_total")]

    operations = [migrations.RunPython(fill_totals, migrations.RunPython.noop)]
