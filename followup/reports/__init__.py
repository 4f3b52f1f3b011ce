"""The PDF follow-up report (PRODUCT §8): its context, rendering, queue and pages."""
