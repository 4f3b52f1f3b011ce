from django.urls import path

from groups.staff import views

app_name = "groups_staff"

urlpatterns = [
    path("aktiviteter/", views.activity_list, name="activity_list"),
    path("aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<uuid:code>/", views.activity_detail, name="activity_detail"),
    path("aktiviteter/<uuid:code>/andra/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<uuid:code>/tillfallen/ny/", views.session_create, name="session_create"),
    path("tillfallen/<uuid:code>/", views.session_detail, name="session_detail"),
    path("tillfallen/<uuid:code>/narvaro/", views.session_attendance, name="session_attendance"),
    path("tillfallen/<uuid:code>/antal/", views.session_counts, name="session_counts"),
    path("tillfallen/<uuid:code>/boka/", views.session_book, name="session_book"),
    path("tillfallen/<uuid:code>/stall-in/", views.session_cancel, name="session_cancel"),
    path("bokningar/<uuid:code>/avboka/", views.booking_cancel, name="booking_cancel"),
]
