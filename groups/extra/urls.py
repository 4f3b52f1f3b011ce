"""Anonymous evaluations and "Bli kontaktad": public addresses in Swedish, as carers
read them, and the staff pages behind them."""

from django.urls import path

from groups.extra import views

app_name = "groups_extra"

urlpatterns = [
    path("utvardering/<uuid:token>/", views.evaluation_form, name="evaluation_form"),
    path("utvardering/<uuid:token>/tack/", views.evaluation_thanks, name="evaluation_thanks"),
    path("aktiviteter/<uuid:code>/utvardering/", views.evaluation_results, name="evaluation_results"),
    path("kontakt/<slug:unit_code>/", views.contact_request_form, name="contact_request_form"),
    path("kontakt/<slug:unit_code>/tack/", views.contact_request_thanks, name="contact_request_thanks"),
    path("inkorg/", views.inbox_list, name="inbox_list"),
    path("inkorg/<uuid:code>/", views.inbox_detail, name="inbox_detail"),
    path("inkorg/<uuid:code>/hanterad/", views.inbox_mark_handled, name="inbox_mark_handled"),
]
