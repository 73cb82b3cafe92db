"""PCMT: the management system of the National Target Program on drug prevention and control."""

# The Celery app is loaded with Django so that @shared_task binds to it (pcmt/celery.py).
from pcmt.celery import app as celery_app

__all__ = ["celery_app"]
