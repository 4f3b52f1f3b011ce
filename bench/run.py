#!/usr/bin/env python
"""Response-time benchmark of the staff and public pages.

Builds a dataset in a scratch database (a fresh SQLite file, or ``test_<name>`` on the
PostgreSQL server named by ``DATABASE_URL``), then requests each page repeatedly through
Django's test client and prints the median and 95th percentile, and the query count.

    make bench                      # SQLite
    DATABASE_URL=postgres://... make bench
    python bench/run.py --municipalities 290 --repeat 200
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--municipalities", type=int, default=290, help="municipalities (Sweden has 290)")
    parser.add_argument("--units", type=int, default=8, help="units per municipality")
    parser.add_argument("--staff", type=int, default=6, help="staff per unit")
    parser.add_argument("--repeat", type=int, default=100, help="requests per page")
    args = parser.parse_args()

    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        user = _build(args)
        consultant, carer_code = _build_casework()
        _measure(user, consultant, carer_code, args.repeat, connection, CaptureQueriesContext)
    finally:
        runner.teardown_databases(old_config)


def _build(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from allauth.mfa.totp.internal.auth import TOTP

    from anhorigstod.accounts.models import Membership, Municipality, Role, Unit, User

    started = time.perf_counter()
    municipalities = Municipality.objects.bulk_create(
        Municipality(name=f"Kommun {n}", kommunkod=f"{n:04d}") for n in range(1, args.municipalities + 1)
    )
    units = Unit.objects.bulk_create(
        Unit(municipality=m, name=f"Enhet {i}", code=f"u-{m.kommunkod}-{i}")
        for m in municipalities
        for i in range(args.units)
    )
    users = User.objects.bulk_create(
        User(email=f"staff{n}@bench.example", full_name=f"Personal {n}", password="!")  # noqa: S106
        for n in range(len(units) * args.staff)
    )
    Membership.objects.bulk_create(
        Membership(
            user=users[n], unit=units[n // args.staff], role=Role.ADMIN if n % args.staff == 0 else Role.CONSULTANT
        )
        for n in range(len(users))
    )
    admin = users[0]
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    print(
        f"dataset: {len(municipalities)} municipalities, {len(units)} units, {len(users)} staff "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return admin


def _build_casework():  # type: ignore[no-untyped-def]
    """The demo year of casework and groups (about 2,350 talks, 600 carers, 15 activities)."""
    from allauth.mfa.totp.internal.auth import TOTP

    from anhorigstod.accounts.demo import seed_organisation
    from anhorigstod.accounts.models import User
    from contacts.demo import seed_contacts
    from contacts.models import Carer
    from groups.demo import seed_groups

    started = time.perf_counter()
    seed_organisation(with_passwords=False)
    seed_contacts()
    seed_groups()
    consultant = User.objects.get(email="konsulent.norra@angsvik.example")
    TOTP.activate(consultant, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    carer = Carer.objects.filter(unit__code="angsvik-norra").order_by("-last_entry_at").first()
    print(f"casework: the demo year ({time.perf_counter() - started:.1f} s)")
    return consultant, carer.code


def _measure(user, consultant, carer_code, repeat: int, connection, capture) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    pages = {
        "public start page (/)": ("/", None),
        "municipality page": ("/kommun/0001/", None),
        "public calendar": ("/kalender/", None),
        "Idag (staff start page)": ("/idag/", user),
        "staff list (admin)": ("/personal/", user),
        "carer list": ("/anhoriga/", consultant),
        "talk list": ("/samtal/", consultant),
        "talk list, filtered": ("/samtal/?anonymous=false&talk_type=advice", consultant),
        "carer page": (f"/anhoriga/{carer_code}/", consultant),
        "activities (staff)": ("/aktiviteter/", consultant),
    }
    print(f"{'page':<28} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for name, (url, who) in pages.items():
        client = Client()
        if who is not None:
            client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        client.get(url)  # warm up
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with capture(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:<28} {statistics.median(timings):>10.1f} {p95:>10.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
