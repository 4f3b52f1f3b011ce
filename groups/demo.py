"""Demo data for groups: the activities of the demo municipalities, with sessions over the
past three months and the next two, bookings, a waitlist, attendance and head counts.

Call :func:`seed_groups` after :func:`anhorigstod.accounts.demo.seed_organisation` and
:func:`contacts.demo.seed_contacts` (the kinds of support and the partners come from there).
It adds, per team unit (Ängsvik Norra, Södra, Centrum and Sjöhaga):

- three or four activities of different kinds and registration modes, each with the kind
  of support that gives its documentation tier, target groups, purpose, KASAM dimension,
  prevention level, accessibility and co-organisers from the unit's partners;
- their sessions: past ones with attendance marked (booked activities) or a head count
  (drop-in), future ones booked through :func:`groups.services.booking.booking_create`,
  so the booking rules hold; the next mindfulness session in Södra is full and has a
  waitlist;
- applications to the closed groups, one with a logged priority change.

Past bookings cannot be made through ``booking_create`` (it refuses a session that has
started), so they are written directly as staff would have left them after marking
attendance. The data shredder then runs, as its nightly job would have: past bookings of
information and open activities keep their status and attendance but no one's name.

Booking e-mails are written to the outbox by ``booking_create``; the seeder deletes them
before its transaction commits, so the demo never mails anyone (see ``_drop_demo_emails``).

Deterministic for a given ``today`` and ``seed`` (one ``random.Random`` per unit); which
sessions count as past follows the clock. Idempotent: a unit that already has activities
gets nothing new.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from anhorigstod.accounts.models import Role, Unit, User
from anhorigstod.outbox.models import OutboxMessage
from contacts.demo import FICTION_MOBILE_PREFIX, SWEDISH_NAMES
from contacts.models import DocumentationTier, Partner, SupportKind, TargetGroup
from groups.models import (
    Activity,
    ActivityKind,
    ActivityTargetGroup,
    Application,
    Booking,
    KasamDimension,
    PreventionLevel,
    PriorityChange,
    Purpose,
    RegistrationMode,
    Session,
)
from groups.services.booking import AlreadyBooked, booking_create, person_key
from groups.services.shredder import shred_booking_data

DEMO_UNITS = ("angsvik-norra", "angsvik-sodra", "angsvik-centrum", "sjohaga-anhorig")
PLACES = {"9901": "Ängsvik", "9902": "Sjöhaga"}
DEMO_EMAIL_DOMAIN = "@mail.example"  # .example never delivers (RFC 2606)
PAST_DAYS = 91  # about three months of history
FUTURE_DAYS = 61  # about two months ahead
# The kind of support (contacts.SupportKind.code) each kind of activity counts under.
SUPPORT_KIND_FOR: dict[str, str] = {
    ActivityKind.SUPPORT_GROUP: "support_group",
    ActivityKind.COURSE: "course",
    ActivityKind.PSYCHOEDUCATION: "course",
    ActivityKind.TREATMENT: "course",
    ActivityKind.STUDY_CIRCLE: "course",
    ActivityKind.CAFE: "cafe",
    ActivityKind.LECTURE: "lecture",
    ActivityKind.HEALTH: "health_activity",
    ActivityKind.INFO_MEETING: "info_meeting",
    ActivityKind.STAFF_TRAINING: "staff_training",
}
COUNT_KEYS = (
    "activities",
    "sessions",
    "cancelled_sessions",
    "bookings",
    "waitlisted",
    "attendance_marked",
    "head_counts",
    "applications",
    "priority_changes",
    "shredded_sessions",
    "emails_dropped",
)
# Assumptions (the seed gives no numbers for groups): 85 % of those booked come, one in
# twenty cancels beforehand, one in twelve asks for respite, one in six books by phone.
ATTENDANCE_RATE = 0.85
CANCEL_RATE = 0.05
RESPITE_RATE = 0.08
PHONE_RATE = 0.16
CANCELLED_SESSION_RATE = 0.05
CANCEL_REASONS = (
    "Ledaren är sjuk; vi ses nästa gång som vanligt.",
    "Inställt på grund av halka och snöoväder.",
    "Lokalen är upptagen; träffen flyttas till nästa vecka.",
)


def weeks(first: int, last: int, every: int = 1) -> tuple[int, ...]:
    return tuple(range(first, last + 1, every))


@dataclass(frozen=True)
class DemoActivity:
    unit: str
    title: str
    description: str
    kind: str
    purpose: str
    kasam: str
    prevention: str
    targets: tuple[str, ...]
    mode: str
    capacity: int | None
    weekday: int  # 0 = Monday
    start: tuple[int, int]
    minutes: int
    weeks: tuple[int, ...]  # relative to the week of ``today`` (0), negative in the past
    place: str = ""  # {ort}: the municipality's main town
    digital_link: str = ""
    language: str = "svenska"
    hearing_loop: bool = False
    wheelchair_accessible: bool = True
    sign_language: bool = False
    easy_read: bool = False
    partners: tuple[str, ...] = ()  # the start of a partner's name in the unit's directory, {ort}
    head_counts: tuple[int, int] = (0, 0)  # drop-in: the range of people who come
    fill: tuple[float, float] = (0.5, 0.95)  # booked: the share of places taken
    full_next: bool = False  # booked: the next session is full and has a waitlist


T = TargetGroup
A = ActivityKind
P = Purpose
K = KasamDimension
L = PreventionLevel
R = RegistrationMode
MON, TUE, WED, THU, FRI = range(5)

ACTIVITIES = (
    # --- Ängsvik Norra ---------------------------------------------------
    DemoActivity(
        "angsvik-norra",
        "Samtalsgrupp för anhöriga till personer med demens",
        "En sluten samtalsgrupp för dig som lever nära någon med demenssjukdom. Vi träffas åtta gånger "
        "och samtalar utifrån teman som förändrade roller, skuld och sorg, att ta emot hjälp och att få "
        "tid för sig själv. Gruppen leds av anhörigkonsulenten tillsammans med en demenssjuksköterska. "
        "Anmäl ditt intresse, så ringer vi upp dig inför gruppstarten. Det som sägs i gruppen stannar i gruppen.",
        A.SUPPORT_GROUP,
        P.EMOTIONAL,
        K.MEANINGFULNESS,
        L.INDICATED,
        (T.DEMENTIA,),
        R.APPLICATION,
        8,
        TUE,
        (14, 0),
        120,
        weeks(-4, 3),
        place="Anhörigstödets lokal, Norrgatan 4, {ort}",
        hearing_loop=True,
        partners=("Demensförbundet",),
    ),
    DemoActivity(
        "angsvik-norra",
        "Anhörigcafé i Norra",
        "Välkommen på kaffe och samtal med andra som hjälper eller vårdar någon som står dem nära. Ingen "
        "anmälan behövs – kom när du kan och stanna så länge du vill. Anhörigkonsulenten finns alltid på "
        "plats, och ibland har vi en gäst som berättar om till exempel avlösning, hjälpmedel eller "
        "färdtjänst.",
        A.CAFE,
        P.SOCIAL,
        K.MANAGEABILITY,
        L.SELECTIVE,
        (T.ELDERLY, T.DEMENTIA, T.SOMATIC),
        R.DROP_IN,
        None,
        THU,
        (14, 0),
        120,
        weeks(-13, 9),
        place="Träffpunkt Norra, Storgatan 12, {ort}",
        partners=("Svenska kyrkan",),
        head_counts=(6, 17),
    ),
    DemoActivity(
        "angsvik-norra",
        "Att vara anhörig – om demenssjukdomar",
        "En specialistsjuksköterska från minnesmottagningen berättar om de vanligaste demenssjukdomarna, "
        "hur de påverkar vardagen och vad du som anhörig kan göra – för den du hjälper och för dig själv. "
        "Efteråt finns tid för frågor, och Demensförbundet berättar om sina anhörigträffar. "
        "Föreläsningen är kostnadsfri, men boka din plats.",
        A.LECTURE,
        P.KNOWLEDGE,
        K.COMPREHENSIBILITY,
        L.SELECTIVE,
        (T.DEMENTIA, T.ELDERLY),
        R.BOOKING,
        40,
        WED,
        (18, 0),
        90,
        (-6, 3),
        place="{ort}s bibliotek, hörsalen",
        hearing_loop=True,
        partners=("Minnesmottagningen", "Demensförbundet"),
        fill=(0.6, 0.9),
    ),
    # --- Ängsvik Södra ---------------------------------------------------
    DemoActivity(
        "angsvik-sodra",
        "Mindfulness – medveten närvaro för anhöriga",
        "Sex kvällar med enkla övningar i medveten närvaro: andning, kroppsscanning och att vara i "
        "nuet när tankarna snurrar. Övningarna går att göra hemma, också när dagen är full. Du behöver "
        "inga förkunskaper; ta med bekväma kläder. Begränsat antal platser – boka varje tillfälle.",
        A.HEALTH,
        P.RECOVERY,
        K.MANAGEABILITY,
        L.SELECTIVE,
        (T.ELDERLY, T.MENTAL, T.NPF, T.SOMATIC, T.DISABILITY),
        R.BOOKING,
        10,
        MON,
        (17, 30),
        75,
        weeks(-12, 8, 2),
        place="Södra Träffpunkten, Sjövägen 3, {ort}",
        full_next=True,
        fill=(0.7, 1.0),
    ),
    DemoActivity(
        "angsvik-sodra",
        "Må bra-promenad längs Ängsån",
        "En lugn promenad på ungefär tre kilometer i gott sällskap, med en paus för fika vid dammen. "
        "Ingen anmälan – vi samlas utanför Södra Träffpunkten. Distriktssköterskan från vårdcentralen "
        "går med första fredagen i månaden och svarar på frågor om din egen hälsa. Vägen är grusad och "
        "delvis kuperad.",
        A.HEALTH,
        P.RECOVERY,
        K.MANAGEABILITY,
        L.UNIVERSAL,
        (T.ELDERLY, T.DEMENTIA, T.SOMATIC),
        R.DROP_IN,
        None,
        FRI,
        (10, 0),
        75,
        weeks(-13, 9),
        place="Samling utanför Södra Träffpunkten, Sjövägen 3, {ort}",
        wheelchair_accessible=False,
        partners=("Vårdcentralen",),
        head_counts=(3, 11),
    ),
    DemoActivity(
        "angsvik-sodra",
        "Informationsträff: Stöd till dig som är anhörig",
        "Vad kan kommunen erbjuda dig som hjälper någon i vardagen? Vi berättar om anhörigstödets samtal "
        "och grupper, om avlösning och om din rätt att ansöka om stöd för egen del. Försäkringskassan "
        "berättar om närståendepenning och omvårdnadsbidrag. Lättläst information finns att ta med hem.",
        A.INFO_MEETING,
        P.KNOWLEDGE,
        K.COMPREHENSIBILITY,
        L.UNIVERSAL,
        (T.ELDERLY, T.DISABILITY, T.SOMATIC, T.MENTAL),
        R.BOOKING,
        25,
        TUE,
        (18, 0),
        90,
        (-10, -6, -2, 2, 6),
        place="{ort}s bibliotek, studierummet",
        hearing_loop=True,
        easy_read=True,
        partners=("Försäkringskassan",),
        fill=(0.3, 0.7),
    ),
    DemoActivity(
        "angsvik-sodra",
        "Studiecirkel: Lyssna, läs – berätta",
        "En studiecirkel med materialet ”Lyssna, läs – berätta” för dig som är anhörig. Vi läser korta "
        "texter, lyssnar på varandra och berättar om våra egna erfarenheter. Cirkeln leds av en "
        "cirkelledare från Studieförbundet Vuxenskolan och anhörigkonsulenten. Materialet får du av oss.",
        A.STUDY_CIRCLE,
        P.KNOWLEDGE,
        K.MEANINGFULNESS,
        L.SELECTIVE,
        (T.ELDERLY, T.DEMENTIA, T.SOMATIC),
        R.BOOKING,
        10,
        WED,
        (13, 0),
        120,
        weeks(-6, 6, 2),
        place="Södra Träffpunkten, Sjövägen 3, {ort}",
        partners=("Studieförbundet Vuxenskolan",),
        fill=(0.6, 0.9),
    ),
    # --- Ängsvik Centrum -------------------------------------------------
    DemoActivity(
        "angsvik-centrum",
        "Anhörigperspektiv för biståndshandläggare",
        "En halvdag för biståndshandläggare och enhetschefer om anhörigas situation och om kommunens "
        "skyldighet att erbjuda stöd till anhöriga. Hur ser vi anhöriga i utredningen, hur frågar vi om "
        "barn i familjen, och när hänvisar vi till anhörigstödet? Vi använder Socialstyrelsens "
        "utbildningsmaterial och arbetar med fall från vardagen.",
        A.STAFF_TRAINING,
        P.KNOWLEDGE,
        K.COMPREHENSIBILITY,
        L.UNIVERSAL,
        (T.ELDERLY, T.DISABILITY),
        R.BOOKING,
        30,
        MON,
        (9, 0),
        180,
        (-7, 5),
        place="Stadshuset, sammanträdesrum Ängen, {ort}",
        hearing_loop=True,
        partners=("Biståndsenheten",),
        fill=(0.5, 0.8),
    ),
    DemoActivity(
        "angsvik-centrum",
        "Digital föräldragrupp: när ditt vuxna barn mår psykiskt dåligt",
        "En digital träff varannan torsdagskväll för dig som är förälder till ett vuxet barn med psykisk "
        "ohälsa. Vi varvar korta föreläsningar om psykisk sjukdom, bemötande och egna gränser med samtal "
        "i mindre grupper. Du deltar hemifrån via länken; kameran får gärna vara avstängd.",
        A.PSYCHOEDUCATION,
        P.MASTERY,
        K.MANAGEABILITY,
        L.INDICATED,
        (T.MENTAL,),
        R.BOOKING,
        12,
        THU,
        (18, 30),
        90,
        weeks(-12, 8, 2),
        digital_link="https://mote.angsvik.example/anhorig/psykisk-ohalsa",
        partners=("Psykiatrimottagningen", "Anhörigas riksförbund"),
        fill=(0.5, 0.9),
    ),
    DemoActivity(
        "angsvik-centrum",
        "Anhörigcafé på arabiska",
        "En träff på arabiska för dig som hjälper en familjemedlem eller vän. Vi fikar, pratar om det som "
        "är svårt och får information om vilket stöd som finns i kommunen. Röda Korsets språkvänner är "
        "med, och anhörigkonsulenten har tolk. Ingen anmälan behövs.",
        A.CAFE,
        P.SOCIAL,
        K.MANAGEABILITY,
        L.SELECTIVE,
        (T.ELDERLY, T.DISABILITY, T.SOMATIC),
        R.DROP_IN,
        None,
        TUE,
        (17, 0),
        120,
        weeks(-13, 9, 2),
        place="Centrumhuset, Torggatan 1, {ort}",
        language="arabiska",
        partners=("Röda Korset",),
        head_counts=(5, 13),
    ),
    DemoActivity(
        "angsvik-centrum",
        "Kurs: Leva nära någon med stroke",
        "En kurs i fyra träffar för dig som är anhörig till någon som har fått en stroke. Sjukgymnast, "
        "arbetsterapeut och logoped från vårdcentralen berättar om vad som händer i hjärnan, om träning "
        "och hjälpmedel och om att kommunicera när orden inte räcker. Anmäl intresse – vi hör av oss.",
        A.COURSE,
        P.MASTERY,
        K.COMPREHENSIBILITY,
        L.INDICATED,
        (T.SOMATIC,),
        R.APPLICATION,
        12,
        WED,
        (15, 0),
        120,
        weeks(2, 5),
        place="Centrumhuset, Torggatan 1, {ort}",
        hearing_loop=True,
        partners=("Vårdcentralen",),
    ),
    # --- Sjöhaga ---------------------------------------------------------
    DemoActivity(
        "sjohaga-anhorig",
        "Fikaträff för anhöriga i Sjöhaga",
        "Varannan onsdag dukar vi fram kaffe och hembakat i församlingshemmet. Kom och träffa andra i "
        "samma situation, eller bara lyssna. Ingen anmälan. Diakonen och anhörigkonsulenten finns på plats.",
        A.CAFE,
        P.SOCIAL,
        K.MANAGEABILITY,
        L.SELECTIVE,
        (T.ELDERLY, T.DEMENTIA, T.SOMATIC, T.END_OF_LIFE),
        R.DROP_IN,
        None,
        WED,
        (14, 0),
        120,
        weeks(-13, 9, 2),
        place="Sjöhaga församlingshem, Kyrkvägen 2, {ort}",
        hearing_loop=True,
        partners=("Svenska kyrkan",),
        head_counts=(4, 14),
    ),
    DemoActivity(
        "sjohaga-anhorig",
        "Föreläsning: Sömn och återhämtning när du är anhörig",
        "Många anhöriga sover dåligt och har svårt att hitta tid för vila. En distriktssköterska berättar "
        "om vad som påverkar sömnen, om stress och återhämtning och om små förändringar som gör skillnad "
        "i vardagen. Föreläsningen teckenspråkstolkas.",
        A.LECTURE,
        P.RECOVERY,
        K.MANAGEABILITY,
        L.UNIVERSAL,
        (T.ELDERLY, T.DEMENTIA, T.MENTAL, T.NPF, T.DISABILITY),
        R.BOOKING,
        60,
        TUE,
        (18, 30),
        90,
        (-8, 4),
        place="Sjöhaga kulturhus, salongen, {ort}",
        hearing_loop=True,
        sign_language=True,
        partners=("Vårdcentralen",),
        fill=(0.5, 0.8),
    ),
    DemoActivity(
        "sjohaga-anhorig",
        "Vattengymnastik för anhöriga",
        "Skonsam träning i varmvattenbassängen med en sjukgymnast, följd av bastu och fika för den som "
        "vill. Passar alla, oavsett form. Boka plats; bassängen tar femton personer.",
        A.HEALTH,
        P.RECOVERY,
        K.MANAGEABILITY,
        L.SELECTIVE,
        (T.ELDERLY, T.DEMENTIA, T.DISABILITY),
        R.BOOKING,
        15,
        FRI,
        (9, 0),
        60,
        weeks(-12, 8, 2),
        place="Sjöhagabadet, varmvattenbassängen, {ort}",
        partners=("PRO",),
        fill=(0.5, 0.9),
    ),
    DemoActivity(
        "sjohaga-anhorig",
        "Bokcirkel: Tid att leva",
        "En bokcirkel för dig som lever nära någon som är svårt sjuk, eller som har mist någon. Vi läser "
        "korta texter ur ”Tid att leva” och samtalar om det som väcks. Ingen förkunskap behövs; boken "
        "lånar du av oss. Samarbete med Studieförbundet Vuxenskolan och Svenska kyrkan.",
        A.STUDY_CIRCLE,
        P.EMOTIONAL,
        K.MEANINGFULNESS,
        L.INDICATED,
        (T.END_OF_LIFE, T.BEREAVED, T.SOMATIC),
        R.APPLICATION,
        8,
        MON,
        (13, 30),
        90,
        weeks(-3, 4),
        place="Sjöhaga församlingshem, Kyrkvägen 2, {ort}",
        partners=("Studieförbundet Vuxenskolan", "Svenska kyrkan"),
    ),
)

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _aware(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_default_timezone())


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str


def _people(rng: random.Random, number: int) -> list[Person]:
    """People who take part in a unit's activities; some book by phone, without e-mail."""
    people: list[Person] = []
    emails: set[str] = set()
    phones = rng.sample(range(5, 100), number)
    while len(people) < number:
        first = rng.choice(SWEDISH_NAMES.women if rng.random() < 0.7 else SWEDISH_NAMES.men)
        last = rng.choice(SWEDISH_NAMES.surnames)
        email = f"{_ascii(first)}.{_ascii(last)}{DEMO_EMAIL_DOMAIN}"
        if email in emails:
            continue
        emails.add(email)
        phone = f"{FICTION_MOBILE_PREFIX}{phones[len(people)]:02d}"
        by_phone = rng.random() < PHONE_RATE
        people.append(Person(f"{first} {last}", "" if by_phone else email, phone if by_phone else ""))
    return people


