"""URLs of task tracking (plans, tasks, progress, extensions, reports)."""

urlpatterns: list = []
