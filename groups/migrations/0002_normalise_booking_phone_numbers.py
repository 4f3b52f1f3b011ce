"""Bookings store their phone number in one written form and key it by its E.164 form
(issue 12), so the
same person booked in different formats ("070-…", "+46 70 …", "0046…") counts once.

Rows are rewritten with the functions the code uses now. A row whose new key would make
it a second active booking of the same person and session keeps its old key: the
migration never cancels a booking; staff see both rows under the same number.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

ACTIVE = ("unverified", "confirmed", "waitlisted")


def normalise(apps: Any, schema_editor: Any) -> None:
    from django.core.exceptions import ValidationError

    from anhorigstod.lib.phone import phone_display, phone_normalise
    from groups.services.booking import phone_key

    Booking = apps.get_model("groups", "Booking")
    rows = Booking.objects.exclude(phone="").only("pk", "session_id", "status", "phone", "person_key")
    for booking in rows.order_by("pk").iterator(chunk_size=2000):
        try:
            number = phone_normalise(booking.phone)
        except ValidationError:
            continue  # not a phone number: left as it was typed
        fields = {"phone": phone_display(number)}
        key = phone_key(number)
        if booking.person_key.startswith("tel:") and key != booking.person_key:
            clash = (
                booking.status in ACTIVE
                and Booking.objects.filter(session_id=booking.session_id, person_key=key, status__in=ACTIVE)
                .exclude(pk=booking.pk)
                .exists()
            )
            if not clash:
                fields["person_key"] = key
        Booking.objects.filter(pk=booking.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
