from django.urls import path

from contacts import views
from contacts.views import documentation as admin_views
from contacts.views import handover as handover_views

app_name = "contacts"

urlpatterns = [
    path("anhoriga/", views.carer_list, name="carer_list"),
    path("anhoriga/ny/", views.carer_create, name="carer_create"),
    path("anhoriga/<uuid:code>/", views.carer_detail, name="carer_detail"),
    path("anhoriga/<uuid:code>/andra/", views.carer_edit, name="carer_edit"),
    path("anhoriga/<uuid:code>/avsluta/", views.carer_close, name="carer_close"),
    path("anhoriga/<uuid:code>/samtal/", views.talk_create_for_carer, name="talk_create_for_carer"),
    path("anhoriga/<uuid:code>/samtal/utkast/kasta/", views.talk_draft_discard, name="talk_draft_discard_for_carer"),
    path("anhoriga/<uuid:code>/anteckning/", views.note_create, name="note_create"),
    path("anhoriga/<uuid:code>/samtycke/", views.consent_create, name="consent_create"),
    path("anhoriga/<uuid:code>/samtycke/<int:consent_id>/aterkalla/", views.consent_revoke, name="consent_revoke"),
    path("anhoriga/<uuid:code>/stodplan/", views.plan_item_create, name="plan_item_create"),
    path("anhoriga/<uuid:code>/stodplan/<uuid:item_code>/", views.plan_item_edit, name="plan_item_edit"),
    path("anhoriga/<uuid:code>/stodplan/<uuid:item_code>/klar/", views.plan_item_done, name="plan_item_done"),
    path("anhoriga/<uuid:code>/avlosning/", views.respite_create, name="respite_create"),
    path("anhoriga/<uuid:code>/matning/", views.measurement_create, name="measurement_create"),
    path("anhoriga/<uuid:code>/registerutdrag.<str:fmt>", views.carer_extract, name="carer_extract"),
    path("anteckningar/<uuid:code>/signera/", views.note_sign, name="note_sign"),
    path("anteckningar/<uuid:code>/felmarkera/", views.note_mark_erroneous, name="note_mark_erroneous"),
    path("samtal/", views.talk_list, name="talk_list"),
    path("samtal/nytt/", views.talk_create, name="talk_create"),
    path("samtal/nytt/anhorig/", views.talk_carer_picker, name="talk_carer_picker"),
    path("samtal/nytt/utkast/kasta/", views.talk_draft_discard, name="talk_draft_discard"),
    path("samtal/utkast/", views.talk_draft_save, name="talk_draft_save"),
    path("samtal/<uuid:code>/", views.talk_detail, name="talk_detail"),
    path("samtal/<uuid:code>/uppfoljning-klar/", views.talk_follow_up_done, name="talk_follow_up_done"),
    path("vagvisare/", views.partner_list, name="partner_list"),
    path("vagvisare/ny/", views.partner_create, name="partner_create"),
    path("vagvisare/<uuid:code>/andra/", admin_views.partner_edit, name="partner_edit"),
    path("vagvisare/<uuid:code>/avveckla/", admin_views.partner_retire, name="partner_retire"),
    path("dokumentation/", views.policy_overview, name="policy"),
    path("dokumentation/stodform/<int:pk>/", views.support_kind_tier, name="support_kind_tier"),
    path("personal/<uuid:code>/overlamning/", handover_views.handover_index, name="handover_index"),
    path("personal/<uuid:code>/overlamning/<slug:unit>/", handover_views.handover_unit, name="carers_handover"),
    path("dokumentation/undantag/nytt/", views.exemption_create, name="exemption_create"),
    path("dokumentation/stodform/ny/", admin_views.support_kind_create, name="support_kind_create"),
    path("dokumentation/stodform/<int:pk>/andra/", admin_views.support_kind_edit, name="support_kind_edit"),
    path("dokumentation/undantag/<uuid:code>/andra/", admin_views.exemption_edit, name="exemption_edit"),
    path("dokumentation/undantag/<uuid:code>/avsluta/", admin_views.exemption_end, name="exemption_end"),
    path(
        "dokumentation/undantag/<uuid:code>/protokollsutdrag.pdf",
        admin_views.exemption_minutes,
        name="exemption_minutes",
    ),
]
