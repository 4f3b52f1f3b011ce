"""The SOC-13 instrument (Antonovsky's Sense of Coherence, Swedish KASAM-13) as data.

Only the structure ships: the item texts are under licence, so each municipality enters
them under its own (Instrument.licence_note). Answers run 1-7; items 1, 2, 3, 7 and 10
are worded the other way round and scored 8 - answer, which gives a total of 13-91.
"""

from django.db import migrations

CODE = "soc13"
SCALE_MIN, SCALE_MAX = 1, 7
ITEM_COUNT = 13
REVERSED = {1, 2, 3, 7, 10}
# (code, name, items): every item belongs to exactly one sub-scale.
SUBSCALES = [
    ("comprehensibility", "Begriplighet", [2, 6, 8, 9, 11]),
    ("manageability", "Hanterbarhet", [3, 5, 10, 13]),
    ("meaningfulness", "Meningsfullhet", [1, 4, 7, 12]),
]
LICENCE_NOTE = (
    "The item texts are not included: KASAM / SOC-13 is used under licence. "
    "Enter the texts of the version your municipality holds a licence for."
)


def create_soc13(apps, schema_editor):
    Instrument = apps.get_model("contacts", "Instrument")
    InstrumentSubscale = apps.get_model("contacts", "InstrumentSubscale")
    InstrumentItem = apps.get_model("contacts", "InstrumentItem")

    instrument = Instrument.objects.create(
        code=CODE, name="KASAM / SOC-13", scale_min=SCALE_MIN, scale_max=SCALE_MAX, licence_note=LICENCE_NOTE
    )
    subscale_of = {}
    for code, name, numbers in SUBSCALES:
        subscale = InstrumentSubscale.objects.create(instrument=instrument, code=code, name=name)
        subscale_of.update(dict.fromkeys(numbers, subscale))
    InstrumentItem.objects.bulk_create(
        InstrumentItem(
            instrument=instrument, number=number, text="", reversed=number in REVERSED, subscale=subscale_of[number]
        )
        for number in range(1, ITEM_COUNT + 1)
    )


def delete_soc13(apps, schema_editor):
    Instrument = apps.get_model("contacts", "Instrument")
    InstrumentSubscale = apps.get_model("contacts", "InstrumentSubscale")
    InstrumentItem = apps.get_model("contacts", "InstrumentItem")

    # Items before sub-scales: an item protects its sub-scale. Recorded measurements
    # protect the instrument and its items, so reversing never deletes anyone's answers.
    InstrumentItem.objects.filter(instrument__code=CODE).delete()
    InstrumentSubscale.objects.filter(instrument__code=CODE).delete()
    Instrument.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(create_soc13, delete_soc13)]
