# Dashboards, reports and the support catalogue come with the follow-up issue.
