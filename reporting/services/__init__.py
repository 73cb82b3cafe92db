"""Reporting services: the only writers of reporting data (each takes `acting_user=`)."""
