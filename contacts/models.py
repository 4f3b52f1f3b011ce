# Carers, talks, the documentation policy and exemptions come with the contacts issue.
