"""The groups app's pages, in one namespace: addresses in Swedish, as carers read them.

Where two audiences have a page of the same kind, the name says whose it is
(``public_``, ``staff_``, ``my_``): ``public_activity_detail`` is the calendar's page of
an activity, ``staff_activity_detail`` the consultant's.
"""

from django.urls import path

from groups.views import contact, evaluations, mine, public, staff

app_name = "groups"

urlpatterns = [
    # The carers' public calendar and booking (no sign-in).
    path("kalender/", public.calendar, name="calendar"),
    path("kalender/<uuid:code>/", public.activity_detail, name="public_activity_detail"),
    path("kalender/tillfalle/<uuid:code>/boka/", public.session_book, name="public_session_book"),
    path("kalender/bokning/<uuid:code>/", public.booking_result, name="booking_result"),
    path("kalender/bokning/<uuid:code>/skicka-igen/", public.booking_resend, name="booking_resend"),
    path("kalender/enhet/<slug:unit_code>.ics", public.unit_feed, name="unit_feed"),
    path("boka/bekrafta/<uuid:token>/", public.booking_confirm, name="booking_confirm"),
    path("boka/avboka/<uuid:token>/", public.booking_cancel_link, name="public_booking_cancel"),
    # Staff: activities, sessions, attendance and the bookings staff make.
    path("aktiviteter/", staff.activity_list, name="activity_list"),
    path("aktiviteter/ny/", staff.activity_create, name="activity_create"),
    path("aktiviteter/<uuid:code>/", staff.activity_detail, name="staff_activity_detail"),
    path("aktiviteter/<uuid:code>/andra/", staff.activity_edit, name="activity_edit"),
    path("aktiviteter/<uuid:code>/tillfallen/ny/", staff.session_create, name="session_create"),
    path("tillfallen/<uuid:code>/", staff.session_detail, name="session_detail"),
    path("tillfallen/<uuid:code>/narvaro/", staff.session_attendance, name="session_attendance"),
    path("tillfallen/<uuid:code>/antal/", staff.session_counts, name="session_counts"),
    path("tillfallen/<uuid:code>/boka/", staff.session_book, name="staff_session_book"),
    path("tillfallen/<uuid:code>/stall-in/", staff.session_cancel, name="session_cancel"),
    path("bokningar/<uuid:code>/avboka/", staff.booking_cancel, name="staff_booking_cancel"),
    # Anonymous evaluations (public) and their results (staff).
    path("utvardering/<uuid:token>/", evaluations.evaluation_form, name="evaluation_form"),
    path("utvardering/<uuid:token>/tack/", evaluations.evaluation_thanks, name="evaluation_thanks"),
    path("aktiviteter/<uuid:code>/utvardering/", evaluations.evaluation_results, name="evaluation_results"),
    # "Bli kontaktad" (public) and the inbox behind it (staff).
    path("kontakt/<slug:unit_code>/", contact.contact_request_form, name="contact_request_form"),
    path("kontakt/<slug:unit_code>/tack/", contact.contact_request_thanks, name="contact_request_thanks"),
    path("inkorg/", contact.inbox_list, name="inbox_list"),
    path("inkorg/<uuid:code>/", contact.inbox_detail, name="inbox_detail"),
    path("inkorg/<uuid:code>/hanterad/", contact.inbox_mark_handled, name="inbox_mark_handled"),
    # Application mode: interest in a closed group (public), composing the group (staff).
    path("kalender/<uuid:code>/intresse/", mine.interest, name="interest"),
    path("kalender/<uuid:code>/intresse/tack/", mine.interest_thanks, name="interest_thanks"),
    path("aktiviteter/<uuid:code>/ansokningar/", mine.applications, name="applications"),
    # Signed in: one's own bookings and applications.
    path("mina-sidor/", mine.my_pages, name="my_pages"),
    path("mina-sidor/bokningar/<uuid:code>/avboka/", mine.booking_cancel, name="my_booking_cancel"),
]
