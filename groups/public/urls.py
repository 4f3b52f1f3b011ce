"""The carers' public pages: addresses in Swedish, as carers read them."""

from django.urls import path

from groups.public import views

app_name = "groups_public"

urlpatterns = [
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/<uuid:code>/", views.activity_detail, name="activity_detail"),
    path("kalender/tillfalle/<uuid:code>/boka/", views.session_book, name="session_book"),
    path("kalender/bokning/<uuid:code>/", views.booking_result, name="booking_result"),
    path("kalender/bokning/<uuid:code>/skicka-igen/", views.booking_resend, name="booking_resend"),
    path("kalender/enhet/<slug:unit_code>.ics", views.unit_feed, name="unit_feed"),
    path("boka/bekrafta/<uuid:token>/", views.booking_confirm, name="booking_confirm"),
    path("boka/avboka/<uuid:token>/", views.booking_cancel_link, name="booking_cancel"),
]
