"""Application mode and "Mina sidor": addresses in Swedish, as carers read them."""

from django.urls import path

from groups.mine import views

app_name = "groups_mine"

urlpatterns = [
    # Public: interest in a closed group (application mode only).
    path("kalender/<uuid:code>/intresse/", views.interest, name="interest"),
    path("kalender/<uuid:code>/intresse/tack/", views.interest_thanks, name="interest_thanks"),
    # Staff: composing the group.
    path("aktiviteter/<uuid:code>/ansokningar/", views.applications, name="applications"),
    # Signed in: one's own bookings and applications.
    path("mina-sidor/", views.my_pages, name="my_pages"),
    path("mina-sidor/bokningar/<uuid:code>/avboka/", views.booking_cancel, name="booking_cancel"),
]
