"""The contacts app's pages, one module per page group (contacts.urls names them all):
``carers`` (the list, the record, the register extract), ``support`` (the small forms on a
record: consents, stödplan, respite, measurements), ``notes``, ``talks`` (the list, the
talk form, its drafts and carer picker), ``partners``, ``documentation`` (the policy,
kinds of support, exemption decisions) and ``handover``; ``common`` holds what they share.
The app's sections of "Idag" are in contacts.today.
"""
