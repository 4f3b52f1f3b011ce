"""The carers' evaluations of the activities as the follow-up releases them: each
activity's on its staff page, the units' in the PDF report.

``release``: the typed result, built from counts and the marks ``followup.disclosure``
gives; ``selectors``: the reads (counts from ``groups.selectors``, the unit tree);
``views``: the staff page of an activity's results.
"""
