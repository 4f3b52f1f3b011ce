"""The contacts app's one urls module (namespace ``contacts``)."""

from django.urls import path

from contacts.views import carers, documentation, handover, notes, partners, support, talks

app_name = "contacts"

urlpatterns = [
    path("anhoriga/", carers.carer_list, name="carer_list"),
    path("anhoriga/ny/", carers.carer_create, name="carer_create"),
    path("anhoriga/<uuid:code>/", carers.carer_detail, name="carer_detail"),
    path("anhoriga/<uuid:code>/andra/", carers.carer_edit, name="carer_edit"),
    path("anhoriga/<uuid:code>/avsluta/", carers.carer_close, name="carer_close"),
    path("anhoriga/<uuid:code>/samtal/", talks.talk_create_for_carer, name="talk_create_for_carer"),
    path("anhoriga/<uuid:code>/samtal/utkast/kasta/", talks.talk_draft_discard, name="talk_draft_discard_for_carer"),
    path("anhoriga/<uuid:code>/anteckning/", notes.note_create, name="note_create"),
    path("anhoriga/<uuid:code>/samtycke/", support.consent_create, name="consent_create"),
    path("anhoriga/<uuid:code>/samtycke/<int:consent_id>/aterkalla/", support.consent_revoke, name="consent_revoke"),
    path("anhoriga/<uuid:code>/stodplan/", support.plan_item_create, name="plan_item_create"),
    path("anhoriga/<uuid:code>/stodplan/<uuid:item_code>/", support.plan_item_edit, name="plan_item_edit"),
    path("anhoriga/<uuid:code>/stodplan/<uuid:item_code>/klar/", support.plan_item_done, name="plan_item_done"),
    path("anhoriga/<uuid:code>/avlosning/", support.respite_create, name="respite_create"),
    path("anhoriga/<uuid:code>/matning/", support.measurement_create, name="measurement_create"),
    path("anhoriga/<uuid:code>/registerutdrag.<str:fmt>", carers.carer_extract, name="carer_extract"),
    path("anteckningar/<uuid:code>/signera/", notes.note_sign, name="note_sign"),
    path("anteckningar/<uuid:code>/felmarkera/", notes.note_mark_erroneous, name="note_mark_erroneous"),
    path("samtal/", talks.talk_list, name="talk_list"),
    path("samtal/nytt/", talks.talk_create, name="talk_create"),
    path("samtal/nytt/anhorig/", talks.talk_carer_picker, name="talk_carer_picker"),
    path("samtal/nytt/utkast/kasta/", talks.talk_draft_discard, name="talk_draft_discard"),
    path("samtal/utkast/", talks.talk_draft_save, name="talk_draft_save"),
    path("samtal/<uuid:code>/", talks.talk_detail, name="talk_detail"),
    path("samtal/<uuid:code>/uppfoljning-klar/", talks.talk_follow_up_done, name="talk_follow_up_done"),
    path("vagvisare/", partners.partner_list, name="partner_list"),
    path("vagvisare/ny/", partners.partner_create, name="partner_create"),
    path("vagvisare/<uuid:code>/andra/", partners.partner_edit, name="partner_edit"),
    path("vagvisare/<uuid:code>/avveckla/", partners.partner_retire, name="partner_retire"),
    path("dokumentation/", documentation.policy_overview, name="policy"),
    path("dokumentation/stodform/<int:pk>/", documentation.support_kind_tier, name="support_kind_tier"),
    path("personal/<uuid:code>/overlamning/", handover.handover_index, name="handover_index"),
    path("personal/<uuid:code>/overlamning/<slug:unit>/", handover.handover_unit, name="carers_handover"),
    path("dokumentation/undantag/nytt/", documentation.exemption_create, name="exemption_create"),
    path("dokumentation/stodform/ny/", documentation.support_kind_create, name="support_kind_create"),
    path("dokumentation/stodform/<int:pk>/andra/", documentation.support_kind_edit, name="support_kind_edit"),
    path("dokumentation/undantag/<uuid:code>/andra/", documentation.exemption_edit, name="exemption_edit"),
    path("dokumentation/undantag/<uuid:code>/avsluta/", documentation.exemption_end, name="exemption_end"),
    path(
        "dokumentation/undantag/<uuid:code>/protokollsutdrag.pdf",
        documentation.exemption_minutes,
        name="exemption_minutes",
    ),
]