def _person_key(person: Person) -> str:
    return person_key(email=person.email, phone=person.phone)


# --------------------------------------------------------------------------
# One unit
# --------------------------------------------------------------------------


class UnitSeeder:
    def __init__(
        self,
        *,
        unit: Unit,
        kinds: dict[str, SupportKind],
        partners: list[Partner],
        consultants: list[User],
        today: dt.date,
        now: dt.datetime,
        seed: int,
        counts: Counter[str],
    ) -> None:
        self.rng = random.Random(f"{seed}/{unit.code}/groups")  # noqa: S311 - demo data, not security
        self.unit = unit
        self.kinds = kinds
        self.partners = partners
        self.consultants = consultants
        self.today = today
        self.now = now
        self.place = PLACES.get(unit.municipality.kommunkod, "Ängsvik")
        self.counts = counts
        self.people = _people(self.rng, 60)

    def seed(self) -> None:
        for index, demo in enumerate(demo for demo in ACTIVITIES if demo.unit == self.unit.code):
            consultant = self.consultants[index % len(self.consultants)]
            activity = self._activity(demo, consultant)
            sessions = self._sessions(demo, activity)
            if demo.mode == RegistrationMode.APPLICATION:
                self._closed_group(activity, sessions, consultant)
            for session in sessions:
                if session.status == Session.Status.CANCELLED:
                    continue
                if demo.mode == RegistrationMode.DROP_IN:
                    self._head_count(demo, session)
                elif demo.mode == RegistrationMode.BOOKING:
                    self._bookings(demo, session, consultant, sessions)
            self._informed(activity, sessions)

    def _activity(self, demo: DemoActivity, consultant: User) -> Activity:
        code = SUPPORT_KIND_FOR[demo.kind]
        if code not in self.kinds:
            raise LookupError(f"The kind of support {code!r} is missing: run contacts.demo.seed_contacts() first.")
        activity = Activity.objects.create(
            code=_uuid(self.rng),
            unit=self.unit,
            title=demo.title,
            description=demo.description,
            kind=demo.kind,
            support_kind=self.kinds[code],
            purpose=demo.purpose,
            kasam_dimension=demo.kasam,
            prevention_level=demo.prevention,
            language=demo.language,
            hearing_loop=demo.hearing_loop,
            wheelchair_accessible=demo.wheelchair_accessible,
            sign_language=demo.sign_language,
            easy_read=demo.easy_read,
            place=demo.place.format(ort=self.place),
            digital_link=demo.digital_link,
            registration_mode=demo.mode,
            capacity=demo.capacity,
            created_by=consultant,
        )
        ActivityTargetGroup.objects.bulk_create(
            ActivityTargetGroup(activity=activity, target_group=target) for target in demo.targets
        )
        wanted = [prefix.format(ort=self.place) for prefix in demo.partners]
        activity.co_organisers.set(
            [partner for partner in self.partners if any(partner.name.startswith(w) for w in wanted)]
        )
        self.counts["activities"] += 1
        return activity

    def _sessions(self, demo: DemoActivity, activity: Activity) -> list[Session]:
        monday = self.today - dt.timedelta(days=self.today.weekday())
        first, last = self.today - dt.timedelta(days=PAST_DAYS), self.today + dt.timedelta(days=FUTURE_DAYS)
        sessions = []
        for week in demo.weeks:
            day = monday + dt.timedelta(weeks=week, days=demo.weekday)
            if not first <= day <= last:
                continue
            starts_at = _aware(day, *demo.start)
            session = Session(
                code=_uuid(self.rng),
                activity=activity,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=demo.minutes),
            )
            # Open meetings are sometimes called off (closed groups and single events are moved instead).
            if demo.mode == RegistrationMode.DROP_IN and self.rng.random() < CANCELLED_SESSION_RATE:
                session.status = Session.Status.CANCELLED
                session.cancel_reason = self.rng.choice(CANCEL_REASONS)
                self.counts["cancelled_sessions"] += 1
            sessions.append(session)
        Session.objects.bulk_create(sessions)
        self.counts["sessions"] += len(sessions)
        return sessions

    def _is_past(self, session: Session) -> bool:
        # A margin, so a session that starts while the seeding runs is never booked
        # through booking_create (which refuses a session that has started).
        return session.starts_at <= self.now + dt.timedelta(minutes=10)

    def _informed(self, activity: Activity, sessions: list[Session]) -> None:
        """SoL 11 kap. 6 § answered for most held sessions of a group insats (a generator of
        its own, so the rest of the demo stays as it was)."""
        if activity.support_kind.tier != DocumentationTier.INSATS:
            return
        rng = random.Random(activity.code.int)  # noqa: S311  (made-up demo data)
        for session in sessions:
            if session.status == Session.Status.SCHEDULED and self._is_past(session):
                session.informed_right_to_apply = rng.choice(("yes", "yes", "yes", "yes", "no", ""))
                session.save(update_fields=["informed_right_to_apply", "updated_at"])

    def _head_count(self, demo: DemoActivity, session: Session) -> None:
        if not self._is_past(session):
            return
        session.head_count = self.rng.randint(*demo.head_counts)
        # Now and then the consultant arranges avlösning so someone can come.
        session.respite_arranged = self.rng.choice((0, 0, 0, 1, 1, 2))
        session.save(update_fields=["head_count", "respite_arranged", "updated_at"])
        self.counts["head_counts"] += 1

    def _bookings(self, demo: DemoActivity, session: Session, consultant: User, sessions: list[Session]) -> None:
        assert demo.capacity is not None  # a booked activity has places (a database constraint)
        upcoming = [s for s in sessions if not self._is_past(s) and s.status == Session.Status.SCHEDULED]
        if demo.full_next and upcoming and session == upcoming[0]:
            number = demo.capacity + 3  # full, three on the waitlist
        else:
            number = round(demo.capacity * self.rng.uniform(*demo.fill))
            if not self._is_past(session):
                # Later sessions are not yet as full as the next ones.
                number = round(number * max(0.3, 1 - upcoming.index(session) * 0.15))
        people = self.rng.sample(self.people, min(number, len(self.people)))
        if self._is_past(session):
            self._past_bookings(session, people, consultant, capacity=demo.capacity)
        else:
            self._future_bookings(session, people, consultant)

    def _future_bookings(self, session: Session, people: list[Person], consultant: User) -> None:
        """Through the booking rules: capacity, then the waitlist, as a visitor would book."""
        for person in people:
            by_phone = not person.email
            try:
                booking = booking_create(
                    session=session,
                    name=person.name,
                    email=person.email,
                    phone=person.phone,
                    needs_respite=self.rng.random() < RESPITE_RATE,
                    booked_by_staff=consultant if by_phone else None,
                    verified=True,
                )
            except AlreadyBooked:  # pragma: no cover - people are sampled without repeats
                continue
            self.counts["bookings"] += 1
            self.counts["waitlisted"] += booking.status == Booking.Status.WAITLISTED

    def _past_bookings(self, session: Session, people: list[Person], consultant: User, *, capacity: int) -> None:
        """As staff left them after the session: attendance marked, a few cancelled beforehand."""
        rows = []
        for person in people[:capacity]:
            booked_at = session.starts_at - dt.timedelta(days=self.rng.randint(1, 20), hours=self.rng.randint(0, 8))
            booking = Booking(
                session=session,
                name=person.name,
                email=person.email,
                phone=person.phone,
                person_key=_person_key(person),
                needs_respite=self.rng.random() < RESPITE_RATE,
                booked_by_staff=consultant if not person.email else None,
                status=Booking.Status.CONFIRMED,
                confirmed_at=booked_at,
            )
            if self.rng.random() < CANCEL_RATE:
                booking.status = Booking.Status.CANCELLED
                booking.cancelled_at = session.starts_at - dt.timedelta(hours=self.rng.randint(2, 48))
            else:
                booking.attended = self.rng.random() < ATTENDANCE_RATE
                self.counts["attendance_marked"] += 1
            rows.append(booking)
        Booking.objects.bulk_create(rows)
        self.counts["bookings"] += len(rows)
        session.respite_arranged = sum(
            1 for b in rows if b.needs_respite and b.status == Booking.Status.CONFIRMED and b.attended
        )
        session.save(update_fields=["respite_arranged", "updated_at"])

    def _closed_group(self, activity: Activity, sessions: list[Session], consultant: User) -> None:
        """Applications; those admitted have a place on every session, marked as they come."""
        assert activity.capacity is not None
        started = any(self._is_past(session) for session in sessions)
        applicants = self.rng.sample(self.people, activity.capacity + 4)
        if started:
            statuses = [Application.Status.ADMITTED] * (activity.capacity - 1) + [
                Application.Status.NOT_ADMITTED,
                Application.Status.WITHDRAWN,
                Application.Status.INTERESTED,
                Application.Status.INTERESTED,
                Application.Status.INTERESTED,
            ]
        else:
            statuses = [Application.Status.INTERESTED] * len(applicants)
        applications = [
            Application(
                activity=activity,
                status=status,
                name=person.name,
                email=person.email,
                phone=person.phone,
                person_key=_person_key(person),
                priority=100 if status == Application.Status.INTERESTED else 10 + index,
                message=self.rng.choice(
                    (
                        "",
                        "",
                        "Jag kan inte komma de första två gångerna.",
                        "Helst eftermiddagar, jag jobbar förmiddag.",
                        "Behöver avlösning för att kunna delta.",
                    )
                ),
            )
            for index, (person, status) in enumerate(zip(applicants, statuses, strict=True))
        ]
        Application.objects.bulk_create(applications)
        self.counts["applications"] += len(applications)
        if started:
            moved = next(a for a in applications if a.status == Application.Status.ADMITTED)
            PriorityChange.objects.create(
                application=moved,
                old_priority=100,
                new_priority=moved.priority,
                reason="Stod på väntelistan till förra gruppen och fick inte plats då.",
                changed_by=consultant,
            )
            self.counts["priority_changes"] += 1
        admitted = [a for a in applications if a.status == Application.Status.ADMITTED]
        for session in sessions:
            rows = []
            for application in admitted:
                booking = Booking(
                    session=session,
                    name=application.name,
                    email=application.email,
                    phone=application.phone,
                    person_key=application.person_key,
                    booked_by_staff=consultant,
                    status=Booking.Status.CONFIRMED,
                    confirmed_at=sessions[0].starts_at - dt.timedelta(days=10),
                )
                if self._is_past(session):
                    booking.attended = self.rng.random() < 0.9
                    self.counts["attendance_marked"] += 1
                rows.append(booking)
            Booking.objects.bulk_create(rows)
            self.counts["bookings"] += len(rows)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def seed_groups(*, today: dt.date | None = None, seed: int = 2027) -> dict[str, int]:
    """Add the demo units' activities, sessions and bookings. Idempotent; returns what it created."""
    today = today or timezone.localdate()
    now = timezone.now()
    counts: Counter[str] = Counter()
    with transaction.atomic():
        units = list(Unit.objects.filter(code__in=DEMO_UNITS).select_related("municipality").order_by("code"))
        if not units:
            raise LookupError("The demo organisation is missing: run seed_organisation() first.")
        last_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for unit in units:
            if Activity.objects.filter(unit=unit).exists():
                continue  # already seeded
            consultants = list(
                User.objects.filter(memberships__unit=unit, memberships__role=Role.CONSULTANT).order_by("email")
            )
            if not consultants:
                continue
            kinds = {kind.code: kind for kind in SupportKind.objects.filter(municipality=unit.municipality)}
            UnitSeeder(
                unit=unit,
                kinds=kinds,
                partners=list(Partner.objects.filter(unit=unit).order_by("name")),
                consultants=consultants,
                today=today,
                now=now,
                seed=seed,
                counts=counts,
            ).seed()
        # What the nightly shredder would already have done to the past sessions.
        counts["shredded_sessions"] = shred_booking_data(now=now)["sessions"]
        counts["emails_dropped"] = _drop_demo_emails(after=last_message)
    return {key: counts[key] for key in COUNT_KEYS}


def _drop_demo_emails(*, after: int) -> int:
    """Delete the booking e-mails the seeding wrote to the outbox.

    ``booking_create`` queues a confirmation for every booking, and the outbox asks a
    worker to send it once the transaction commits (at once, in-process, when the demo
    runs without a broker). Deleting the rows before this transaction commits means the
    worker finds nothing to send and the drain nothing to retry: the demo never mails
    anyone. Marking them sent instead would leave receipts for mail that never went.
    Only messages written since seeding began and addressed to the demo's own
    ``.example`` addresses are touched, never anyone else's mail.
    """
    demo = [
        message.pk
        for message in OutboxMessage.objects.filter(pk__gt=after, sent_at__isnull=True).only("pk", "to")
        if message.to and all(str(address).endswith(DEMO_EMAIL_DOMAIN) for address in message.to)
    ]
    OutboxMessage.objects.filter(pk__in=demo).delete()
    return len(demo)
