"""The managers' dashboard of follow-up figures, its CSV and XLSX export, and a consultant's own workload."""
